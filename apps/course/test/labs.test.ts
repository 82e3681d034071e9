import { describe, expect, it } from 'vitest';
import { analysePage } from '../src/content/analyse.ts';
import { listLabs } from '../src/content/labs.ts';
import { findPage, loadCourse, neighbours } from '../src/content/loader.ts';
import { FIXTURE_LABS } from './course-fixture.ts';

describe('lab pages from labs/*/README', () => {
  it('finds every NN-name folder with a README, in order, and nothing else', () => {
    expect(listLabs(FIXTURE_LABS, 'en').map((l) => l.folder)).toEqual(['01-passes-all', '02-english-only']);
  });

  it('uses README.<lang>.md when it exists and falls back to the English one, saying so', () => {
    const [own, fallback] = listLabs(FIXTURE_LABS, 'nl');
    expect(own).toMatchObject({ title: 'Fixture-lab: alles slaagt', translated: true });
    expect(fallback).toMatchObject({ title: 'Fixture lab: English only', translated: false });
  });

  it('reads on from a lab to the next lab, and from the last lab to the lesson after the labs', () => {
    const dirs = { labs: FIXTURE_LABS };
    for (const lang of ['en', 'nl'] as const) {
      const labsLesson = findPage(lang, ['06-labs'], dirs)!;
      const [first, second] = loadCourse(lang, dirs).labs;
      expect(neighbours(labsLesson, dirs).next?.id).toBe(first?.id);
      expect(neighbours(first!, dirs)).toMatchObject({ previous: { id: '06-labs' }, next: { id: second?.id } });
      expect(neighbours(second!, dirs)).toMatchObject({ previous: { id: first?.id }, next: { id: '07-best-practices' } });
      expect(neighbours(findPage(lang, ['07-best-practices'], dirs)!, dirs).previous?.id).toBe(second?.id);
    }
  });

  it('serves each lab below the lesson that lists the labs', () => {
    const page = findPage('en', ['06-labs', '01-passes-all'], { labs: FIXTURE_LABS });
    expect(page).toMatchObject({ kind: 'lab', id: 'labs/01-passes-all', url: '/en/06-labs/01-passes-all', format: 'md' });
  });

  it('rewrites README links to lab pages and turns links to lab files into plain text', async () => {
    const page = loadCourse('en', { labs: FIXTURE_LABS }).labs[0];
    if (!page) throw new Error('no fixture lab');
    const { links, ids } = await analysePage(page);
    expect(links).toEqual(['/en/06-labs/02-english-only', '#what-to-do', '/en/06-labs/01-passes-all']);
    expect(ids).toContain('what-to-do');
  });

  it('has no labs, and no error, when the labs folder does not exist', () => {
    expect(loadCourse('en', { labs: '/nonexistent/labs' }).labs).toEqual([]);
  });
});
