import { z } from 'zod';
import { LANGUAGES } from '../../../src/content/languages.ts';
import { loadCourse } from '../../../src/content/loader.ts';
import { labHome } from '../../../src/content/paths.ts';
import { ProgressFileError, progressFile, readProgress, setLessonRead } from '@mcp-lab/harness/progress';

export const dynamic = 'force-dynamic';

const Update = z.strictObject({ lesson: z.string(), read: z.boolean() });

function problem(status: number, error: string, message: string, fix: string): Response {
  return Response.json({ error, message, fix }, { status });
}

function failure(error: unknown): Response {
  if (error instanceof ProgressFileError) return problem(500, error.code, error.message, error.fix);
  return problem(500, 'PROGRESS_IO', (error as Error).message, 'Check that the .lab folder is writable.');
}

/** The learner's progress, read from `.lab/progress.json` (the file `mcp-lab` writes too). */
export function GET(): Response {
  try {
    return Response.json(readProgress(progressFile(labHome())));
  } catch (error) {
    return failure(error);
  }
}

/** `{ lesson, read }`: marks one lesson read or unread; the rest of the file is kept as it was. */
export async function PUT(request: Request): Promise<Response> {
  // JSON only: a cross-site form or text/plain post (no CORS preflight) cannot change a learner's progress.
  if (!request.headers.get('content-type')?.startsWith('application/json')) {
    return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the update as application/json.', 'Set Content-Type: application/json.');
  }
  let update: z.infer<typeof Update>;
  try {
    update = Update.parse(await request.json());
  } catch {
    return problem(400, 'BAD_REQUEST', 'Expected a JSON body { "lesson": "<lesson id>", "read": true|false }.', 'Send the lesson id shown in the page and a boolean.');
  }
  const known = new Set(LANGUAGES.flatMap((lang) => loadCourse(lang).lessons.map((l) => l.id)));
  if (!known.has(update.lesson)) return problem(404, 'UNKNOWN_LESSON', `There is no lesson "${update.lesson}".`, `Use one of: ${[...known].join(', ')}.`);
  try {
    const written = await setLessonRead(progressFile(labHome()), update.lesson, update.read);
    // Said where the learner looks while the site runs: the terminal of `npm start`.
    if (written.setAside) console.warn(`progress: ${progressFile(labHome())} could not be read; it was kept as ${written.setAside} and a new one started.`);
    return Response.json(written.progress);
  } catch (error) {
    return failure(error);
  }
}
