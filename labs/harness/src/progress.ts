import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { LabResult } from './model.ts';

/**
 * `.lab/progress.json`, the one progress store (docs/design.md §6), here and
 * nowhere else: `mcp-lab check`/`watch` and the site's check runner write
 * `labs`, the site's lesson route writes `lessons`. Plain source with no
 * import from the rest of the engine, so the site's bundled routes take it
 * through the subpath export `@mcp-lab/harness/progress`.
 *
 * The rules, for every writer:
 * - keys a writer does not know (the other writer's, a newer tool's) are kept
 *   as they were read;
 * - the file is replaced whole (a temp file, then a rename), so a reader never
 *   sees half of it;
 * - writers take turns through a lock file beside it and re-read under the
 *   lock, so two at the same moment both land;
 * - a file that cannot be read is never silently overwritten (see updateProgress).
 */

export const LessonProgress = z.object({ read: z.boolean(), at: z.iso.datetime() });
export type LessonProgress = z.infer<typeof LessonProgress>;

const CheckStatus = z.enum(['pass', 'fail', 'error']);

export const LabProgress = z.looseObject({
  status: CheckStatus,
  score: z.number(),
  maxScore: z.number(),
  /** Visible checks by id; hidden ones are only counted. */
  checks: z.record(z.string(), CheckStatus),
  hiddenFailed: z.number(),
  /** ISO 8601 */
  at: z.string(),
});
export type LabProgress = z.infer<typeof LabProgress>;

export const Progress = z.looseObject({
  version: z.literal(1),
  lessons: z.record(z.string(), LessonProgress),
  labs: z.record(z.string(), LabProgress),
});
export type Progress = z.infer<typeof Progress>;

export const LESSON_ID = /^[a-z0-9][a-z0-9/-]{0,119}$/;

export type ProgressErrorCode = 'PROGRESS_FILE_INVALID' | 'PROGRESS_FILE_NEWER' | 'PROGRESS_LOCKED';

export class ProgressFileError extends Error {
  readonly code: ProgressErrorCode;
  readonly file: string;
  readonly fix: string;
  constructor(code: ProgressErrorCode, file: string, message: string, fix: string) {
    super(message);
    this.name = 'ProgressFileError';
    this.code = code;
    this.file = file;
    this.fix = fix;
  }
}

/** What a write did: the progress now in the file, and where an unreadable file it replaced was kept. */
export interface ProgressWrite {
  progress: Progress;
  setAside?: string;
}

export function progressFile(labHome: string): string {
  return path.join(labHome, 'progress.json');
}

export function emptyProgress(): Progress {
  return { version: 1, lessons: {}, labs: {} };
}

/** The progress in `file` (empty when there is none yet); a file this version cannot read throws a ProgressFileError and is left alone. */
export function readProgress(file: string): Progress {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyProgress();
    throw error;
  }
  return parseProgress(file, text);
}

function parseProgress(file: string, text: string): Progress {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(file, `not JSON: ${(error as Error).message}`);
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > 1) {
    throw new ProgressFileError(
      'PROGRESS_FILE_NEWER',
      file,
      `${file} was written by a newer version of the lab (progress version ${version}).`,
      'Update this checkout (`git pull`, then `npm install`); the file is left as it is.',
    );
  }
  const parsed = Progress.safeParse(json);
  if (!parsed.success) throw invalid(file, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  return parsed.data;
}

function invalid(file: string, detail: string): ProgressFileError {
  return new ProgressFileError(
    'PROGRESS_FILE_INVALID',
    file,
    `${file} is not a progress file the lab can read (${detail}).`,
    `Repair it, or delete it: \`mcp-lab check\` and the course rewrite it, and the next one to write keeps a copy of this one beside it first.`,
  );
}

/** A writer that has not let go for this long has died mid-write (a write takes milliseconds). */
const STALE_LOCK_MS = 10_000;
/** How long a writer waits for its turn before it says so. */
const LOCK_WAIT_MS = 60_000;

