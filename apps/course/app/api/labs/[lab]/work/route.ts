import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../../../../src/content/paths.ts';
import { LAB_ID, problem, refuseCrossSite } from '../../../../../src/lab/guard.ts';

export const dynamic = 'force-dynamic';

/** `POST {}`: makes the learner's working copy with `mcp-lab start <lab>` itself (from the starter, `.env` filled; never overwrites). */
export async function POST(request: Request, { params }: { params: Promise<{ lab: string }> }): Promise<Response> {
  const refused = refuseCrossSite(request);
  if (refused) return refused;
  const { lab } = await params;
  if (!LAB_ID.test(lab)) return problem(404, 'UNKNOWN_LAB', `There is no lab "${lab}".`, 'Use a lab folder name such as 02-public-client.');
  const cli = path.join(repoRoot(), 'apps', 'lab', 'bin', 'mcp-lab.js');
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'start', lab], { cwd: repoRoot(), env: process.env, timeout: 60_000 });
    return Response.json({ ok: true, output: stdout.trim() });
  } catch (error) {
    const failed = error as Error & { stderr?: string; code?: number };
    return problem(failed.code === 64 ? 404 : 500, 'START_FAILED', (failed.stderr ?? failed.message).trim(), `Run \`npm run lab -- start ${lab}\` in a terminal to see the whole message.`);
  }
}
