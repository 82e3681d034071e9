import { describe, expect, it } from 'vitest';
import { HIDDEN_CHECK_FAILED } from '../src/report/audience.ts';
import { toGradescope } from '../src/report/gradescope.ts';
import { HIDDEN_SECRETS, check, hiddenCheck, leakedSecrets, mixedResult, result } from './report-fixtures.ts';

/*
 * Expectations from Gradescope's autograder specification:
 * https://gradescope-autograders.readthedocs.io/en/latest/specs/
 * (source: github.com/gradescope/autograder_samples, docs/specs.md)
 */

type Json = Record<string, unknown>;
const VISIBILITY = ['hidden', 'after_due_date', 'after_published', 'visible'];
const TOP_LEVEL_KEYS = ['score', 'max_score', 'execution_time', 'output', 'visibility', 'stdout_visibility', 'extra_data', 'tests', 'leaderboard'];
const TEST_KEYS = ['score', 'max_score', 'status', 'name', 'number', 'output', 'tags', 'visibility', 'extra_data'];

function parse(text: string): Json & { tests: Json[] } {
  return JSON.parse(text) as Json & { tests: Json[] };
}

function expectSpecCompliant(doc: Json & { tests: Json[] }): void {
  for (const key of Object.keys(doc)) expect(TOP_LEVEL_KEYS).toContain(key);
  // "score … optional, but required if not on each test case": we always give it (it overrides the tests' total).
  expect(typeof doc.score).toBe('number');
  // "execution_time … optional, seconds"; "output … optional" text.
  expect(typeof doc.execution_time).toBe('number');
  expect(typeof doc.output).toBe('string');
  // "visibility" and "stdout_visibility": one of hidden, after_due_date, after_published, visible.
  expect(VISIBILITY).toContain(doc.visibility);
  expect(VISIBILITY).toContain(doc.stdout_visibility);
  for (const test of doc.tests) {
    for (const key of Object.keys(test)) expect(TEST_KEYS).toContain(key);
    expect(typeof test.score).toBe('number');
    expect(typeof test.max_score).toBe('number');
    expect(test.score as number).toBeLessThanOrEqual(test.max_score as number);
    // Test case status: "passed" or "failed".
    expect(['passed', 'failed']).toContain(test.status);
    expect(typeof test.name).toBe('string');
    if (test.output !== undefined) expect(typeof test.output).toBe('string');
    expect(VISIBILITY).toContain(test.visibility);
  }
}

/** What a student can ever see: tests whose visibility is not `hidden` ("test case will never be shown to students"). */
function studentVisible(doc: Json & { tests: Json[] }): string {
  return JSON.stringify({ output: doc.output, tests: doc.tests.filter((t) => t.visibility !== 'hidden') });
}

describe('toGradescope', () => {
  it('gives every check a score, max_score, passed/failed status and visibility', () => {
    const doc = parse(toGradescope(mixedResult(), { audience: 'instructor' }));
    expectSpecCompliant(doc);
    expect(doc.score).toBe(2);
    expect(doc.execution_time).toBe(5.432);
    expect(doc.stdout_visibility).toBe('hidden');
    expect(doc.tests.slice(0, 3)).toMatchObject([
      { name: 'profile-returned: Title of profile-returned', score: 2, max_score: 2, status: 'passed', visibility: 'visible' },
      { name: 'silent-second-call: Title of silent-second-call', score: 0, max_score: 2, status: 'failed', visibility: 'visible' },
      { name: 'cache-encrypted: Title of cache-encrypted', score: 0, max_score: 2, status: 'failed', visibility: 'visible' },
    ]);
    expect(doc.tests[1]!.output).toContain('Hint: Hint for silent-second-call');
    expect(doc.tests[2]!.output).toMatch(/^Could not run: /);
  });

  it('marks a hidden check `hidden` (instructors see it in full) and shows students only that a hidden check failed', () => {
    const doc = parse(toGradescope(mixedResult(), { audience: 'instructor' }));
    expectSpecCompliant(doc);
    const hidden = doc.tests.find((t) => t.visibility === 'hidden')!;
    expect(hidden).toMatchObject({ name: `${HIDDEN_SECRETS.id}: ${HIDDEN_SECRETS.title}`, score: 0, max_score: 3, status: 'failed' });
    expect(hidden.output).toContain(HIDDEN_SECRETS.message);
    const placeholder = doc.tests.at(-1)!;
    expect(placeholder).toEqual({ name: HIDDEN_CHECK_FAILED, score: 0, max_score: 0, status: 'failed', output: HIDDEN_CHECK_FAILED, visibility: 'visible' });
    expect(leakedSecrets(studentVisible(doc))).toEqual([]);
    // The tests add up to the top-level score, hidden points included.
    expect(doc.tests.reduce((s, t) => s + (t.max_score as number), 0)).toBe(9);
  });

  it('leaves hidden checks out of a learner copy entirely, but keeps the grade', () => {
    const text = toGradescope(result([check({ id: 'a' }), hiddenCheck('fail'), hiddenCheck('pass')]), { audience: 'learner' });
    expect(leakedSecrets(text)).toEqual([]);
    const doc = parse(text);
    expectSpecCompliant(doc);
    expect(doc.tests.map((t) => t.name)).toEqual(['a: Title of a', HIDDEN_CHECK_FAILED]);
    expect(doc.score).toBe(5);
    expect(doc.output).toContain(HIDDEN_CHECK_FAILED);
  });

  it('says why in the output when the lab could not run', () => {
    const doc = parse(toGradescope(result([], { status: 'error', message: 'npm start exited with code 1' }), { audience: 'instructor' }));
    expectSpecCompliant(doc);
    expect(doc.score).toBe(0);
    expect(doc.output).toContain('could not be checked: npm start exited with code 1');
  });
});
