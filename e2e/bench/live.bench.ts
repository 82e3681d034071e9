/**
 * Live diagrams and the lab dashboard, measured in a real Chromium against
 * the e2e's own IdP and site (started by the same global setup):
 *  (a) trace event → arrow lit: for every arrow of lab 02's live flow, the time from the event
 *      (its `time`, stamped by the IdP or the site's runner) to the moment the page put the
 *      arrow's class on the SVG — median over one full flow, per run;
 *  (b) dashboard: from the click on "Run only …" (one check, `tools-list`) and on "Run all
 *      checks" (against the solution) to the first result on the page.
 * Usage: node e2e/bench/live.bench.ts [--runs N]   (default 3). Figures go to docs/performance.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../support/chromium.ts';
import type { E2eEnv } from '../support/e2e-env.ts';
import globalSetup from '../support/global-setup.ts';
import { REPO_ROOT } from '../support/lab-processes.ts';

const LAB = '02-public-client';
/** Alternately: the first two runs show the consent page, later ones find consent given. */
const USERS = [
  ['bob@contoso.test', 'bob-lab-2026'],
  ['alice@contoso.test', 'alice-lab-2026'],
] as const;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function liveFlow(page: Page, user: readonly [string, string]): Promise<Record<string, { ms: number; source: string }>> {
  await page.goto(`/en/06-labs/${LAB}`);
  const live = page.getByRole('region', { name: 'Run it live' });
  await live.locator('.flow-canvas[data-state="drawn"]').waitFor();
  const popup = page.waitForEvent('popup', { timeout: 60_000 }).catch(() => undefined);
  await live.getByRole('button', { name: 'Run it live' }).click();
  const prompt = live.locator('.user-action[data-opened]');
  await prompt.waitFor({ timeout: 60_000 });
  const code = (await live.locator('.user-code').textContent()) ?? '';
  const idp = (await prompt.getAttribute('data-opened')) === 'yes' ? await popup : (await Promise.all([page.context().waitForEvent('page'), live.getByRole('link', { name: 'Open the sign-in page (new tab)' }).click()]))[0];
  if (!idp) throw new Error('no sign-in tab');
  await idp.getByLabel('Code').fill(code);
  await idp.getByRole('button', { name: 'Next' }).click();
  await idp.getByRole('button', { name: 'Continue' }).click();
  await idp.getByLabel('Email or user name').fill(user[0]);
  await idp.getByLabel('Password').fill(user[1]);
  await idp.getByRole('button', { name: 'Sign in' }).click();
  const consent = idp.getByRole('button', { name: 'Accept' });
  await Promise.race([consent.click({ timeout: 10_000 }).catch(() => undefined), live.locator('.flow-status[data-status="done"]').waitFor({ timeout: 10_000 }).catch(() => undefined)]);
  await live.locator('.flow-status[data-status="done"]').waitFor({ timeout: 60_000 });
  await idp.close();
  await page.bringToFront();
  return JSON.parse((await live.locator('figure.flow').getAttribute('data-latencies')) ?? '{}') as Record<string, { ms: number; source: string }>;
}

async function firstResult(page: Page, button: string): Promise<number> {
  await page.goto('/en/dashboard');
  const panel = page.locator(`section[data-lab="${LAB}"]`);
  await panel.getByRole('button', { name: button }).click();
  await page.locator(`section[data-lab="${LAB}"][data-first-result-ms]`).waitFor({ timeout: 120_000 });
  const ms = Number(await panel.getAttribute('data-first-result-ms'));
  // Leaving the page ends the run (the site stops its runner); give it a moment before the next measurement.
  await page.goto('/en');
  await new Promise((resolve) => setTimeout(resolve, 3000));
  return ms;
}

async function main(): Promise<void> {
  const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
  const teardown = await globalSetup();
  const lab = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', 'test-results', 'e2e-env.json'), 'utf8')) as E2eEnv;
  fs.cpSync(path.join(REPO_ROOT, 'labs', LAB, 'solution'), path.join(lab.workDir, LAB), { recursive: true });
  const browser = await chromium.launch({ executablePath: lab.chromium, args: CHROMIUM_ARGS, env: { ...process.env, HOME: lab.browserHome } });
  try {
    const rows: string[] = [];
    for (let i = 0; i < runs; i++) {
      // A fresh browser profile per run: the IdP would otherwise remember the last person's session.
      const context = await browser.newContext({ baseURL: lab.siteUrl });
      const page = await context.newPage();
      const latencies = await liveFlow(page, USERS[i % USERS.length]!);
      const idp = Object.values(latencies).filter((l) => l.source === 'idp').map((l) => l.ms);
      const all = Object.values(latencies).map((l) => l.ms);
      const one = await firstResult(page, 'Run only “tools/list shows get_user_details before anyone signs in”');
      const every = await firstResult(page, 'Run all checks');
      const [slowest, worst] = Object.entries(latencies).sort((a, b) => b[1].ms - a[1].ms)[0] ?? ['', { ms: 0 }];
      rows.push(`| ${i + 1} | ${median(idp)} ms (${idp.length} arrows) | ${median(all)} ms (${all.length}) | ${worst.ms} ms (${slowest}) | ${one} ms | ${every} ms |`);
      console.log(rows.at(-1));
      await context.close();
    }
    console.log(['', '| run | event → arrow lit, IdP events (median) | all events (median) | slowest arrow | dashboard: one check → first result | all checks → first result |', '|---|---|---|---|---|---|', ...rows].join('\n'));
  } finally {
    await browser.close();
    await teardown();
  }
}

await main();
