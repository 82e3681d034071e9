import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSubmission, loadLab, startLabIdp, type LabIdp, type LabDefinition, type LabResult } from '../src/index.ts';
import { LabResultJson, toJson, writeClassOutputs } from '../src/report/index.ts';
import { REPO_ROOT } from '../src/process/index.ts';

/**
 * report.html shows each failed check's flow as a sequence diagram drawn from
 * what the recording proxy and the IdP recorded during the check: checked in
 * a real Chromium, from the file alone (no request leaves the page).
 */

const LAB_03 = path.join(REPO_ROOT, 'labs', '03-confidential-client');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
fs.mkdirSync(path.join(REPO_ROOT, '.lab'), { recursive: true });
const scratch = fs.mkdtempSync(path.join(REPO_ROOT, '.lab', 'report-flows-'));

let idp: LabIdp;
let lab: LabDefinition;
let browser: Browser;
beforeAll(async () => {
  idp = await startLabIdp({ certDir: process.env.MCP_LAB_TEST_CERT_DIR! });
  lab = await loadLab(LAB_03);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
});
afterAll(async () => {
  await browser.close();
  await idp.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Lab 03's solution with one mutant's edits: a submission that fails exactly that mutant's check. */
function mutant(name: string): string {
  const dir = path.join(scratch, name);
  fs.cpSync(path.join(LAB_03, 'solution'), dir, { recursive: true });
  const spec = JSON.parse(fs.readFileSync(path.join(LAB_03, 'mutants', name, 'mutant.json'), 'utf8')) as { edits: { file: string; find: string; replace: string }[] };
  for (const edit of spec.edits) {
    const file = path.join(dir, edit.file);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(edit.find, edit.replace));
  }
  return dir;
}

describe('report.html: the failed check’s flow', { timeout: 120_000 }, () => {
  it('draws the exchange that made a check fail, readable offline, with secrets cut short', async () => {
    // The mutant lets a callback without the browser's cookie through: redirect-uri-exact passes, state-checked fails.
    const result: LabResult = await checkSubmission(lab, mutant('no-state-check'), { idp, only: ['redirect-uri-exact', 'state-checked'] });
    const failed = result.checks.find((c) => c.id === 'state-checked')!;
    expect(failed.status).toBe('fail');
    expect(failed.flow?.some((e) => e.type === 'http' && e.http?.path === '/auth/callback')).toBe(true);
    // Recorded with cookies, codes and secrets already cut to their first characters.
    expect(JSON.stringify(failed.flow)).toContain('characters, hidden');
    // The passing check keeps no recording.
    expect(result.checks.find((c) => c.id === 'redirect-uri-exact')).toMatchObject({ status: 'pass' });
    expect(result.checks.find((c) => c.id === 'redirect-uri-exact')!.flow).toBeUndefined();

    // The instructor's results.json keeps the flow (for --merge); a learner's copy does not.
    const instructor = JSON.parse(toJson(result, { audience: 'instructor', manifest: lab.manifest })) as { checks: { id: string; flow?: unknown[] }[] };
    expect(LabResultJson.safeParse(instructor).success).toBe(true);
    expect(instructor.checks.find((c) => c.id === 'state-checked')!.flow?.length).toBeGreaterThan(0);
    expect(toJson(result, { audience: 'learner', manifest: lab.manifest })).not.toContain('"flow"');

    const out = path.join(scratch, 'grades');
    const labs = [{ id: lab.manifest.id, maxScore: 29 }];
    const written = await writeClassOutputs(out, { roster: undefined, results: new Map([['mallory', { [lab.manifest.id]: result }]]), labs }, { audience: 'instructor' });
    const html = fs.readFileSync(written.report, 'utf8');
    // No usable credential in the file: bearer tokens and cookies are cut to their first characters.
    expect(html).not.toMatch(/Bearer [A-Za-z0-9._~-]{24,}/);
    expect(html).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}/);
    // Nor a code in a redirect's Location.
    expect(html).not.toMatch(/code=[A-Za-z0-9_-]{12,}/);

    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(written.report).href);
    const article = page.locator('#flows article', { hasText: 'state-checked' });
    await expect.poll(() => article.count()).toBe(1);
    const diagram = article.locator('svg[role="img"]');
    expect(await diagram.isVisible()).toBe(true);
    expect(await diagram.locator('title').textContent()).toBe('Sequence diagram of state-checked for mallory');
    // Drawn: one label per arrow of lab 03's flow, the callback among them, lit by what the proxy saw.
    const labels = await diagram.locator('text').allTextContents();
    expect(labels.some((t) => t.startsWith('✔') && t.includes('GET /authorize (state, nonce, PKCE)'))).toBe(true);
    // The answer the check refused is the failed arrow: the callback the server should not have taken.
    expect(labels.filter((t) => t.startsWith('✘'))).toEqual(['✘ 12. GET /auth/callback (code, state) (failed)']);
    expect(await article.locator('ol.steps li.st-failed').textContent()).toContain('should be refused with a 4xx answer, not 302');
    const box = await diagram.boundingBox();
    expect(box!.width).toBeGreaterThan(400);
    // The same steps as words, and the exchange that shows why.
    expect(await article.locator('ol.steps li').count()).toBe(labels.length - 5);
    // The answer the check held against the server: the callback it should have refused.
    expect(await article.locator('details summary').textContent()).toContain('GET /auth/callback → 302');
    // One file: nothing but the page itself was requested.
    expect(requests).toEqual([pathToFileURL(written.report).href]);
    await page.close();
  });
});
