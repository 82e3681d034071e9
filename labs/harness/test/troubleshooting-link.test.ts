import { describe, expect, it } from 'vitest';
import { toText } from '../src/report/text.ts';
import { check, result } from './report-fixtures.ts';

describe('a failed check links the troubleshooting entry of the error it met', () => {
  it('names the entry of an AADSTS code in the failure, in the language asked for', () => {
    const failed = result([check({ id: 'sign-in-flow', status: 'fail', points: 0, message: 'Entra answered AADSTS7000215: Invalid client secret provided.' })]);
    expect(toText(failed, { color: false, audience: 'learner' })).toContain('  Troubleshooting: http://localhost:3000/en/troubleshooting#aadsts7000215');
    expect(toText(failed, { color: false, audience: 'learner', lang: 'nl' })).toContain('/nl/troubleshooting#aadsts7000215');
  });

  it('finds it in the server output too (MSAL’s endpoints_resolution_error), and adds nothing for an ordinary failure', () => {
    const untrusted = result([check({ id: 'returns-profile', status: 'fail', points: 0, message: 'the tool failed', output: 'ClientAuthError: endpoints_resolution_error' })]);
    expect(toText(untrusted, { color: false, audience: 'learner' })).toContain('#endpoints_resolution_error');
    const plain = result([check({ id: 'returns-profile', status: 'fail', points: 0, message: 'the tool returned Bob instead of Alice' })]);
    expect(toText(plain, { color: false, audience: 'learner' })).not.toContain('Troubleshooting:');
  });
});
