import fs from 'node:fs/promises';
import path from 'node:path';
import { SubmissionError } from './errors.ts';
import { DEFAULT_STAGING_ROOT, REPO_ROOT } from './repo-root.ts';

/** Far above any lab's size, far below what makes a copy slow or fills a disk when a class is graded. */
export const STAGING_LIMITS = { maxBytes: 20 * 1024 * 1024, maxFiles: 2_000 } as const;

/**
 * Never copied, at any depth: submissions run on the repository's own
 * dependencies (docs/design.md §5: never `npm install`ed), and history is no part of
 * a submission. `.env` IS copied: it configures the lab.
 */
const ALWAYS_EXCLUDED = ['node_modules', '.git'] as const;

export interface StageOptions {
  /** The lab folder name (`02-public-client`): the staged folder keeps it, so messages and paths read the same as in `work/`. */
  labId: string;
  /** Default `<repo>/.lab/grading`. Must lie inside the repository, or the repository's `node_modules` will not resolve. */
  stagingRoot?: string;
  maxBytes?: number;
  maxFiles?: number;
  /** More names to leave out at any depth (besides `node_modules` and `.git`). */
  exclude?: readonly string[];
}

export interface StagedSubmission {
  /** The copy, `<stagingRoot>/job-…/<labId>`: start the server here. */
  dir: string;
  /** The job folder that holds `dir` (and nothing else of interest): the sandbox lets the server read it, see sandbox.ts. */
  root: string;
  files: number;
  bytes: number;
  /** Removes the job folder; safe to call twice. */
  cleanup(): Promise<void>;
}

/**
 * Copies a learner's folder to where the repository's `node_modules`
 * resolve (Node walks up from the importing file), without following a
 * single symlink: a link out of the folder would let the copy — and so the
 * sandboxed server — read what it points at.
 */
export async function stageSubmission(sourceDir: string, options: StageOptions): Promise<StagedSubmission> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(options.labId)) {
    throw new SubmissionError('UNSAFE_REQUEST', `lab id '${options.labId}' is not a plain folder name (letters, digits, '.', '_', '-').`);
  }
  const source = await realDirectory(sourceDir);
  const stagingRoot = path.resolve(options.stagingRoot ?? DEFAULT_STAGING_ROOT);
  await fs.mkdir(stagingRoot, { recursive: true });
  const root = await fs.mkdtemp(path.join(await fs.realpath(stagingRoot), 'job-'));
  const cleanup = () => fs.rm(root, { recursive: true, force: true, maxRetries: 3 });
  try {
    await writeModuleTypeMarker(root);
    const dir = path.join(root, options.labId);
    const copy = new Copier(source, {
      maxBytes: options.maxBytes ?? STAGING_LIMITS.maxBytes,
      maxFiles: options.maxFiles ?? STAGING_LIMITS.maxFiles,
      exclude: new Set([...ALWAYS_EXCLUDED, ...(options.exclude ?? [])]),
    });
    await copy.directory(source, dir);
    return { dir, root, files: copy.files, bytes: copy.bytes, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function realDirectory(sourceDir: string): Promise<string> {
  let real: string;
  try {
    // The folder itself may be reached through a link (a symlinked `work/`); what is inside may not.
    real = await fs.realpath(sourceDir);
  } catch {
    throw new SubmissionError('STAGING_REFUSED', `the submission folder ${sourceDir} does not exist. Check the path (for \`grade\`: one folder per learner).`);
  }
  if (!(await fs.stat(real)).isDirectory()) {
    throw new SubmissionError('STAGING_REFUSED', `${sourceDir} is a file, not a folder: a submission is the lab's folder.`);
  }
  return real;
}

/**
 * A `package.json` in the job folder with the repository's module type.
 * Without the sandbox, a staged file with no `package.json` of its own takes
 * its module type from the repository root's, as it would in `work/`. Under
 * the sandbox, Node's CommonJS entry path stops looking for the nearest
 * `package.json` at the first folder it may not read (its ESM loader, used
 * when a preload is given, does not), so the job folder (readable) answers
 * the same for both.
 */
async function writeModuleTypeMarker(root: string): Promise<void> {
  let type = 'commonjs';
  try {
    const rootPackage = JSON.parse(await fs.readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { type?: unknown };
    if (rootPackage.type === 'module') type = 'module';
  } catch {
    // No readable root package.json: Node's own default applies.
  }
  await fs.writeFile(path.join(root, 'package.json'), `${JSON.stringify({ private: true, type }, null, 2)}\n`);
}

class Copier {
  files = 0;
  bytes = 0;
  readonly #source: string;
  readonly #limits: { maxBytes: number; maxFiles: number; exclude: Set<string> };

  constructor(source: string, limits: { maxBytes: number; maxFiles: number; exclude: Set<string> }) {
    this.#source = source;
    this.#limits = limits;
  }

  async directory(from: string, to: string): Promise<void> {
    await fs.mkdir(to, { recursive: true });
    const entries = await fs.readdir(from, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (this.#limits.exclude.has(entry.name)) continue;
      const src = path.join(from, entry.name);
      const dst = path.join(to, entry.name);
      const stat = await fs.lstat(src);
      if (stat.isDirectory()) await this.directory(src, dst);
      else if (stat.isFile()) await this.#file(src, dst, stat.size);
      else if (stat.isSymbolicLink()) await this.#link(src, dst);
      else {
        throw new SubmissionError(
          'STAGING_REFUSED',
          `${this.#relative(src)} is not a regular file or folder (a socket, pipe or device): remove it from the submission.`,
        );
      }
    }
  }

  async #file(src: string, dst: string, size: number): Promise<void> {
    this.files += 1;
    this.bytes += size;
    if (this.files > this.#limits.maxFiles) {
      throw new SubmissionError(
        'STAGING_REFUSED',
        `the submission holds more than ${this.#limits.maxFiles.toLocaleString('en')} files (node_modules and .git not counted). ` +
          'Remove generated files, logs or data from the folder.',
      );
    }
    if (this.bytes > this.#limits.maxBytes) {
      throw new SubmissionError(
        'STAGING_REFUSED',
        `the submission is larger than ${formatBytes(this.#limits.maxBytes)} (node_modules and .git not counted; reached at ${this.#relative(src)}, ${formatBytes(size)}). ` +
          'Remove build output, logs or data files from the folder.',
      );
    }
    // COPYFILE_EXCL: the target folder is fresh, so anything already there is a bug, not something to overwrite.
    await fs.copyFile(src, dst, fs.constants.COPYFILE_EXCL);
  }

  /** A link is never recreated: one to a file inside the folder becomes a copy of that file; anything else is refused. */
  async #link(src: string, dst: string): Promise<void> {
    let target: string;
    try {
      target = await fs.realpath(src);
    } catch {
      throw new SubmissionError('STAGING_REFUSED', `${this.#relative(src)} is a symbolic link to something that does not exist: remove the link.`);
    }
    const inside = target.startsWith(this.#source + path.sep);
    if (!inside) {
      throw new SubmissionError(
        'STAGING_REFUSED',
        `${this.#relative(src)} is a symbolic link to ${target}, outside the submission folder: the grader copies only the folder itself. ` +
          'Replace the link with a copy of the file.',
      );
    }
    const stat = await fs.stat(target);
    if (!stat.isFile()) {
      throw new SubmissionError('STAGING_REFUSED', `${this.#relative(src)} is a symbolic link to a folder: replace the link with the folder itself.`);
    }
    await this.#file(target, dst, stat.size);
  }

  #relative(p: string): string {
    return path.relative(this.#source, p) || '.';
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}
