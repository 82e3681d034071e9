import type { CheckResult, LabManifest, LabResult } from '../model.ts';
import { hiddenFailureName, shownChecks } from './audience.ts';
import type { Audience } from './audience.ts';
import { failureDetails } from './details.ts';
import { orderedChecks } from './order.ts';
import { plainText } from './text-safety.ts';
import { seconds } from './wording.ts';
import { reportWords, type ReportWords } from './words.ts';
import type { CheckLang } from '../check-language.ts';

/**
 * Gradescope's autograder `results.json`:
 * https://gradescope-autograders.readthedocs.io/en/latest/specs/
 *
 * Gradescope itself decides what students see, per test, from `visibility`.
 * A hidden check becomes a test with `visibility: "hidden"` ("never shown to
 * students"; instructors see every test) carrying its points and details, plus
 * a visible 0-point test named "a hidden check failed" when it failed. Why not
 * `after_published`: that would show the hidden check in full once grades are
 * published, and while any test is not yet visible Gradescope hides the
 * student's total score. See docs/results-format.md.
 */

export type GradescopeVisibility = 'hidden' | 'after_due_date' | 'after_published' | 'visible';

export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output?: string;
  visibility: GradescopeVisibility;
}

export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  visibility: GradescopeVisibility;
  stdout_visibility: GradescopeVisibility;
  tests: GradescopeTest[];
}

export interface GradescopeOptions {
  /**
   * Instructor: the file Gradescope ingests — hidden checks in full, marked
   * `hidden`. Learner: hidden checks left out except the anonymous failures
   * (for a copy a learner may open themselves).
   */
  audience: Audience;
  manifest?: LabManifest;
  /** The language of the fixed words around the checks (default English; the checks' titles and hints come with the manifest). */
  lang?: CheckLang;
}

export function toGradescopeDocument(result: LabResult, options: GradescopeOptions): GradescopeResults {
  const checks = orderedChecks(result, options.manifest);
  const words = reportWords(options.lang);
  const tests: GradescopeTest[] = [];
  // Visible checks first, then the hidden ones: the learner-visible list reads like every other learner output.
  for (const check of checks) if (check.visibility === 'visible') tests.push(toTest(result.lab, check, 'visible', words));
  if (options.audience === 'instructor')
    for (const check of checks) if (check.visibility === 'hidden') tests.push(toTest(result.lab, check, 'hidden', words));
  for (const shown of shownChecks(checks, 'learner'))
    if (shown.kind === 'hidden-failure')
      tests.push({ name: hiddenFailureName(shown, words), score: 0, max_score: 0, status: 'failed', output: words.hiddenCheckFailed, visibility: 'visible' });

  return {
    // Top-level score overrides the sum of the tests (spec): the grade, hidden points included.
    score: result.score,
    execution_time: seconds(result.durationMs),
    output: summary(result, checks, words),
    visibility: 'visible',
    // Whatever the autograder prints may name hidden checks: instructors only.
    stdout_visibility: 'hidden',
    tests,
  };
}

export function toGradescope(result: LabResult, options: GradescopeOptions): string {
  return `${JSON.stringify(toGradescopeDocument(result, options), null, 2)}\n`;
}

function toTest(lab: string, check: CheckResult, visibility: GradescopeVisibility, words: ReportWords): GradescopeTest {
  const test: GradescopeTest = {
    name: `${check.id}: ${check.title}`,
    score: check.points,
    max_score: check.maxPoints,
    // Gradescope knows passed/failed only; a check that could not run did not pass.
    status: check.status === 'pass' ? 'passed' : 'failed',
    visibility,
  };
  if (check.status !== 'pass') {
    const prefix = check.status === 'error' ? words.couldNotRunPrefix : '';
    const output = check.output ? `\n\n${words.serverOutputFull}\n${check.output}` : '';
    test.output = plainText(`${prefix}${failureDetails(lab, check, words)}${output}`);
  }
  return test;
}

/** The text shown above the tests: learner-safe, so it counts hidden failures without naming them. */
function summary(result: LabResult, checks: readonly CheckResult[], words: ReportWords): string {
  const lines = [words.labScore(result.lab, result.score, result.maxScore)];
  if (result.status === 'error') lines.push(words.labCouldNotBeCheckedBecause(result.message ?? words.unknownReason));
  const visible = checks.filter((c) => c.visibility === 'visible');
  const passed = visible.filter((c) => c.status === 'pass').length;
  lines.push(words.checksPass(passed, visible.length));
  const hiddenFailed = checks.filter((c) => c.visibility === 'hidden' && c.status !== 'pass').length;
  if (hiddenFailed === 1) lines.push(`${words.hiddenCheckFailed}.`);
  if (hiddenFailed > 1) lines.push(words.hiddenChecksFailed(hiddenFailed));
  return plainText(lines.join('\n'));
}
