import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { E2eEnv } from '../support/e2e-env.ts';
import { writeWorkCopy } from '../support/lab-copies.ts';
import { expect, seriousViolations, test } from './fixtures.ts';

const LAB = '02-public-client';

test.describe('the lab dashboard', () => {
  // Real servers, real sign-ins, device-code polling every 5 s, on a shared 2-core machine: generous limits, no timing assertions.
  test.setTimeout(180_000);

  test('runs a check against a broken copy: the failing check, its hint, its lesson step and its replayed flow', async ({ page, lab }) => {
    writeWorkCopy(lab, LAB, { mutant: 'broad-scopes' }); // asks for User.Read.All as well
    await page.goto('/en');
    await page.getByRole('navigation', { name: 'Tools' }).getByRole('link', { name: 'Lab dashboard' }).click();
    await expect(page.locator('[data-idp="up"]')).toContainText(lab.idpUrl);
    const panel = page.locator(`section[data-lab="${LAB}"]`);
    await expect(panel.getByText(path.join(lab.workDir, LAB))).toBeVisible();
    await expect(panel.locator('.lab-server')).toContainText('your MCP client starts it over stdio');

    await panel.getByRole('button', { name: 'Run only “the server asks for User.Read only”' }).click();
    const row = panel.locator('li[data-check="only-user-read"]');
    await expect(row).toHaveAttribute('data-status', 'fail', { timeout: 60_000 });
    await expect(row.locator('.check-message')).toContainText('User.Read.All');
    await expect(row.locator('.check-hint')).toContainText("Request the scopes ['User.Read'] and nothing else");
    await expect(row.getByRole('link', { name: 'Reread this step of the lab' })).toHaveAttribute('href', `/en/06-labs/${LAB}#step-1-the-mcp-server`);
    await expect(panel.getByText('Only a run of every check is saved to your progress.')).toBeVisible();

    await row.getByRole('button', { name: 'Replay its flow' }).click();
    const flow = row.locator('figure.flow');
    // The IdP refused the sign-in request: the arrow where it happened fails, the one before it lit.
    await expect(flow.locator('li[data-arrow="device-code"]')).toHaveAttribute('data-state', 'failed');
    await expect(flow.locator('li[data-arrow="discovery"]')).toHaveAttribute('data-state', 'lit');
    await flow.locator('li[data-arrow="device-code"]').getByRole('button').click();
    await expect(flow.getByRole('alert')).toContainText('invalid_scope');
    await expect(flow.locator('.flow-details')).toContainText('User.Read.All');
    expect(await seriousViolations(page)).toEqual([]);

    await row.getByRole('link', { name: 'Reread this step of the lab' }).click();
    await expect(page).toHaveURL(new RegExp(`/en/06-labs/${LAB}#step-1-the-mcp-server$`));
  });

  test('makes a working copy with mcp-lab start, from the starter', async ({ page, lab }) => {
    const target = path.join(lab.workDir, '03-confidential-client');
    fs.rmSync(target, { recursive: true, force: true });
    await page.goto('/en/dashboard');
    const panel = page.locator('section[data-lab="03-confidential-client"]');
    await expect(panel.getByText('You have no working copy yet.')).toBeVisible();
    await panel.getByRole('button', { name: 'Create my working copy' }).click();
    await expect(panel.getByText(/^Created .*03-confidential-client from the starter/)).toBeVisible({ timeout: 30_000 });
    await expect(panel.getByText(target, { exact: true })).toBeVisible();
    expect(fs.existsSync(path.join(target, '.env'))).toBe(true);
    expect(fs.readFileSync(path.join(target, 'src', 'entra.ts'), 'utf8')).toContain('TODO(');
  });

  test('a run of every check is saved to .lab/progress.json as mcp-lab check saves it, and shown in Dutch', async ({ page, lab }) => {
    // This test writes the labs part of the shared progress file; the file is put back as it was afterwards.
    const file = path.join(lab.labHome, 'progress.json');
    const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    try {
      await runEveryCheck(page, lab);
    } finally {
      if (before === undefined) fs.rmSync(file, { force: true });
      else fs.writeFileSync(file, before);
    }
  });
});

async function runEveryCheck(page: Page, lab: E2eEnv): Promise<void> {
  // A copy whose server stops at once: every check ends quickly, as an error with the server's message.
  writeWorkCopy(lab, LAB, { edits: [{ file: 'src/server.ts', find: "import ", replace: "throw new Error('broken on purpose');\nimport " }] });
  await page.goto('/nl/dashboard');
  const panel = page.locator(`section[data-lab="${LAB}"]`);
  await panel.getByRole('button', { name: 'Voer alle controles uit' }).click();
  await expect(panel.getByText('Bewaard in je voortgang (.lab/progress.json), zoals mcp-lab check het bewaart.')).toBeVisible({ timeout: 120_000 });
  await expect(panel.locator('li[data-check="tools-list"]')).toHaveAttribute('data-status', 'error');
  const row = panel.locator('li[data-check="tools-list"]');
  await row.getByText('Wat de server schreef').click();
  await expect(row.locator('.check-output')).toContainText('broken on purpose');

  const progress = JSON.parse(fs.readFileSync(path.join(lab.labHome, 'progress.json'), 'utf8')) as { labs: Record<string, { status: string; score: number; checks: Record<string, string> }> };
  expect(progress.labs[LAB]?.score).toBe(0);
  expect(progress.labs[LAB]?.checks['tools-list']).toBe('error');
  await expect(panel.locator('.last-run')).toContainText('Laatst bewaarde resultaat: 0/');
  expect(await seriousViolations(page)).toEqual([]);
}
