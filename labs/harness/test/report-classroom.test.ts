import { describe, expect, it } from 'vitest';
import { HIDDEN_CHECK_FAILED } from '../src/report/audience.ts';
import { classroomOutput, toClassroomResult, type ClassroomLab } from '../src/report/classroom.ts';
import { HIDDEN_SECRETS, LAB, check, hiddenCheck, leakedSecrets, manifest, result } from './report-fixtures.ts';

/*
 * GitHub Classroom's result, as its grading reporter reads it
 * (classroom-resources/autograding-grading-reporter: `<RUNNER>_RESULTS` is the
 * base64 JSON; the points are the sum of tests[].score out of max_score).
 */

const lab02 = manifest(['profile-returned', 'silent-second-call']);
const checks = [...lab02.checks, { ...lab02.checks[0]!, id: HIDDEN_SECRETS.id, title: HIDDEN_SECRETS.title, points: 3, visibility: 'hidden' as const, testCode: HIDDEN_SECRETS.testCode }];
const lab: ClassroomLab = { id: LAB, checks, folder: `work/${LAB}` };

describe('the GitHub Classroom result', () => {
  it('has one test per check with the points it earned, out of every check’s points', () => {
    const doc = toClassroomResult([lab], { [LAB]: result([check({ id: 'profile-returned' }), check({ id: 'silent-second-call', status: 'fail', points: 0, message: 'The second call opened a browser.' }), hiddenCheck('pass')]) });
    expect(doc).toMatchObject({ version: 1, status: 'fail', max_score: 2 + 2 + 3 });
    expect(doc.tests.map((t) => [t.status, t.score])).toEqual([
      ['pass', 2],
      ['fail', 0],
      ['pass', 3],
    ]);
    expect(doc.tests[1]!.message).toContain('The second call opened a browser.');
    // What the reporter decodes is this document.
    expect(JSON.parse(Buffer.from(classroomOutput(doc), 'base64').toString('utf8'))).toEqual(doc);
  });

  it('names a hidden check by its place only, and a failed one says only that it failed', () => {
    const doc = toClassroomResult([lab], { [LAB]: result([check({ id: 'profile-returned' }), check({ id: 'silent-second-call' }), hiddenCheck('fail')]) });
    expect(doc.tests[2]).toEqual({ name: `${LAB} · hidden check 3`, status: 'fail', score: 0, message: HIDDEN_CHECK_FAILED, test_code: '' });
    expect(leakedSecrets(JSON.stringify(doc))).toEqual([]);
  });

  it('counts a lab not handed in with every check at 0, so the maximum never changes', () => {
    const doc = toClassroomResult([lab], {});
    expect(doc.max_score).toBe(7);
    expect(doc.tests.every((t) => t.score === 0 && t.status === 'fail' && t.message === `not handed in: there is no work/${LAB} in this commit`)).toBe(true);
  });

  it('is an error when the lab could not be checked, with the reason on each visible check', () => {
    const doc = toClassroomResult([lab], { [LAB]: result([], { status: 'error', message: 'The server cannot start: it exited with code 1' }) });
    expect(doc.status).toBe('error');
    expect(doc.tests.slice(0, 2).every((t) => t.status === 'error' && t.message?.includes('The server cannot start'))).toBe(true);
    expect(doc.tests[2]!.message).toBe(HIDDEN_CHECK_FAILED);
  });
});
