import { drawDiagrams, expect, seriousViolations, test } from './fixtures.ts';

for (const lang of ['en', 'nl']) {
  test(`every ${lang} page passes axe (no serious or critical violations)`, async ({ page }) => {
    await page.goto(`/${lang}`);
    const nav = page.locator('nav.lesson-nav a');
    const urls = [...new Set(await nav.evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname)))];
    await page.goto(`/${lang}/06-labs`);
    urls.push(...(await page.locator('.lab-list a').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname))));
    expect(urls.length).toBeGreaterThanOrEqual(9);
    const problems: string[] = [];
    for (const url of urls) {
      await page.goto(url);
      await drawDiagrams(page);
      problems.push(...(await seriousViolations(page)).map((v) => `${url}: ${v}`));
    }
    expect(problems).toEqual([]);
  });
}

test('a lesson in dark mode passes axe too, diagram included', async ({ page }) => {
  await page.goto('/en/03-sign-in-flow');
  await page.getByRole('button', { name: 'Dark mode' }).click();
  await drawDiagrams(page);
  expect(await seriousViolations(page)).toEqual([]);
});
