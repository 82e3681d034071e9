import { test as base, chromium, expect, type Browser, type Page } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { CHROMIUM_ARGS } from '../support/chromium.ts';
import { readE2eEnv, type E2eEnv } from '../support/e2e-env.ts';

/** The running lab (from the global setup) and a Chromium whose profile trusts the lab's CA. */
export const test = base.extend<object, { lab: E2eEnv; browser: Browser }>({
  lab: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern; this one has none.
    async ({}, use) => {
      await use(readE2eEnv());
    },
    { scope: 'worker' },
  ],
  browser: [
    async ({ lab }, use) => {
      const browser = await chromium.launch({ executablePath: lab.chromium, args: CHROMIUM_ARGS, env: { ...process.env, HOME: lab.browserHome } });
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ lab }, use) => {
    await use(lab.siteUrl);
  },
});

export { expect };

/** axe-core's findings that fail the bar: serious and critical. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** Scrolls every diagram into view and waits until Mermaid has drawn it. */
export async function drawDiagrams(page: Page): Promise<void> {
  for (const figure of await page.locator('figure.diagram').all()) {
    await figure.scrollIntoViewIfNeeded();
    await expect(figure.locator('.diagram-canvas')).toHaveAttribute('data-state', 'drawn');
  }
}
