import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

test.describe('fair quizzes', () => {
  test('two learners see the options in a different order; each keeps their order on reload', async ({ browser, lab }) => {
    const orders = async (page: Page) => {
      const questions = page.locator('fieldset.question');
      await expect(questions.first()).toBeVisible();
      // Reordered once the browser knows the learner: wait until every question says so.
      const count = await questions.count();
      expect(count).toBeGreaterThanOrEqual(5);
      await expect(page.locator('fieldset.question[data-learner]')).toHaveCount(count);
      return questions.evaluateAll((all) => all.map((q) => Array.from(q.querySelectorAll('label.option'), (l) => l.textContent?.trim() ?? '').join(' / ')));
    };
    const first = await browser.newContext({ baseURL: lab.siteUrl });
    const second = await browser.newContext({ baseURL: lab.siteUrl });
    try {
      // Two learners, each with a fixed seed in their own browser storage.
      await first.addInitScript(() => window.localStorage.setItem('mcp-lab-quiz-seed', '1001'));
      await second.addInitScript(() => window.localStorage.setItem('mcp-lab-quiz-seed', '2002'));
      const a = await first.newPage();
      const b = await second.newPage();
      await a.goto('/en/08-wrap-up');
      await b.goto('/en/08-wrap-up');
      const seenByA = await orders(a);
      const seenByB = await orders(b);
      expect(seenByA).not.toEqual(seenByB);
      await a.reload();
      expect(await orders(a)).toEqual(seenByA);
      // The answer is still judged by content, not position.
      const question = a.getByRole('group', { name: 'Which claim stops your server from accepting a token that was issued for Microsoft Graph?' });
      await question.getByRole('radio', { name: 'aud' }).check();
      await question.getByRole('button', { name: 'Check my answer' }).click();
      await expect(question.getByText('Correct.')).toBeVisible();
    } finally {
      await first.close();
      await second.close();
    }
  });
});

test.describe('reference pages', () => {
  test('a lesson links a term to the glossary, and the entry links back to the lesson', async ({ page }) => {
    await page.goto('/en/03-sign-in-flow');
    await page.getByRole('main').getByRole('link', { name: 'JWT', exact: true }).click();
    await expect(page).toHaveURL(/\/en\/glossary#jwt$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Glossary');
    const entry = page.locator('h3#jwt + p');
    await entry.getByRole('link', { name: 'lesson 3' }).click();
    await expect(page).toHaveURL(/\/en\/03-sign-in-flow#how-the-server-really-checks-a-token$/);
  });

  test('the labs lesson links to troubleshooting, and an entry links back to where the fix is taught', async ({ page }) => {
    await page.goto('/nl/06-labs');
    await page.getByRole('link', { name: 'pagina probleemoplossing' }).click();
    await expect(page).toHaveURL(/\/nl\/troubleshooting$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Probleemoplossing');
    await page.locator('h3#elk-token-geweigerd-unexpected-iss-of-aud ~ p').getByRole('link', { name: 'les 3' }).first().click();
    await expect(page).toHaveURL(/\/nl\/03-sign-in-flow#hoe-de-server-een-token-echt-controleert$/);
  });

  test('the sidebar marks only the current page, and lists the reference pages apart', async ({ page }) => {
    await page.goto('/en/03-sign-in-flow');
    const nav = page.getByRole('navigation', { name: 'Lessons' });
    await expect(nav.locator('a[aria-current="page"]')).toHaveCount(1);
    await expect(nav.locator('a[aria-current="page"]')).toContainText('Sign-in and token checks');
    await expect(nav.getByRole('heading', { name: 'Reference' })).toBeVisible();
    await page.goto('/en');
    await expect(nav.locator('a[aria-current="page"]')).toHaveCount(1);
    await expect(nav.locator('a[aria-current="page"]')).toContainText('Start');
  });
});

test.describe('diagrams', () => {
  test('a sequence diagram is drawn at a readable size, and opens larger on request', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/en/03-sign-in-flow');
    const figure = page.locator('figure.diagram').first();
    await figure.scrollIntoViewIfNeeded();
    await expect(figure.locator('.diagram-canvas')).toHaveAttribute('data-state', 'drawn');
    // The rendered height of a participant's label, in CSS pixels: what the reader's eye gets.
    const textHeight = (scope: Locator) =>
      scope.locator('svg text').filter({ hasText: 'MCP server' }).first().evaluate((t) => t.getBoundingClientRect().height);
    expect(await textHeight(figure)).toBeGreaterThanOrEqual(11);
    await figure.getByRole('button', { name: 'Enlarge the diagram' }).click();
    const dialog = page.locator('dialog.diagram-dialog[open]');
    await expect(dialog.locator('svg')).toBeVisible();
    expect(await textHeight(dialog)).toBeGreaterThanOrEqual(14);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(page.locator('dialog.diagram-dialog[open]')).toHaveCount(0);
  });
});

test.describe('Dutch checks', () => {
  test('the Dutch dashboard shows the checks’ Dutch titles', async ({ page }) => {
    await page.goto('/nl/dashboard');
    const panel = page.locator('section[data-lab="02-public-client"]');
    await expect(panel.locator('li[data-check="tools-list"]')).toContainText('tools/list toont get_user_details voordat iemand zich aanmeldt');
    await expect(panel.getByRole('button', { name: /de server vraagt alleen User\.Read/ })).toBeVisible();
    await expect(page.locator('section[data-lab="01-register-app"] li[data-check="single-tenant"]')).toContainText('alleen accounts uit je eigen directory kunnen zich aanmelden');
  });
});
