import type { CheckResult, LabManifest, LabResult } from '../src/model.ts';

/** Results to feed the report writers: a lab with a pass, a fail, an error and a hidden check. */

export const LAB = '02-public-client';

/** Every string a learner must never see about the hidden check. */
export const HIDDEN_SECRETS = {
  id: 'secret-pangolin',
  title: 'SECRET-TITLE-zebra',
  message: 'SECRET-MESSAGE-okapi',
  hint: 'SECRET-HINT-quokka',
  testCode: 'SECRET-CODE-narwhal',
  output: 'SECRET-OUTPUT-axolotl',
  lessonStep: '#secret-step-tapir',
} as const;

export function check(overrides: Partial<CheckResult> & Pick<CheckResult, 'id'>): CheckResult {
  return {
    title: `Title of ${overrides.id}`,
    status: 'pass',
    points: 2,
    maxPoints: 2,
    visibility: 'visible',
    hint: `Hint for ${overrides.id}`,
    lessonStep: `#step-${overrides.id}`,
    testCode: `expect(${overrides.id}).toHold()`,
    durationMs: 1234,
    ...overrides,
  };
}

export function hiddenCheck(status: CheckResult['status'] = 'fail'): CheckResult {
  return check({
    ...HIDDEN_SECRETS,
    status,
    points: status === 'pass' ? 3 : 0,
    maxPoints: 3,
    visibility: 'hidden',
    ...(status === 'pass' ? { message: undefined, output: undefined } : {}),
  });
}

export function result(checks: CheckResult[], overrides: Partial<LabResult> = {}): LabResult {
  const score = checks.reduce((s, c) => s + c.points, 0);
  const maxScore = checks.reduce((s, c) => s + c.maxPoints, 0);
  const failed = checks.some((c) => c.status !== 'pass');
  return {
    lab: LAB,
    status: failed ? 'fail' : 'pass',
    score,
    maxScore,
    checks,
    startedAt: '2025-03-04T05:06:07.890Z',
    durationMs: 5432,
    submission: '/class/alice/work/02-public-client',
    environment: { node: 'v24.1.0', platform: 'linux', harness: '0.1.0' },
    ...overrides,
  };
}

/** pass, fail, error, hidden fail — the mix most tests want. */
export function mixedResult(): LabResult {
  return result([
    check({ id: 'profile-returned', taskId: 1 }),
    check({ id: 'silent-second-call', status: 'fail', points: 0, message: 'The second call opened a browser.', output: 'server: signing in\n', taskId: 2 }),
    check({ id: 'cache-encrypted', status: 'error', points: 0, message: 'The server did not start within 20 s.' }),
    hiddenCheck('fail'),
  ]);
}

export function manifest(ids: string[], overrides: Partial<LabManifest> = {}): LabManifest {
  return {
    manifestVersion: 1,
    id: LAB,
    title: 'Public client',
    titleNl: 'Publieke client',
    lesson: `/en/labs/${LAB}`,
    transport: 'stdio',
    parallelChecks: 1,
    start: { command: ['npm', 'start'] },
    env: ['AUTHORITY_HOST', 'TENANT_ID', 'CLIENT_ID'],
    timeouts: { checkMs: 20_000, labMs: 120_000 },
    checks: ids.map((id) => ({
      id,
      title: `Title of ${id}`,
      points: 2,
      hint: `Hint for ${id}`,
      visibility: 'visible' as const,
      lessonStep: `#step-${id}`,
      testCode: `expect(${id}).toHold()`,
    })),
    ...overrides,
  };
}

/** Asserts none of the hidden check's strings occur in `text`. */
export function leakedSecrets(text: string): string[] {
  return Object.values(HIDDEN_SECRETS).filter((secret) => text.includes(secret));
}
