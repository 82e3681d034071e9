import fs from 'node:fs';
import path from 'node:path';
import { splitFrontmatter, type Frontmatter } from './frontmatter.ts';
import { listLabs, type LabReadme } from './labs.ts';
import { LANGUAGES, type Lang } from './languages.ts';
import { contentDir, labsDir, repoRoot } from './paths.ts';

interface PageBase {
  lang: Lang;
  /** Path segments below `/<lang>`; `[]` is the course's start page. */
  slug: string[];
  /** Language-independent id: the slug joined with `/` (`index` for the start page). Progress is keyed by it. */
  id: string;
  url: string;
  title: string;
  file: string;
  body: string;
}

export interface LessonPage extends PageBase {
  kind: 'lesson';
  /** `md` for a page whose text is a Markdown file in docs/ (frontmatter `source`). */
  format: 'mdx' | 'md';
  frontmatter: Frontmatter;
}

export interface LabPage extends PageBase {
  kind: 'lab';
  format: 'md';
  lab: LabReadme;
  /** The lesson that lists the labs. */
  parent: LessonPage;
}

export type Page = LessonPage | LabPage;

export interface Course {
  lang: Lang;
  /** Lessons in course order (the start page first). */
  lessons: LessonPage[];
  labs: LabPage[];
  pages: Page[];
}

export interface CourseDirs {
  content?: string;
  labs?: string;
}

export function pageUrl(lang: Lang, slug: readonly string[]): string {
  return slug.length ? `/${lang}/${slug.join('/')}` : `/${lang}`;
}

function walkMdx(dir: string, prefix: string[] = []): { file: string; slug: string[] }[] {
  const found: { file: string; slug: string[] }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...walkMdx(full, [...prefix, entry.name]));
    else if (entry.name.endsWith('.mdx')) {
      const name = entry.name.slice(0, -'.mdx'.length);
      found.push({ file: full, slug: name === 'index' ? prefix : [...prefix, name] });
    }
  }
  return found;
}

function loadLessons(lang: Lang, root: string): LessonPage[] {
  const dir = path.join(root, lang);
  const lessons = walkMdx(dir).map(({ file, slug }): LessonPage => {
    const { frontmatter, body } = splitFrontmatter(fs.readFileSync(file, 'utf8'), path.relative(root, file));
    const id = slug.length ? slug.join('/') : 'index';
    if (frontmatter.source) {
      // The text is a document of the repository; its own # title gives way to the frontmatter's.
      const source = path.join(/* turbopackIgnore: true */ repoRoot(), frontmatter.source);
      const markdown = fs.readFileSync(source, 'utf8').replace(/^\s*# .*\n/, '');
      return { kind: 'lesson', format: 'md', lang, slug, id, url: pageUrl(lang, slug), title: frontmatter.title, file: source, body: markdown, frontmatter };
    }
    return { kind: 'lesson', format: 'mdx', lang, slug, id, url: pageUrl(lang, slug), title: frontmatter.title, file, body, frontmatter };
  });
  return lessons.sort((a, b) => a.frontmatter.order - b.frontmatter.order || a.id.localeCompare(b.id));
}

const cache = new Map<string, Course>();

/**
 * The one content loader every route, the search index and the tests use.
 * The file tree is the route map: `content/<lang>/a/b.mdx` is `/<lang>/a/b`,
 * `index.mdx` is its folder's page, and each lab folder becomes a page below
 * the lesson whose frontmatter says `labs: true`.
 */
export function loadCourse(lang: Lang, dirs: CourseDirs = {}): Course {
  const root = dirs.content ?? contentDir();
  const labsRoot = dirs.labs ?? labsDir();
  const key = `${lang}\0${root}\0${labsRoot}`;
  // Cached for the life of a build or server; in development files change, so read them again.
  const cached = process.env.NODE_ENV === 'production' ? cache.get(key) : undefined;
  if (cached) return cached;

  const lessons = loadLessons(lang, root);
  const host = lessons.find((l) => l.frontmatter.labs);
  const labs: LabPage[] = host
    ? listLabs(labsRoot, lang).map((lab) => {
        const slug = [...host.slug, lab.folder];
        return { kind: 'lab', format: 'md', lang, slug, id: `labs/${lab.folder}`, url: pageUrl(lang, slug), title: lab.title, file: lab.file, body: lab.body, lab, parent: host };
      })
    : [];
  const course: Course = { lang, lessons, labs, pages: [...lessons, ...labs] };
  cache.set(key, course);
  return course;
}

export function findPage(lang: Lang, slug: readonly string[], dirs?: CourseDirs): Page | undefined {
  const id = slug.length ? slug.join('/') : 'index';
  return loadCourse(lang, dirs).pages.find((p) => p.slug.join('/') === id || (id === 'index' && p.slug.length === 0));
}

/** Every `/<lang>/<slug>` the site serves (for `generateStaticParams`). */
export function allRoutes(dirs?: CourseDirs): { lang: Lang; slug: string[] }[] {
  return LANGUAGES.flatMap((lang) => loadCourse(lang, dirs).pages.map((p) => ({ lang, slug: p.slug })));
}

/**
 * The page before and after this one, in reading order: the lessons of the
 * page's section in course order, with the labs right after the lesson that
 * lists them (that lesson → first lab → … → last lab → the next lesson). A
 * learner who finishes a lab reads on with the next lab, not with the next
 * lesson. Reference pages (glossary, troubleshooting, instructor guide) are
 * their own sequence, apart from the course's steps.
 */
export function neighbours(page: Page, dirs?: CourseDirs): { previous?: Page; next?: Page } {
  const { lessons, labs } = loadCourse(page.lang, dirs);
  const section = (page.kind === 'lab' ? page.parent : page).frontmatter.section;
  const order: Page[] = lessons.filter((l) => l.frontmatter.section === section).flatMap((lesson): Page[] => [lesson, ...labs.filter((lab) => lab.parent.id === lesson.id)]);
  const index = order.findIndex((p) => p.id === page.id);
  const previous = order[index - 1];
  const next = order[index + 1];
  return { ...(previous ? { previous } : {}), ...(next ? { next } : {}) };
}
