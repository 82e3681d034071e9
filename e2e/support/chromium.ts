import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from '@playwright/test';

/** The flags every launch uses: headless, no sandbox (CI runs as root), and no calls home. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function playwrightChromium(): string | undefined {
  try {
    const path = chromium.executablePath();
    return fs.existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A real Chromium, found in docs/design.md §7's order: CHROMIUM_PATH, the system's
 * chromium / chromium-browser, Playwright's own; when there is none, install
 * Playwright's (works on an ordinary online machine), else stop and say how.
 */
export function findChromium(log: (line: string) => void = () => undefined): string {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) {
    if (!fs.existsSync(explicit)) throw new Error(`CHROMIUM_PATH=${explicit} does not exist. Point it at a Chromium or Chrome binary, or unset it.`);
    return explicit;
  }
  const found = SYSTEM_CHROMIUM.find((p) => fs.existsSync(p)) ?? playwrightChromium();
  if (found) return found;
  log('e2e: no Chromium found; installing Playwright’s Chromium');
  try {
    execFileSync(process.execPath, [createRequire(import.meta.url).resolve('@playwright/test/cli'), 'install', 'chromium'], { stdio: 'inherit' });
  } catch {
    // reported below
  }
  const installed = playwrightChromium();
  if (installed) return installed;
  throw new Error(
    'No Chromium for the e2e tests. Install one (Debian/Ubuntu: `apt-get install chromium`; macOS: `brew install --cask chromium`), ' +
      'or set CHROMIUM_PATH to a Chrome or Chromium binary, or run `npx playwright install chromium` on a machine with internet access.',
  );
}
