import { describe, expect, it } from 'vitest';
import { HIDDEN_CHECK_FAILED } from '../src/report/audience.ts';
import { EXERCISM_TRUNCATED, toExercism } from '../src/report/exercism.ts';
import { check, hiddenCheck, leakedSecrets, manifest, mixedResult, result } from './report-fixtures.ts';

/*
 * Expectations from the Exercism test-runner interface, results.json v3:
 * https://exercism.org/docs/building/tooling/test-runners/interface
 * (source: github.com/exercism/docs, building/tooling/test-runners/interface.md)
 */

type Json = Record<string, unknown>;
const TOP_LEVEL_KEYS = ['version', 'status', 'message', 'tests'];
const TEST_KEYS = ['name', 'test_code', 'status', 'message', 'output', 'task_id'];

function parse(text: string): Json & { tests: Json[] } {
  return JSON.parse(text) as Json & { tests: Json[] };
}

/** Every rule of the spec that holds for any results.json v3. */
function expectSpecCompliant(doc: Json & { tests: Json[] }): void {
  // Top level: only the spec's keys.
  for (const key of Object.keys(doc)) expect(TOP_LEVEL_KEYS).toContain(key);
  // "version … presence: required … version: 3: For tracks which test runner can link individual tests to a task."
  expect(doc.version).toBe(3);
  // "status … presence: required": pass | fail | error.
  expect(['pass', 'fail', 'error']).toContain(doc.status);
  // "message … presence: required if status = error"; "When the status is not error, either set the value to null or omit the key".
  if (doc.status === 'error') expect(typeof doc.message).toBe('string');
  else expect(doc.message ?? null).toBeNull();
  // "tests … type: array, presence: required" (v2, v3).
  expect(Array.isArray(doc.tests)).toBe(true);
  for (const test of doc.tests) {
    for (const key of Object.keys(test)) expect(TEST_KEYS).toContain(key);
    // "name … type: string, presence: required"
    expect(typeof test.name).toBe('string');
    // per-test "status … presence: required": pass | fail | error.
    expect(['pass', 'fail', 'error']).toContain(test.status);
    // "test_code … type: string" (must for Concept Exercises: we always write it).
    expect(typeof test.test_code).toBe('string');
    // "message … type: string, presence: optional"; "output … optional"; "must be limited to 500 chars".
    if (test.message !== undefined) expect(typeof test.message === 'string' || test.message === null).toBe(true);
    if (test.output !== undefined) {
      expect(typeof test.output).toBe('string');
      expect([...(test.output as string)].length).toBeLessThanOrEqual(500);
    }
    // "task_id … type: number, presence: optional" (v3).
    if (test.task_id !== undefined) expect(Number.isInteger(test.task_id)).toBe(true);
  }
  // "fail: At least one test failed" / "pass: All tests passed".
  if (doc.status === 'pass') expect(doc.tests.every((t) => t.status === 'pass')).toBe(true);
  if (doc.status === 'fail') expect(doc.tests.some((t) => t.status !== 'pass')).toBe(true);
}

describe('toExercism (results.json v3)', () => {
  it('follows the spec for a failing lab: tests in order with name, status, message, output, test_code, task_id', () => {
    const doc = parse(toExercism(mixedResult()));
    expectSpecCompliant(doc);
    expect(doc.status).toBe('fail');
    expect(doc.tests.map((t) => t.name)).toEqual(['Title of profile-returned', 'Title of silent-second-call', 'Title of cache-encrypted', HIDDEN_CHECK_FAILED]);
    expect(doc.tests.map((t) => t.status)).toEqual(['pass', 'fail', 'error', 'fail']);
    expect(doc.tests[0]).toEqual({ name: 'Title of profile-returned', status: 'pass', test_code: 'expect(profile-returned).toHold()', task_id: 1 });
    expect(doc.tests[1]!.message).toContain('The second call opened a browser.');
    expect(doc.tests[1]!.message).toContain('Hint: Hint for silent-second-call');
    expect(doc.tests[1]!.output).toBe('server: signing in\n');
    expect(doc.tests[1]!.task_id).toBe(2);
    expect('task_id' in doc.tests[2]!).toBe(false);
  });

  it('is pass when every test passes, with message null', () => {
    const doc = parse(toExercism(result([check({ id: 'a' }), hiddenCheck('pass')])));
    expectSpecCompliant(doc);
    expect(doc.status).toBe('pass');
    expect(doc.message).toBeNull();
    expect(doc.tests).toHaveLength(1);
  });

  it('is error with a message when the lab could not run', () => {
    const doc = parse(toExercism(result([], { status: 'error', message: 'npm start exited with code 1' })));
    expectSpecCompliant(doc);
    expect(doc.status).toBe('error');
    expect(doc.message).toBe('npm start exited with code 1');
  });

  it('is fail, not pass, when only a hidden check failed', () => {
    const doc = parse(toExercism(result([check({ id: 'a' }), hiddenCheck('fail')])));
    expectSpecCompliant(doc);
    expect(doc.status).toBe('fail');
  });

  it('keeps tests in manifest order even when checks finished in another order', () => {
    const r = result([check({ id: 'c' }), check({ id: 'a' }), check({ id: 'b' })]);
    const doc = parse(toExercism(r, { manifest: manifest(['a', 'b', 'c']) }));
    expect(doc.tests.map((t) => t.name)).toEqual(['Title of a', 'Title of b', 'Title of c']);
  });

  it('truncates output to 500 characters with the spec’s marker, without splitting an emoji', () => {
    const long = `${'x'.repeat(480)}${'😀'.repeat(100)}`;
    const doc = parse(toExercism(result([check({ id: 'a', status: 'fail', points: 0, output: long })])));
    expectSpecCompliant(doc);
    const output = doc.tests[0]!.output as string;
    expect([...output]).toHaveLength(500);
    expect(output.endsWith(EXERCISM_TRUNCATED)).toBe(true);
    expect(EXERCISM_TRUNCATED).toContain('Output was truncated. Please limit to 500 chars');
    expect(output).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    const exact = 'y'.repeat(500);
    const kept = parse(toExercism(result([check({ id: 'a', output: exact })])));
    expect(kept.tests[0]!.output).toBe(exact);
  });

  it('never shows a hidden check’s id, title, message, hint, output or test code', () => {
    const text = toExercism(result([hiddenCheck('fail'), check({ id: 'a' }), hiddenCheck('error')]));
    expect(leakedSecrets(text)).toEqual([]);
    const doc = parse(text);
    expectSpecCompliant(doc);
    // Anonymous entries come after the visible tests, numbered so names stay unique.
    expect(doc.tests.map((t) => t.name)).toEqual(['Title of a', `${HIDDEN_CHECK_FAILED} (1 of 2)`, `${HIDDEN_CHECK_FAILED} (2 of 2)`]);
    expect(doc.tests[1]).toMatchObject({ status: 'fail', message: HIDDEN_CHECK_FAILED });
  });

  it('strips terminal escape sequences and control characters from output', () => {
    const doc = parse(toExercism(result([check({ id: 'a', status: 'fail', points: 0, output: '\u001b[31mred\u001b[0m\u0000\r\nnext' })])));
    expect(doc.tests[0]!.output).toBe('red\uFFFD\nnext');
  });
});