function alive(pid: unknown): boolean {
  if (typeof pid !== 'number') return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock left by a writer that died (its process is gone, or it held on far longer than any write takes). */
async function stale(lock: string): Promise<boolean> {
  try {
    const [text, stat] = await Promise.all([fs.promises.readFile(lock, 'utf8'), fs.promises.stat(lock)]);
    const holder = (JSON.parse(text || '{}') as { pid?: unknown }).pid;
    return Date.now() - stat.mtimeMs > STALE_LOCK_MS || (text !== '' && !alive(holder));
  } catch {
    // Gone already (released between our attempts), or written only half yet: not ours to break.
    return false;
  }
}

/**
 * Waits for the lock beside `file` (created exclusively, so one writer holds
 * it at a time, across processes and within one), runs `work`, lets go.
 */
async function withLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  const gaveUpAt = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await fs.promises.writeFile(lock, JSON.stringify({ pid: process.pid, at: new Date().toISOString() }), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await stale(lock)) {
      await fs.promises.rm(lock, { force: true });
      continue;
    }
    if (Date.now() > gaveUpAt) {
      throw new ProgressFileError('PROGRESS_LOCKED', file, `Another writer has held ${lock} for over ${LOCK_WAIT_MS / 1000} s.`, `If no \`mcp-lab\` command or course site is running, delete ${lock}.`);
    }
    await sleep(5 + Math.random() * 20);
  }
  try {
    return await work();
  } finally {
    await fs.promises.rm(lock, { force: true });
  }
}

/**
 * Reads the file under the lock, applies `change`, writes the result whole.
 *
 * A file that cannot be read is moved aside (`progress.json.unreadable-<time>`)
 * and the write goes ahead on a fresh one, rather than the write being refused:
 * what a learner wants after a check is their result saved, and a hand-edit
 * gone wrong (the only way this file breaks; writes are atomic) is kept whole
 * for them to take back. Writers say where it went (`setAside`). A file from a
 * newer version is the exception: it is valid data, so the write is refused
 * (PROGRESS_FILE_NEWER) and the file left as it is.
 */
export async function updateProgress(file: string, change: (progress: Progress) => Progress): Promise<ProgressWrite> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  return withLock(file, async () => {
    let current = emptyProgress();
    let setAside: string | undefined;
    try {
      current = readProgress(file);
    } catch (error) {
      if (!(error instanceof ProgressFileError) || error.code !== 'PROGRESS_FILE_INVALID') throw error;
      setAside = `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await fs.promises.rename(file, setAside);
    }
    const progress = change(current);
    const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
    await fs.promises.writeFile(temp, `${JSON.stringify(progress, null, 2)}\n`);
    await fs.promises.rename(temp, file);
    return { progress, ...(setAside ? { setAside } : {}) };
  });
}

/** What a check run leaves in progress: every visible check by id (`error` ones too), hidden ones only counted. */
export function labProgressOf(result: LabResult, at = new Date()): LabProgress {
  return {
    status: result.status,
    score: result.score,
    maxScore: result.maxScore,
    checks: Object.fromEntries(result.checks.filter((c) => c.visibility === 'visible').map((c) => [c.id, c.status])),
    hiddenFailed: result.checks.filter((c) => c.visibility === 'hidden' && c.status !== 'pass').length,
    at: at.toISOString(),
  };
}

/**
 * Whether a run counts as the lab's latest result: it must have checked
 * something. An `error` result with checks (the learner's server would not
 * start) is theirs and counts; one without (no working copy, the IdP out of
 * reach) says nothing about their work and would wipe their last real score.
 */
export function isRecordable(result: LabResult): boolean {
  return result.checks.length > 0;
}

/** Records a lab's result under its id; the rest of the file stays as it was. */
export function recordLabResult(file: string, result: LabResult): Promise<ProgressWrite> {
  return updateProgress(file, (progress) => ({ ...progress, labs: { ...progress.labs, [result.lab]: labProgressOf(result) } }));
}

/** Marks one lesson read or unread; the rest of the file stays as it was. */
export function setLessonRead(file: string, lessonId: string, read: boolean, now = new Date()): Promise<ProgressWrite> {
  if (!LESSON_ID.test(lessonId)) throw new RangeError(`"${lessonId}" is not a lesson id`);
  return updateProgress(file, (progress) => {
    const lessons = { ...progress.lessons };
    if (read) lessons[lessonId] = { read: true, at: now.toISOString() };
    else delete lessons[lessonId];
    return { ...progress, lessons };
  });
}
