import { describe, expect, it } from 'vitest';
import { analysePage } from '../src/content/analyse.ts';
import { LANGUAGES } from '../src/content/languages.ts';
import { loadCourse, type LessonPage } from '../src/content/loader.ts';
import { positionShares, questionsIn, questionTagCount, quizLayout } from '../src/content/quiz.ts';
import { labTableRows } from '../src/content/lab-table.ts';
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

  it('every lesson opens with objectives, a time and prerequisites, and closes with a recap, in every language', async () => {
    const recap = { en: 'Recap', nl: 'Samenvatting' } as const;
    for (const lang of LANGUAGES) {
      const lessons = loadCourse(lang, dirs).lessons.filter((l) => l.frontmatter.section === 'course' && l.frontmatter.order > 0);
      expect(lessons.length).toBeGreaterThanOrEqual(8);
      for (const lesson of lessons) {
        const where = `${lang}/${lesson.id}`;
        expect(lesson.frontmatter.objectives?.length ?? 0, `${where}: objectives`).toBeGreaterThanOrEqual(2);
        expect(lesson.frontmatter.minutes, `${where}: minutes`).toBeGreaterThan(0);
        expect(lesson.frontmatter.prerequisites?.length ?? 0, `${where}: prerequisites`).toBeGreaterThanOrEqual(1);
        const h2 = (await analysePage(lesson)).headings.filter((h) => h.depth === 2);
        expect(h2.at(-1)?.text, `${where}: the last section is the recap`).toBe(recap[lang]);
      }
    }
  });
});

/** Every question of the course in one language, in course order, as the site reads them. */
function courseQuestions(lang: (typeof LANGUAGES)[number]) {
  const lessons: LessonPage[] = loadCourse(lang, dirs).lessons;
  for (const lesson of lessons) expect(questionsIn(lesson.body).length, `${lang}/${lesson.id}: every <Question> in the form questionsIn reads`).toBe(questionTagCount(lesson.body));
  return lessons.flatMap((l) => questionsIn(l.body));
}

describe('fair quizzes', () => {
  const LIMIT = 0.4;

  it('no position holds more than 40% of the right answers in the source, and the right answer is not usually the longest', () => {
    for (const lang of LANGUAGES) {
      const questions = courseQuestions(lang);
      expect(questions.length, lang).toBeGreaterThanOrEqual(20);
      expect(new Set(questions.map((q) => q.prompt)).size, `${lang}: prompts are unique (the site finds a question by it)`).toBe(questions.length);
      for (const q of questions) expect(q.answer, q.prompt).toBeLessThan(q.options);
      const shares = positionShares(questions.map((q) => q.answer));
      expect(Math.max(...shares), `${lang}: right answers per position ${shares.map((x) => x.toFixed(2)).join(' ')}`).toBeLessThanOrEqual(LIMIT);
      const longest = questions.filter((q) => q.texts.every((t, i) => i === q.answer || t.length < q.texts[q.answer]!.length)).length;
      expect(longest / questions.length, `${lang}: the right answer is the longest option in ${longest} of ${questions.length}`).toBeLessThanOrEqual(0.5);
      expect(questions.filter((q) => /^Scenario/.test(q.prompt)).length, `${lang}: scenario questions`).toBeGreaterThanOrEqual(8);
    }
  });

  it('as rendered: for every learner, no position holds more than 40% of the right answers', () => {
    for (const lang of LANGUAGES) {
      const shapes = courseQuestions(lang).map((q) => ({ options: q.options, answer: q.answer }));
      for (let seed = 1; seed <= 200; seed++) {
        const layout = quizLayout(seed, shapes);
        layout.forEach((order, i) => expect([...order].sort(), `${lang} seed ${seed} question ${i}: a permutation`).toEqual(Array.from({ length: shapes[i]!.options }, (_, o) => o)));
        const shown = layout.map((order, i) => order.indexOf(shapes[i]!.answer));
        const shares = positionShares(shown);
        expect(Math.max(...shares), `${lang} seed ${seed}: ${shares.map((x) => x.toFixed(2)).join(' ')}`).toBeLessThanOrEqual(LIMIT);
      }
    }
  });

  it('each learner sees their own order, the same on every visit', () => {
    const shapes = courseQuestions('en').map((q) => ({ options: q.options, answer: q.answer }));
    expect(quizLayout(42, shapes)).toEqual(quizLayout(42, shapes));
    const seen = new Set(Array.from({ length: 20 }, (_, i) => JSON.stringify(quizLayout(i + 1, shapes))));
    expect(seen.size).toBe(20);
  });
});

