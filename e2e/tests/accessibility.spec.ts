import fs from 'node:fs';
import path from 'node:path';
import { drawDiagrams, expect, seriousViolations, test } from './fixtures.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..');

/** Every page of the course in one language, read from the files the site is built from: lessons, reference pages, labs. */
function coursePages(lang: string): string[] {
  const root = path.join(REPO, 'apps', 'course', 'content', lang);
  const urls: string[] = [];
  const walk = (dir: string, prefix: string[]) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), [...prefix, entry.name]);
      else if (entry.name.endsWith('.mdx')) {
        const name = entry.name.slice(0, -'.mdx'.length);
        urls.push(`/${lang}${[...prefix, ...(name === 'index' ? [] : [name])].map((s) => `/${s}`).join('')}`);
      }
    }
  };
  walk(root, []);
  for (const lab of fs.readdirSync(path.join(REPO, 'labs'))) {
    if (/^\d\d-[a-z0-9-]+$/.test(lab) && fs.existsSync(path.join(REPO, 'labs', lab, 'README.md'))) urls.push(`/${lang}/06-labs/${lab}`);
  }
  return urls.sort();
}

// One test per page: a slow page cannot use up the time of the others, and a failure names its page.
for (const lang of ['en', 'nl']) {
  const pages = coursePages(lang);
  test(`the ${lang} course has its pages (lessons, reference pages, labs)`, () => {
    expect(pages.length).toBeGreaterThanOrEqual(15);
  });
  for (const url of pages) {
    test(`${url} passes axe (no serious or critical violations)`, async ({ page }) => {
      await page.goto(url);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await drawDiagrams(page);
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
}

test('a lesson in dark mode passes axe too, diagram included', async ({ page }) => {
  await page.goto('/en/03-sign-in-flow');
  await page.getByRole('button', { name: 'Dark mode' }).click();
  await drawDiagrams(page);
  expect(await seriousViolations(page)).toEqual([]);
});

test('an enlarged diagram passes axe', async ({ page }) => {
  await page.goto('/en/03-sign-in-flow');
  await drawDiagrams(page);
  await page.getByRole('button', { name: 'Enlarge the diagram' }).first().click();
  await expect(page.locator('dialog.diagram-dialog[open] svg')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});
