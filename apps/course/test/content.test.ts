import { describe, expect, it } from 'vitest';
import { analysePage } from '../src/content/analyse.ts';
import { LANGUAGES } from '../src/content/languages.ts';
import { loadCourse } from '../src/content/loader.ts';
import { FIXTURE_LABS } from './course-fixture.ts';

const dirs = { labs: FIXTURE_LABS };
const [first, ...others] = LANGUAGES;

describe('course content', () => {
  it('every language has the same lessons, in the same order, with valid frontmatter', () => {
    const reference = loadCourse(first, dirs).lessons.map((l) => [l.id, l.frontmatter.order]);
    expect(reference.length).toBeGreaterThanOrEqual(9);
    for (const lang of others) expect(loadCourse(lang, dirs).lessons.map((l) => [l.id, l.frontmatter.order])).toEqual(reference);
  });

  it('lesson ids are unique and one lesson hosts the labs', () => {
    const { lessons } = loadCourse(first, dirs);
    expect(new Set(lessons.map((l) => l.id)).size).toBe(lessons.length);
    expect(lessons.filter((l) => l.frontmatter.labs)).toHaveLength(1);
  });

  it('translations have the same structure: the same number of sections at the same depths', async () => {
    for (const lesson of loadCourse(first, dirs).lessons) {
      const depths = (await analysePage(lesson)).headings.map((h) => h.depth);
      for (const lang of others) {
        const twin = loadCourse(lang, dirs).lessons.find((l) => l.id === lesson.id);
        if (!twin) throw new Error(`${lang} lacks ${lesson.id}`);
        expect((await analysePage(twin)).headings.map((h) => h.depth), `${lang}/${lesson.id}`).toEqual(depths);
      }
    }
  });

  it('teaches the facts the course promises', async () => {
    const text = async (id: string) => {
      const page = loadCourse('en', dirs).lessons.find((l) => l.id === id);
      if (!page) throw new Error(id);
      return (await analysePage(page)).sections.map((s) => `${s.heading} ${s.text}`).join(' ');
    };
    expect(await text('03-sign-in-flow')).toMatch(/JWKS[\s\S]*issuer[\s\S]*audience[\s\S]*expir[\s\S]*tenant/i);
    expect(await text('03-sign-in-flow')).toMatch(/common simplification[\s\S]*is this token valid/i);
    expect(await text('05-clients-and-transports')).toMatch(/Streamable HTTP[\s\S]*deprecated/i);
    expect(await text('07-best-practices')).toMatch(/Retry-After[\s\S]*Key Vault[\s\S]*managed identity[\s\S]*workload identity federation[\s\S]*API Management/i);
  });
});
