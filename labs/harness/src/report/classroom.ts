import type { CheckMeta, LabResult } from '../model.ts';
import type { CheckLang } from '../check-language.ts';
import { plainText, truncate } from './text-safety.ts';
import { reportWords } from './words.ts';

/**
 * GitHub Classroom's autograding result: what the grading reporter action
 * (classroom-resources/autograding-grading-reporter@v1) reads and sends to
 * Classroom. Relied on, as read in that action's source:
 * - src/main.js: for each runner id in its `runners` input, the environment
 *   variable `<RUNNER ID UPPER-CASED>_RESULTS` holds this JSON, base64-encoded
 *   (the grader actions' `result` step output);
 * - src/notify-classroom.js: the points Classroom shows are the sum of
 *   `tests[].score` out of `max_score` ("Points N/M" on the run's check);
 * - src/console-results.js: each test's `name`, `status` (`pass` shows ✅,
 *   anything else ❌ with `message`); src/main.js fails the run when the
 *   top-level `status` is `fail` or `error`.
 * Every check is one test with its points, so Classroom shows per-check
 * points and the total; labs not handed in count with every check at 0, so
 * the maximum is the same on every commit.
 */

export interface ClassroomTest {
  name: string;
  status: 'pass' | 'fail' | 'error';
  score: number;
  message: string | null;
  test_code: string;
}

export interface ClassroomResult {
  version: 1;
  status: 'pass' | 'fail' | 'error';
  max_score: number;
  tests: ClassroomTest[];
}

/** The reporter prints messages in a log: keep each readable there. */
const MESSAGE_LIMIT = 2_000;

export interface ClassroomLab {
  id: string;
  checks: readonly CheckMeta[];
  /** Where the learner's copy would be, for the "not handed in" message. */
  folder: string;
}

/**
 * The result for one learner's labs. A learner may read it (it is in their
 * repository's run): a hidden check is named only by its lab and place, and a
 * failed one says only that it failed.
 */
export function toClassroomResult(labs: readonly ClassroomLab[], results: Readonly<Partial<Record<string, LabResult>>>, lang: CheckLang = 'en'): ClassroomResult {
  const words = reportWords(lang);
  const tests: ClassroomTest[] = [];
  let errored = false;
  for (const lab of labs) {
    const result = results[lab.id];
    if (result?.status === 'error') errored = true;
    const byId = new Map((result?.checks ?? []).map((c) => [c.id, c]));
    lab.checks.forEach((meta, i) => {
      const check = byId.get(meta.id);
      const hidden = meta.visibility === 'hidden';
      const name = hidden ? words.hiddenCheckNumber(lab.id, i + 1) : `${lab.id} · ${meta.id}: ${meta.title}`;
      if (!result) {
        tests.push({ name, status: 'fail', score: 0, message: words.notHandedIn(lab.folder), test_code: hidden ? '' : meta.testCode });
        return;
      }
      if (!check) {
        tests.push({ name, status: 'error', score: 0, message: hidden ? words.hiddenCheckFailed : truncate(plainText(result.message ?? words.labCouldNotBeChecked), MESSAGE_LIMIT, '…'), test_code: hidden ? '' : meta.testCode });
        return;
      }
      const message = check.status === 'pass' ? null : hidden ? words.hiddenCheckFailed : truncate(plainText(`${check.message ?? ''}\n${words.hint} ${check.hint}`), MESSAGE_LIMIT, '…');
      tests.push({ name, status: hidden && check.status !== 'pass' ? 'fail' : check.status, score: check.points, message, test_code: hidden ? '' : check.testCode });
    });
  }
  const max = labs.reduce((sum, lab) => sum + lab.checks.reduce((s, c) => s + c.points, 0), 0);
  const status = errored ? 'error' : tests.every((t) => t.status === 'pass') ? 'pass' : 'fail';
  return { version: 1, status, max_score: max, tests };
}

/** The `result` step output: the document as base64 of its JSON, as the reporter decodes it. */
export function classroomOutput(result: ClassroomResult): string {
  return Buffer.from(JSON.stringify(result), 'utf8').toString('base64');
}
