import type { CheckResult, LabResult } from '../model.ts';
import { LabResultJson } from './json.ts';

/**
 * A `results.json` read back into a LabResult (for `grade --merge`). An
 * instructor document gives back every check; a learner document (a
 * Classroom artifact) has hidden failures without an id or points, so they
 * are left out of the checks — the score and maximum are the document's own
 * and stay exact. Throws with the reason when the text is not a valid
 * results.json.
 */
export function labResultFromJson(text: string): LabResult {
  const parsed = LabResultJson.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`not a results.json this version reads: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const doc = parsed.data;
  const checks: CheckResult[] = doc.checks.flatMap((c): CheckResult[] => {
    if ('hidden' in c) return [];
    const { flow, ...rest } = c;
    return [{ ...rest, ...(flow ? { flow: flow } : {}) }];
  });
  return {
    lab: doc.lab,
    status: doc.status,
    score: doc.score,
    maxScore: doc.maxScore,
    checks,
    ...(doc.message === undefined ? {} : { message: doc.message }),
    startedAt: doc.startedAt,
    durationMs: doc.durationMs,
    submission: doc.submission,
    ...(doc.registration ? { registration: doc.registration } : {}),
    environment: doc.environment,
  };
}
