import type { CheckResult, LabManifest, LabResult } from '../model.ts';
import { hiddenFailureName, shownChecks } from './audience.ts';
import { failureDetails } from './details.ts';
import { orderedChecks } from './order.ts';
import { plainText, truncate } from './text-safety.ts';
import { reportWords, type ReportWords } from './words.ts';
import type { CheckLang } from '../check-language.ts';

/**
 * Exercism's test-runner `results.json`, version 3:
 * https://exercism.org/docs/building/tooling/test-runners/interface
 *
 * Exercism shows the whole file to the student, so there is no instructor
 * variant: hidden checks are always anonymised.
 */

export interface ExercismTest {
  name: string;
  status: 'pass' | 'fail' | 'error';
  message?: string;
  output?: string;
  test_code: string;
  task_id?: number;
}

export interface ExercismResults {
  version: 3;
  status: 'pass' | 'fail' | 'error';
  /** Required when status is `error`; null otherwise (the spec allows null or absent). */
  message: string | null;
  tests: ExercismTest[];
}

/** The spec: per-test `output` "must be limited to 500 chars", truncated "with a message". */
export const EXERCISM_OUTPUT_LIMIT = 500;
export const EXERCISM_TRUNCATED = '\nOutput was truncated. Please limit to 500 chars';
/** The current spec caps the top-level message at 65535 characters. */
const MESSAGE_LIMIT = 65_535;

export interface ExercismOptions {
  manifest?: LabManifest;
  /** The language of the fixed words around the checks (default English). */
  lang?: CheckLang;
}

export function toExercismDocument(result: LabResult, options: ExercismOptions = {}): ExercismResults {
  const words = reportWords(options.lang);
  const tests = shownChecks(orderedChecks(result, options.manifest), 'learner').map((shown): ExercismTest => {
    if (shown.kind === 'hidden-failure')
      return { name: hiddenFailureName(shown, words), status: 'fail', message: words.hiddenCheckFailed, test_code: words.hiddenTestCode };
    return toTest(result.lab, shown.check, words);
  });
  if (result.status === 'error') {
    const message = truncate(plainText(result.message ?? words.labCouldNotBeChecked), MESSAGE_LIMIT, '…');
    return { version: 3, status: 'error', message, tests };
  }
  // "fail: at least one test has status fail or error" — derived from what the
  // student sees, so the overall status never contradicts the list.
  const status = tests.some((t) => t.status !== 'pass') ? 'fail' : 'pass';
  return { version: 3, status, message: null, tests };
}

export function toExercism(result: LabResult, options: ExercismOptions = {}): string {
  return `${JSON.stringify(toExercismDocument(result, options), null, 2)}\n`;
}

function toTest(lab: string, check: CheckResult, words: ReportWords): ExercismTest {
  const test: ExercismTest = { name: check.title, status: check.status, test_code: check.testCode };
  // The message is what the student reads under a failed test: what went wrong, the hint, the step to reread.
  if (check.status !== 'pass') test.message = plainText(failureDetails(lab, check, words));
  if (check.output) test.output = truncate(plainText(check.output), EXERCISM_OUTPUT_LIMIT, EXERCISM_TRUNCATED);
  if (check.taskId !== undefined) test.task_id = check.taskId;
  return test;
}