describe('the glossary', () => {
  it('each term is linked where a lesson first uses it', () => {
    for (const lang of LANGUAGES) {
      const course = loadCourse(lang, dirs);
      const lessons = course.lessons.filter((l) => l.frontmatter.section === 'course' && l.frontmatter.order > 0);
      const glossary = course.lessons.find((l) => l.id === 'glossary')!;
      const unlinked: string[] = [];
      for (const [, heading] of glossary.body.matchAll(/^### (.+)$/gm)) {
        const term = heading!.replace(/\s*\(.*\)$/, '');
        const anchor = heading!.toLowerCase().replace(/[^\p{L}\p{M}\p{N}_ -]/gu, '').replace(/ /g, '-');
        const uses = new RegExp(`(^|[^\\w-])${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w])`, 'i');
        // The lesson's text, without its frontmatter and source comments.
        const first = lessons.find((l) => uses.test(l.body.replace(/\{\/\*[\s\S]*?\*\/\}/g, '')));
        if (first && !first.body.includes(`(/${lang}/glossary#${anchor})`)) unlinked.push(`${term}: first used in ${first.id}, not linked there`);
      }
      expect(unlinked, lang).toEqual([]);
    }
  });

  it('every entry is linked from a lesson, and links back to a lesson or lab that teaches it', async () => {
    for (const lang of LANGUAGES) {
      const course = loadCourse(lang, dirs);
      const glossary = course.lessons.find((l) => l.id === 'glossary');
      if (!glossary) throw new Error(`${lang} has no glossary`);
      const entries = (await analysePage(glossary)).headings.filter((h) => h.depth === 3);
      expect(entries.length, lang).toBeGreaterThanOrEqual(25);
      const linkedFromLessons = new Set<string>();
      for (const lesson of course.lessons.filter((l) => l.frontmatter.section === 'course')) {
        for (const link of (await analysePage(lesson)).links) if (link.startsWith(`/${lang}/glossary#`)) linkedFromLessons.add(link.split('#')[1]!);
      }
      const chunks = glossary.body.split(/^### /m).slice(1);
      expect(chunks.length).toBe(entries.length);
      entries.forEach((entry, i) => {
        expect(linkedFromLessons.has(entry.id), `${lang}: no lesson links to the glossary entry #${entry.id}`).toBe(true);
        expect(chunks[i], `${lang}: #${entry.id} links back to where it is taught`).toMatch(new RegExp(`\\]\\(/${lang}/0\\d|<LabLink lab="\\d\\d-`));
      });
    }
  });
});

describe('the instructor guide', () => {
  it('is one text for the site and docs/, in both languages, with agendas, timings, a checklist, answers, failures, grading and demos', async () => {
    const wanted = {
      en: ['How long each part takes', 'Two hours: the ideas and one lab', 'Half a day (four hours): two labs', 'A full day: all three labs', 'Setup checklist for a room of laptops', 'Model answers to the reflection questions', 'The ten failures you will see most', 'How to grade', 'Fault-injection demos to run in front of the class'],
      nl: ['Hoelang elk onderdeel duurt', 'Twee uur: de ideeën en één lab', 'Een halve dag (vier uur): twee labs', 'Een hele dag: alle drie de labs', 'Checklist voor een lokaal vol laptops', 'Modelantwoorden op de reflectievragen', 'De tien fouten die je het vaakst ziet', 'Beoordelen', "Demo's met foutinjectie voor de klas"],
    } as const;
    for (const lang of LANGUAGES) {
      const page = loadCourse(lang, dirs).lessons.find((l) => l.id === 'instructor');
      if (!page) throw new Error(`${lang} has no instructor guide`);
      expect(page.format).toBe('md');
      expect(page.file.endsWith(lang === 'en' ? 'docs/instructor-guide.md' : 'docs/instructor-guide.nl.md')).toBe(true);
      expect((await analysePage(page)).headings.map((h) => h.text)).toEqual(expect.arrayContaining([...wanted[lang]]));
      // Each kind of figure says what it is: the checks' times are measured, a learner's time is an estimate (no group timed).
      expect(page.body).toMatch(lang === 'en' ? /\*\*Measured: how long the checks take\.\*\*/ : /\*\*Gemeten: hoelang de controles duren\.\*\*/);
      expect(page.body).toMatch(lang === 'en' ? /\*\*Estimated: how long a learner takes\.\*\* No group has been timed yet\./ : /\*\*Geschat: hoelang een cursist erover doet\.\*\* Er is nog geen groep getimed\./);
      expect(page.body.match(/\|\s*(01|02|03) [^|]+\|[^|]+\|[^|]+\|[^|]+\|[^|]+min \|/g)?.length, `${lang}: a timing row per lab`).toBe(3);
    }
  });
});

describe('the labs lesson', () => {
  it('lists only labs that exist, with their pages, and marks the others as coming', () => {
    for (const lang of LANGUAGES) {
      for (const labsDirs of [{}, dirs]) {
        const course = loadCourse(lang, labsDirs);
        expect(course.lessons.find((l) => l.frontmatter.labs)?.body, 'the labs lesson shows the table').toContain('<LabTable />');
        const rows = labTableRows(lang, course.labs);
        const ready = rows.filter((r) => r.status === 'ready');
        expect(ready.map((r) => r.url)).toEqual(course.labs.map((l) => l.url));
        for (const row of rows.filter((r) => r.status === 'coming')) {
          expect(row.url, `${row.number} is coming`).toBeUndefined();
          expect(course.labs.some((l) => l.lab.number === row.number), `${row.number} is not in this copy`).toBe(false);
        }
      }
      // The repository's own labs are all ready (lab 04 is no longer planned); a copy without lab 05 shows it as coming.
      const real = labTableRows(lang, loadCourse(lang).labs);
      expect(real.filter((r) => r.status === 'ready').map((r) => r.number)).toEqual(['01', '02', '03', '04', '05']);
    }
  });
});
