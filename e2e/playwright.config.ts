import { defineConfig } from '@playwright/test';

/**
 * The course site and the IdP's pages in a real Chromium. The global setup
 * starts its own IdP and site; the browser and its profile come from the
 * `lab` fixture (tests/fixtures.ts). One worker: the machine has two cores
 * and the site's server is shared.
 */
export default defineConfig({
  testDir: './tests',
  globalSetup: './support/global-setup.ts',
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  outputDir: 'test-results/artifacts',
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
