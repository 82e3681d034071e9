import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * `.lab/progress.json`, the one progress store the site and `mcp-lab` share:
 * `{ version: 1, lessons: { <lesson-id>: { read, at } }, labs: { <lab-folder>: … } }`.
 * The site writes only `lessons`; `labs` (written by the CLI) and anything it
 * does not know are kept exactly as read. The file is always written whole.
 */
export const LessonProgress = z.object({ read: z.boolean(), at: z.iso.datetime() });
export const Progress = z.looseObject({
  version: z.literal(1),
  lessons: z.record(z.string(), LessonProgress),
  labs: z.record(z.string(), z.unknown()),
});
export type Progress = z.infer<typeof Progress>;

export const LESSON_ID = /^[a-z0-9][a-z0-9/-]{0,119}$/;

export class ProgressFileError extends Error {
  readonly code = 'PROGRESS_FILE_INVALID';
  readonly file: string;
  constructor(file: string, detail: string) {
    super(`${file} is not a progress file this site understands (${detail}). Fix or delete it; \`mcp-lab check\` rewrites the lab part.`);
    this.file = file;
  }
}

export function progressFile(labHome: string): string {
  return path.join(labHome, 'progress.json');
}

export function emptyProgress(): Progress {
  return { version: 1, lessons: {}, labs: {} };
}

export function readProgress(file: string): Progress {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyProgress();
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ProgressFileError(file, `not JSON: ${(error as Error).message}`);
  }
  const parsed = Progress.safeParse(json);
  if (!parsed.success) throw new ProgressFileError(file, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  return parsed.data;
}

/** Writes the whole file through a temporary sibling and a rename, so a reader never sees half of it. */
export function writeProgress(file: string, progress: Progress): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(progress, null, 2)}\n`);
  fs.renameSync(temp, file);
}

/** Marks one lesson read or unread; everything else in the file is left as it was. */
export function setLessonRead(file: string, lessonId: string, read: boolean, now = new Date()): Progress {
  if (!LESSON_ID.test(lessonId)) throw new RangeError(`"${lessonId}" is not a lesson id`);
  const progress = readProgress(file);
  const lessons = { ...progress.lessons };
  if (read) lessons[lessonId] = { read: true, at: now.toISOString() };
  else delete lessons[lessonId];
  const next: Progress = { ...progress, lessons };
  writeProgress(file, next);
  return next;
}
