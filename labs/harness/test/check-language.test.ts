import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLanguage, checkText, defineLab, inLanguage, listLabs, loadLab, readLabManifest, toText, type LabResult } from '../src/index.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'labs', '90-echo');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
});

/** A copy of the fixture lab inside the repository (its checks.ts imports @mcp-lab/harness), with these Dutch texts in its lab.json. */
function fixtureWith(nl: Record<string, { title: string; hint: string }>): string {
  const scratch = path.resolve(import.meta.dirname, '..', '..', '..', '.lab');
  fs.mkdirSync(scratch, { recursive: true });
  const dir = path.join(fs.mkdtempSync(path.join(scratch, 'check-language-')), '90-echo');
  made.push(dir);
  fs.cpSync(FIXTURE, dir, { recursive: true });
  const file = path.join(dir, 'lab.json');
  const lab = JSON.parse(fs.readFileSync(file, 'utf8')) as { checks: { id: string; nl?: unknown }[] };
  for (const check of lab.checks) if (nl[check.id]) check.nl = nl[check.id];
  fs.writeFileSync(file, JSON.stringify(lab));
  return dir;
}

describe('Dutch check titles and hints (each check’s nl in lab.json)', () => {
  it('every check of every lab in the repository has a Dutch title and hint of its own', () => {
    const labs = listLabs();
    expect(labs.length).toBeGreaterThanOrEqual(3);
    for (const folder of labs) {
      // readLabManifest refuses a lab.json with a check without Dutch; here the Dutch must also differ from the English.
      const manifest = readLabManifest(folder);
      for (const check of manifest.checks) {
        expect(check.nl!.title, `${folder.id}/${check.id}`).not.toBe(check.title);
        expect(check.nl!.hint, `${folder.id}/${check.id}`).not.toBe(check.hint);
      }
    }
  });

  it('a lab in Dutch reports its Dutch titles and hints; a check built in code without Dutch keeps its English', async () => {
    const english = inLanguage(await loadLab(FIXTURE), 'en');
    const dir = fixtureWith({ 'lists-echo': { title: 'tools/list toont echo', hint: 'Registreer de tool bij de start.' } });
    const dutch = inLanguage(await loadLab(dir), 'nl');
    const listed = dutch.manifest.checks.find((c) => c.id === 'lists-echo')!;
    expect([listed.title, listed.hint]).toEqual(['tools/list toont echo', 'Registreer de tool bij de start.']);
    const { nl: _nl, ...englishOnly } = english.manifest.checks[1]!;
    const inCode = defineLab({ ...english.manifest, checks: [{ ...englishOnly, run: () => Promise.resolve() }] });
    const other = inLanguage(inCode, 'nl').manifest.checks[0]!;
    expect([other.title, other.hint]).toEqual([englishOnly.title, englishOnly.hint]);
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
});
