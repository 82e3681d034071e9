import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One file of a submission that would end up in the learner's repository. */
export interface CommittableFile {
  /** Relative to the submission folder, with `/` separators. */
  path: string;
  /**
   * `tracked`: git already has it (committed or staged); `not-ignored`: untracked, but no
   * ignore rule keeps it out, so the next `git add .` commits it; `in-folder`: the folder is
   * not in a git work tree, so every file in it counts (a class folder, a zip).
   */
  how: 'tracked' | 'not-ignored' | 'in-folder';
}

export interface CommittableView {
  mode: 'git' | 'folder';
  files: CommittableFile[];
}

const SKIPPED = new Set(['node_modules', '.git']);

function everyFile(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIPPED.has(e.name) || e.isSymbolicLink()) return [];
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return everyFile(full, base);
    return e.isFile() ? [path.relative(base, full).split(path.sep).join('/')] : [];
  });
}

/**
 * Only reading commands, which run no hooks; the fsmonitor hook (a command a
 * folder's git config could name) is switched off, and nothing may prompt.
 */
async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'core.fsmonitor=false', '--no-pager', ...args], {
    cwd,
    timeout: 10_000,
    maxBuffer: 16 * 1024 * 1024,
    // No inherited GIT_DIR / GIT_WORK_TREE / GIT_INDEX_FILE (set when this runs inside a git hook): ask about the folder itself.
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_'))), GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' },
  });
  return stdout;
}

const nulList = (out: string) => out.split('\0').filter(Boolean);

/**
 * The files of a submission that are, or would be, in the learner's git
 * repository: what git tracks under the folder plus untracked files no ignore
 * rule covers. Without git (not installed, not a work tree, a folder git
 * refuses to read) every file of the folder counts: a class folder or a zip
 * holds only what the learner handed in. A check asks about `ctx.sourceDir`
 * (its `dir` is a staged copy without `.git`) and reads the files from `dir`:
 * the paths are the same in both.
 */
export async function readCommittableFiles(sourceDir: string): Promise<CommittableView> {
  const inside = await git(sourceDir, ['rev-parse', '--is-inside-work-tree']).then(
    (out) => out.trim() === 'true',
    () => false,
  );
  if (!inside) return { mode: 'folder', files: everyFile(sourceDir).map((p) => ({ path: p, how: 'in-folder' })) };
  // Run in the folder, ls-files names paths relative to it; `-- .` keeps it to the folder.
  const tracked = nulList(await git(sourceDir, ['ls-files', '-z', '--cached', '--', '.']));
  const untracked = nulList(await git(sourceDir, ['ls-files', '-z', '--others', '--exclude-standard', '--', '.']));
  const inRepo = (p: string) => !p.split('/').some((part) => SKIPPED.has(part));
  const files: CommittableFile[] = [
    ...[...new Set(tracked)].filter(inRepo).map((p) => ({ path: p, how: 'tracked' as const })),
    ...untracked.filter(inRepo).map((p) => ({ path: p, how: 'not-ignored' as const })),
  ];
  return { mode: 'git', files };
}
