import { z } from 'zod';
import { CHECK_ID, LAB_ID, problem, refuseCrossSite } from '../../../../../src/lab/guard.ts';
import { streamRunner } from '../../../../../src/lab/runner.ts';

export const dynamic = 'force-dynamic';

const Body = z.strictObject({ only: z.array(z.string().regex(CHECK_ID)).min(1).max(50).optional() });

/**
 * `POST { only? }`: runs the lab's checks against `work/<lab>/` through the
 * harness and streams each result (NDJSON) as soon as it is known.
 */
export async function POST(request: Request, { params }: { params: Promise<{ lab: string }> }): Promise<Response> {
  const refused = refuseCrossSite(request);
  if (refused) return refused;
  const { lab } = await params;
  if (!LAB_ID.test(lab)) return problem(404, 'UNKNOWN_LAB', `There is no lab "${lab}".`, 'Use a lab folder name such as 02-public-client.');
  const body = Body.safeParse(await request.json().catch(() => undefined));
  if (!body.success) return problem(400, 'BAD_REQUEST', 'Expected { "only"?: ["<check id>", …] }.', 'Send the ids of the checks to run, or nothing to run them all.');
  return streamRunner(['check', lab, ...(body.data.only ? ['--only', body.data.only.join(',')] : [])], request.signal);
}
