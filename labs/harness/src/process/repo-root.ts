import fs from 'node:fs';
import path from 'node:path';

/**
 * The repository this harness belongs to (labs/harness/src/process → ../../../..).
 * Submissions are staged below it so that Node, walking up from the staged
 * folder, finds the repository's own `node_modules`. The real path, because
 * Node resolves modules to real paths and the sandbox compares paths as
 * strings: a symlinked checkout (macOS `/var` → `/private/var`) would
 * otherwise grant one spelling and be asked for the other.
 */
export const REPO_ROOT: string = fs.realpathSync(path.resolve(import.meta.dirname, '../../../..'));

export const REPO_NODE_MODULES: string = path.join(REPO_ROOT, 'node_modules');

/** Where staged submissions live by default (`.lab/` is git-ignored local state). */
export const DEFAULT_STAGING_ROOT: string = path.join(REPO_ROOT, '.lab', 'grading');
