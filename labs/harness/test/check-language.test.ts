import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLanguage, checkText, inLanguage, LabDefinitionError, listLabs, loadLab, toText, translationFile, withTranslations, type LabResult } from '../src/index.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'labs', '90-echo');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
});

/** A copy of the fixture lab inside the repository (its checks.ts imports @mcp-lab/harness), with this checks.nl.json. */
function fixtureWith(translations: unknown): string {
  const scratch = path.resolve(import.meta.dirname, '..', '..', '..', '.lab');
  fs.mkdirSync(scratch, { recursive: true });
  const dir = path.join(fs.mkdtempSync(path.join(scratch, 'check-language-')), '90-echo');
  made.push(dir);
  fs.cpSync(FIXTURE, dir, { recursive: true });
  fs.writeFileSync(translationFile(dir, 'nl'), typeof translations === 'string' ? translations : JSON.stringify(translations));
  return dir;
}

describe('Dutch check titles and hints (checks.nl.json)', () => {
  it('every check of every lab in the repository has a Dutch title and hint, and each file names only checks that exist', async () => {
    const labs = listLabs();
    expect(labs.length).toBeGreaterThanOrEqual(3);
    for (const folder of labs) {
      const file = translationFile(folder.dir, 'nl');
      expect(fs.existsSync(file), `${folder.id} has no checks.nl.json`).toBe(true);
      // loadLab refuses a file that names an unknown check id; here every check must also have its entry.
      const { manifest } = await loadLab(folder);
      const missing = manifest.checks.filter((c) => !c.nl).map((c) => c.id);
      expect(missing, `${folder.id}: checks without Dutch in checks.nl.json`).toEqual([]);
      for (const check of manifest.checks) {
        expect(check.nl!.title, `${folder.id}/${check.id}`).not.toBe(check.title);
        expect(check.nl!.hint, `${folder.id}/${check.id}`).not.toBe(check.hint);
      }
    }
  });

  it('refuses a file that names a check the lab does not have', async () => {
    const dir = fixtureWith({ 'lists-echo': { title: 'toont echo', hint: 'registreer de tool' }, 'no-such-check': { title: 'x', hint: 'y' } });
    await expect(loadLab(dir)).rejects.toThrow(/does not have: no-such-check/);
  });

  it('refuses a malformed file: an entry without a hint, or not JSON at all', async () => {
    await expect(loadLab(fixtureWith({ 'lists-echo': { title: 'toont echo' } }))).rejects.toBeInstanceOf(LabDefinitionError);
    await expect(loadLab(fixtureWith('{ "lists-echo": '))).rejects.toThrow(/not valid JSON/);
  });

  it('a lab in Dutch reports its Dutch titles and hints; checks without Dutch keep their English', async () => {
    const english = inLanguage(await loadLab(FIXTURE), 'en');
    const dir = fixtureWith({ 'lists-echo': { title: 'tools/list toont echo', hint: 'Registreer de tool bij de start.' } });
    const dutch = inLanguage(await loadLab(dir), 'nl');
    const listed = dutch.manifest.checks.find((c) => c.id === 'lists-echo')!;
    expect([listed.title, listed.hint]).toEqual(['tools/list toont echo', 'Registreer de tool bij de start.']);
    const other = dutch.manifest.checks.find((c) => c.id !== 'lists-echo')!;
    const otherEnglish = english.manifest.checks.find((c) => c.id === other.id)!;
    expect([other.title, other.hint]).toEqual([otherEnglish.title, otherEnglish.hint]);
    // English asked: the manifest as written.
    expect(inLanguage(await loadLab(dir), 'en').manifest.checks.find((c) => c.id === 'lists-echo')!.title).toBe(english.manifest.checks.find((c) => c.id === 'lists-echo')!.title);
    expect(checkText(listed, 'en').title).toBe('tools/list toont echo');
  });

  it('the text report of a Dutch lab shows the Dutch title and hint of the first failure, and speaks Dutch itself with lang nl', async () => {
    const dir = fixtureWith({ 'lists-echo': { title: 'tools/list toont echo', hint: 'Registreer de tool bij de start.' } });
    const manifest = inLanguage(await loadLab(dir), 'nl').manifest;
    const meta = manifest.checks.find((c) => c.id === 'lists-echo')!;
    const result: LabResult = {
      lab: '90-echo',
      status: 'fail',
      score: 0,
      maxScore: meta.points,
      checks: [{ id: meta.id, title: meta.title, status: 'fail', points: 0, maxPoints: meta.points, visibility: 'visible', hint: meta.hint, lessonStep: meta.lessonStep, testCode: meta.testCode, durationMs: 1, message: 'no echo' }],
      startedAt: new Date(0).toISOString(),
      durationMs: 1,
      submission: dir,
      environment: { node: 'v24', platform: 'linux', harness: 'test' },
    };
    const text = toText(result, { color: false, audience: 'learner', manifest: { ...manifest, checks: [meta] } });
    expect(text).toContain('lists-echo — tools/list toont echo');
    expect(text).toContain('Registreer de tool bij de start.');
    // In Dutch, the report's own words are Dutch too; in English (the default) they stay as they were.
    const dutch = toText(result, { color: false, audience: 'learner', manifest: { ...manifest, checks: [meta] }, lang: 'nl' });
    expect(dutch).toContain('Eerste fout: lists-echo — tools/list toont echo');
    expect(dutch).toContain('Volgende stap: herstel lists-echo, voer daarna `npm run lab -- check 90-echo` opnieuw uit.');
    expect(text).toContain('First failure: lists-echo');
  });

  it('the language: --lang first, then LC_ALL, LC_MESSAGES, LANG; only nl… is Dutch', () => {
    expect(checkLanguage('nl', { LANG: 'en_US.UTF-8' })).toBe('nl');
    expect(checkLanguage('en', { LANG: 'nl_NL.UTF-8' })).toBe('en');
    expect(checkLanguage(undefined, { LANG: 'nl_NL.UTF-8' })).toBe('nl');
    expect(checkLanguage(undefined, { LANG: 'nl_BE' })).toBe('nl');
    expect(checkLanguage(undefined, { LC_ALL: 'en_GB.UTF-8', LANG: 'nl_NL.UTF-8' })).toBe('en');
    expect(checkLanguage(undefined, { LC_MESSAGES: 'nl_NL', LANG: 'C.UTF-8' })).toBe('nl');
    expect(checkLanguage(undefined, { LANG: 'nn_NO' })).toBe('en');
    expect(checkLanguage(undefined, {})).toBe('en');
  });

  it('a lab without checks.nl.json loads unchanged', async () => {
    const dir = fixtureWith({});
    fs.rmSync(translationFile(dir, 'nl'));
    const def = await loadLab(dir);
    expect(def.manifest.checks.every((c) => c.nl === undefined)).toBe(true);
    expect(withTranslations(def, dir)).toBe(def);
  });
});
