import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { E2eEnv } from '../support/e2e-env.ts';
import { drawDiagrams, expect, seriousViolations, test } from './fixtures.ts';

test.describe('a learner', () => {
  test('reads a lesson in English, switches to Dutch and lands on the same lesson and section', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/en$/);
    await page.getByRole('navigation', { name: 'Lessons' }).getByRole('link', { name: /Sign-in and token checks/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('The sign-in flow, and how a server checks a token');

    await drawDiagrams(page); // drawn first, so the reader's place does not move under them
    await page.getByRole('heading', { name: 'How the server really checks a token' }).evaluate((h) => h.scrollIntoView({ block: 'start' }));
    await page.getByRole('link', { name: 'Lees dit in het Nederlands' }).click();
    await expect(page).toHaveURL(/\/nl\/03-sign-in-flow#hoe-de-server-een-token-echt-controleert$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('De aanmeldstroom, en hoe een server een token controleert');
    await expect(page.locator('html')).toHaveAttribute('lang', 'nl');

    await page.getByRole('link', { name: 'Read this in English' }).click();
    await expect(page).toHaveURL(/\/en\/03-sign-in-flow/);
  });

  test('sees the sign-in flow drawn as a sequence diagram, in light and dark', async ({ page }) => {
    await page.goto('/en/03-sign-in-flow');
    const figure = page.locator('figure.diagram').first();
    await figure.scrollIntoViewIfNeeded();
    const svg = figure.locator('svg[role="img"]');
    await expect(svg).toBeVisible();
    await expect(svg).toHaveAttribute('aria-label', /authorization code flow/);
    await expect(figure.getByText('Text version of the diagram')).toBeVisible();
    await expect(svg.getByText('MCP server').first()).toBeVisible();

    await page.getByRole('button', { name: 'Dark mode' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(figure.locator('svg[role="img"]')).toBeVisible();
  });

  test('copies a code block', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto('/en/03-sign-in-flow');
    const block = page.locator('.code-block', { hasText: 'createRemoteJWKSet' });
    await block.getByRole('button', { name: 'Copy' }).click();
    await expect(block.getByRole('button', { name: 'Copied' })).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain("import { createRemoteJWKSet, jwtVerify } from 'jose';");
  });

  test('answers a quiz question and reads the explanation', async ({ page }) => {
    await page.goto('/en/08-wrap-up');
    const question = page.getByRole('group', { name: 'Which claim stops your server from accepting a token that was issued for Microsoft Graph?' });
    await question.getByRole('radio', { name: 'exp' }).check();
    await question.getByRole('button', { name: 'Check my answer' }).click();
    await expect(question.getByText('Not quite. The answer is: aud')).toBeVisible();
    await question.getByRole('radio', { name: 'aud' }).check();
    await question.getByRole('button', { name: 'Check my answer' }).click();
    await expect(question.getByText('Correct.')).toBeVisible();
    await expect(question.getByText(/names the API the token was issued for/)).toBeVisible();
  });

  test('marks a lesson read: the navigation shows it and .lab/progress.json holds it', async ({ page, lab }) => {
    await page.goto('/en/01-open-front-door');
    await page.getByRole('button', { name: 'Mark this lesson as read' }).click();
    await expect(page.getByRole('button', { name: /Read ✓/ })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Lessons' }).getByRole('link', { name: /An open front door/ })).toContainText('(read)');
    const progress = JSON.parse(fs.readFileSync(path.join(lab.labHome, 'progress.json'), 'utf8')) as { lessons: Record<string, { read: boolean }>; labs: object };
    expect(progress.lessons['01-open-front-door']?.read).toBe(true);
    expect(progress.labs).toEqual({});

    await page.goto('/nl/01-open-front-door');
    await expect(page.getByRole('button', { name: /Gelezen ✓/ })).toBeVisible();
    await page.getByRole('button', { name: /Gelezen ✓/ }).click();
    await expect(page.getByRole('button', { name: 'Markeer deze les als gelezen' })).toBeVisible();
  });

  test('searches the lessons and jumps to the section', async ({ page }) => {
    await page.goto('/en');
    await page.getByRole('searchbox', { name: 'Search the lessons' }).fill('jwks audience');
    const hit = page.getByRole('region', { name: 'Search the lessons' }).getByRole('link').first();
    await expect(hit).toContainText('How the server really checks a token');
    await hit.click();
    await expect(page).toHaveURL(/\/en\/03-sign-in-flow#how-the-server-really-checks-a-token$/);
  });

  test('follows the labs page to a lab’s check instructions (or sees that labs are coming)', async ({ page }) => {
    await page.goto('/en/06-labs');
    const labs = page.locator('.lab-list a');
    if ((await labs.count()) === 0) {
      await expect(page.getByTestId('labs-coming')).toBeVisible();
      return;
    }
    const folder = (await page.locator('.lab-list code').first().textContent()) ?? '';
    await labs.first().click();
    await expect(page).toHaveURL(new RegExp(`/en/06-labs/${folder}$`));
    await expect(page.getByRole('heading', { name: 'Check your work' })).toBeVisible();
    await expect(page.getByText(`npm run lab -- check ${folder}`)).toBeVisible();
  });

  /** Sign-in and consent at the IdP's pages, then back to the site's redirect URI with a code. */
  async function signIn(page: Page, lab: E2eEnv, user: string, password: string): Promise<void> {
    await page.goto('/en/03-sign-in-flow');
    await expect(page.getByText(lab.idpUrl).first()).toBeVisible();
    await page.getByRole('link', { name: 'Sign in as a test user' }).click();

    await expect(page).toHaveURL(new RegExp(`^${lab.idpUrl}/`));
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    expect(await seriousViolations(page), 'sign-in page').toEqual([]);
    await page.getByLabel('Email or user name').fill(user);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Each test user consents once per IdP; every test here starts the flow with a user who has not.
    await expect(page.getByRole('heading', { name: 'Permissions requested' })).toBeVisible();
    expect(await seriousViolations(page), 'consent page').toEqual([]);
    await page.getByRole('button', { name: 'Accept' }).click();
  }

  test('signs in at the IdP with a test user, consents, and comes back to the app with a code', async ({ page, lab }) => {
    await signIn(page, lab, 'alice@contoso.test', 'alice-lab-2026');
    await expect(page).toHaveURL(new RegExp(`^${lab.siteUrl}/\\?code=`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/You signed in/);
    await expect(page.getByTestId('auth-code')).not.toBeEmpty();
  });
});
