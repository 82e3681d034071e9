import { describe, expect, it } from 'vitest';
import { HIDDEN_CHECK_FAILED } from '../src/report/audience.ts';
import { toText } from '../src/report/text.ts';
import { HIDDEN_SECRETS, LAB, check, hiddenCheck, leakedSecrets, manifest, mixedResult, result } from './report-fixtures.ts';

const learner = { color: false, audience: 'learner' } as const;

describe('toText (what `mcp-lab check` prints at the end)', () => {
  it('puts the first failure first, with its message, hint and the lesson step to reread', () => {
    const text = toText(mixedResult(), learner);
    const lines = text.split('\n');
    expect(lines[0]).toBe('First failure: silent-second-call — Title of silent-second-call');
    expect(lines[1]).toBe('  The second call opened a browser.');
    expect(lines[2]).toBe('  Hint: Hint for silent-second-call');
    expect(lines[3]).toBe(`  Reread: labs/${LAB}/README.md#step-silent-second-call`);
    expect(text).toContain('server: signing in');
    // The hint block comes before the list of checks.
    expect(text.indexOf('Hint:')).toBeLessThan(text.indexOf('✔ profile-returned'));
  });

  it('lists every check with ✔, ✘ or !, then the score and the next step', () => {
    const text = toText(mixedResult(), learner);
    expect(text).toContain('  ✔ profile-returned — Title of profile-returned (2/2)');
    expect(text).toContain('  ✘ silent-second-call — Title of silent-second-call (0/2)');
    expect(text).toContain('  ! cache-encrypted — Title of cache-encrypted (0/2)\n      could not run: The server did not start within 20 s.');
    expect(text).toContain(`  ✘ ${HIDDEN_CHECK_FAILED}\n`);
    expect(text).toContain('Score: 2/9');
    expect(text.trimEnd().split('\n').at(-1)).toBe(`Next: fix silent-second-call, then run \`npm run lab -- check ${LAB}\` again.`);
  });

  it('names the next lab when every check passes', () => {
    const r = result([check({ id: 'a' }), hiddenCheck('pass')]);
    expect(toText(r, { ...learner, nextLab: '03-confidential-client' })).toContain('all checks pass — next lab: 03-confidential-client');
    expect(toText(r, learner)).toContain('all checks pass — that was the last lab');
    expect(toText(r, learner)).not.toContain('✘');
  });

  it('tells learners that hidden checks exist and how many pass, passing or not, without naming them', () => {
    const passing = toText(result([check({ id: 'a' }), hiddenCheck('pass')]), learner);
    expect(passing).toContain('Hidden checks: 1 of 1 pass');
    expect(leakedSecrets(passing)).toEqual([]);
    const failing = toText(result([check({ id: 'a' }), hiddenCheck('fail')]), learner);
    expect(failing).toContain('Hidden checks: 0 of 1 pass');
    expect(toText(result([check({ id: 'a' })]), learner)).not.toContain('Hidden checks');
  });

  it('never shows learners a hidden check’s details, even when it is the only failure', () => {
    const text = toText(result([hiddenCheck('fail'), check({ id: 'a' })]), learner);
    expect(leakedSecrets(text)).toEqual([]);
    expect(text.split('\n')[0]).toBe(`First failure: ${HIDDEN_CHECK_FAILED}`);
    expect(text).toContain('Next: fix what the hidden check tests');
  });

  it('shows instructors hidden checks in full, marked [hidden]', () => {
    const text = toText(mixedResult(), { color: false, audience: 'instructor' });
    expect(text).toContain(`✘ ${HIDDEN_SECRETS.id} — ${HIDDEN_SECRETS.title} [hidden]`);
    expect(text).toContain(HIDDEN_SECRETS.message);
  });

  it('says the lab could not be checked, and how to find out why', () => {
    const r = result([], { status: 'error', message: 'npm start exited with code 1' });
    const text = toText(r, { ...learner, manifest: manifest(['a']) });
    expect(text.split('\n')[0]).toBe(`! ${LAB} could not be checked`);
    expect(text).toContain('  npm start exited with code 1');
    expect(text).toContain('! a — Title of a (0/2)');
    expect(text).toContain('npm run lab -- doctor');
  });

  it('colours only when asked, and keeps the words without colour', () => {
    const plain = toText(mixedResult(), learner);
    const coloured = toText(mixedResult(), { ...learner, color: true });
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[[0-9;]*m/g;
    expect(plain).not.toMatch(ansi);
    expect(coloured).toMatch(ansi);
    expect(coloured.replace(ansi, '')).toBe(plain);
  });

  it('neutralises escape sequences in a submission’s output', () => {
    const r = result([check({ id: 'a', status: 'fail', points: 0, message: 'bad\u001b]0;pwned\u0007 title', output: '\u001b[2Jcleared\u0007' })]);
    const text = toText(r, learner);
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
  });
});
