import type { CheckResult } from '../model.ts';
import { reportWords, type ReportWords } from './words.ts';

/**
 * Who reads an output. Hidden checks count toward the grade, but a learner may
 * only learn that one failed (docs/design.md §5): anything that names it — id, title,
 * message, hint, output, test code, even its position in the list — would let
 * a learner write to the test instead of the lesson.
 */
export type Audience = 'learner' | 'instructor';

/** The only words a learner ever sees about a hidden check (in English; words.ts has every language's). */
export const HIDDEN_CHECK_FAILED = reportWords('en').hiddenCheckFailed;

/** One line of a results list as its audience may see it. */
export type ShownCheck =
  | { kind: 'check'; check: CheckResult }
  /** A failed (or errored) hidden check, anonymised: `ordinal` of `of` such failures. */
  | { kind: 'hidden-failure'; ordinal: number; of: number };

/**
 * The checks an audience sees, in order. Instructors see every check where it
 * ran. Learners see the visible checks in order, then one anonymous entry per
 * failed hidden check at the end: at the end so that the position does not
 * hint at the lesson step it tests, and so that the first failure a learner
 * reads is one they can act on. A hidden check that passed is not listed (its
 * points still show in the score). A hidden check that could not run is shown
 * as failed: telling "error" from "fail" would let a learner probe what the
 * hidden check does.
 */
export function shownChecks(checks: readonly CheckResult[], audience: Audience): ShownCheck[] {
  if (audience === 'instructor') return checks.map((check) => ({ kind: 'check', check }));
  const visible: ShownCheck[] = checks.filter((c) => c.visibility === 'visible').map((check) => ({ kind: 'check', check }));
  const hiddenFailures = checks.filter((c) => c.visibility === 'hidden' && c.status !== 'pass').length;
  const anonymous: ShownCheck[] = Array.from({ length: hiddenFailures }, (_, i) => ({ kind: 'hidden-failure', ordinal: i + 1, of: hiddenFailures }));
  return [...visible, ...anonymous];
}

/** `a hidden check failed`, numbered when there are several so that names stay unique. */
export function hiddenFailureName(entry: { ordinal: number; of: number }, words: ReportWords = reportWords()): string {
  return entry.of > 1 ? words.hiddenCheckFailedOf(entry.ordinal, entry.of) : words.hiddenCheckFailed;
}
