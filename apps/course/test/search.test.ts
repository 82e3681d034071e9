import { describe, expect, it } from 'vitest';
import { search, type SearchIndex } from '../src/components/search-index.ts';
import { analysePage } from '../src/content/analyse.ts';
import { loadCourse } from '../src/content/loader.ts';

async function indexOf(lang: 'en' | 'nl'): Promise<SearchIndex> {
  const { pages } = loadCourse(lang);
  return { lang, pages: await Promise.all(pages.map(async (p) => ({ id: p.id, url: p.url, title: p.title, sections: (await analysePage(p)).sections }))) };
}

describe('lesson search', () => {
  it('finds the section that explains a term, with a link to its anchor', async () => {
    const [first] = search(await indexOf('en'), 'jwks audience');
    expect(first?.href).toBe('/en/03-sign-in-flow#how-the-server-really-checks-a-token');
  });

  it('ignores accents and case, in Dutch too', async () => {
    const hits = search(await indexOf('nl'), 'EXPONENTIELE Back');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => /^\/nl(\/|#|$)/.test(h.href))).toBe(true);
  });

  it('returns nothing for a query of stray letters', async () => {
    expect(search(await indexOf('en'), 'x')).toEqual([]);
  });
});
