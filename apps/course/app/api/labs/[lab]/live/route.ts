import { z } from 'zod';
import { LAB_ID, problem, refuseCrossSite } from '../../../../../src/lab/guard.ts';
import { streamRunner } from '../../../../../src/lab/runner.ts';

export const dynamic = 'force-dynamic';

const Body = z.strictObject({ source: z.enum(['solution', 'work']).default('solution') });

/**
 * `POST { source }`: runs the lab's real flow once — its server (the solution
 * or the learner's `work/` copy) started by the harness, the IdP the learner
 * signs in at — and streams every step (NDJSON) for the live diagram.
 */
export async function POST(request: Request, { params }: { params: Promise<{ lab: string }> }): Promise<Response> {
  const refused = refuseCrossSite(request);
  if (refused) return refused;
  const { lab } = await params;
  if (!LAB_ID.test(lab)) return problem(404, 'UNKNOWN_LAB', `There is no lab "${lab}".`, 'Use a lab folder name such as 02-public-client.');
  const body = Body.safeParse(await request.json().catch(() => ({})));
  if (!body.success) return problem(400, 'BAD_REQUEST', 'Expected { "source": "solution" | "work" }.', 'Choose the solution or your working copy.');
  return streamRunner(['live', lab, '--source', body.data.source], request.signal);
}
