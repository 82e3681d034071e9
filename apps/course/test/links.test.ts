import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analysePage } from '../src/content/analyse.ts';
import { LANGUAGES } from '../src/content/languages.ts';
import { loadCourse, type CourseDirs, type Page } from '../src/content/loader.ts';
import { contentDir } from '../src/content/paths.ts';
import { FIXTURE_LABS } from './course-fixture.ts';

/**
 * The link checker: every internal link and anchor in every page (lessons in
 * every language, and lab pages — the repo's own labs and the fixture labs)
 * must lead to a page the site serves and to an id that page has.
 */
async function brokenLinks(dirs: CourseDirs): Promise<string[]> {
  const pages: Page[] = LANGUAGES.flatMap((lang) => loadCourse(lang, dirs).pages);
  const byUrl = new Map(pages.map((p) => [p.url, p]));
  const broken: string[] = [];
  for (const page of pages) {
    const { links } = await analysePage(page);
    for (const link of links) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // external: not fetched (the site works offline)
      const [path = '', hash] = link.split('#');
      const target = path === '' ? page : byUrl.get(path.replace(/\/$/, ''));
      if (!link.startsWith('/') && !link.startsWith('#')) broken.push(`${page.url}: relative link "${link}" (use /<lang>/…)`);
      else if (!target) broken.push(`${page.url}: no page at "${path}"`);
      else if (hash && !(await analysePage(target)).ids.has(hash)) broken.push(`${page.url}: "${target.url}" has no anchor #${hash}`);
    }
  }
  return broken;
}

describe('link checker', () => {
  it('finds no broken internal link or anchor in the course and the repo’s labs', async () => {
    expect(await brokenLinks({})).toEqual([]);
  });

  it('every <LabLink> names a lab of the repository, and a step its page has', async () => {
    const bad: string[] = [];
    for (const lang of LANGUAGES) {
      const course = loadCourse(lang);
      for (const page of course.lessons) {
        for (const [, lab, anchor] of page.body.matchAll(/<LabLink lab="([^"]+)"(?: anchor="([^"]+)")?>/g)) {
          const target = course.labs.find((l) => l.lab.folder === lab);
          if (!target) bad.push(`${page.url}: no lab ${lab}`);
          else if (anchor && !(await analysePage(target)).ids.has(anchor)) bad.push(`${page.url}: ${target.url} has no anchor #${anchor}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('finds no broken link in the fixture labs either', async () => {
    expect(await brokenLinks({ labs: FIXTURE_LABS })).toEqual([]);
  });

  it('reports a link to a missing page and to a missing anchor', async () => {
    const root = mkdtempSync(join(tmpdir(), 'course-links-'));
    cpSync(contentDir(), root, { recursive: true });
    mkdirSync(join(root, 'en', 'broken'), { recursive: true });
    writeFileSync(
      join(root, 'en', 'broken', 'index.mdx'),
      '---\ntitle: Broken\ndescription: A page with broken links.\norder: 99\n---\n\n[gone](/en/nowhere) [no anchor](/en/01-open-front-door#nope) [ok](/en/01-open-front-door#a-server-is-a-set-of-abilities)\n',
    );
    expect(await brokenLinks({ content: root, labs: FIXTURE_LABS })).toEqual([
      '/en/broken: no page at "/en/nowhere"',
      '/en/broken: "/en/01-open-front-door" has no anchor #nope',
    ]);
  });
});
