import GithubSlugger from 'github-slugger';
import type { Lang } from '../content/languages.ts';
import { LANGUAGES } from '../content/languages.ts';
import { loadCourse } from '../content/loader.ts';

/** The ids of a Markdown page's headings, as rehype-slug gives them (GitHub's slugs), outside code fences. */
export function headingIds(markdown: string): string[] {
  const slugger = new GithubSlugger();
  const ids: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (marker) {
      if (!fence) fence = marker[0];
      else if (marker[0] === fence) fence = undefined;
      continue;
    }
    if (fence) continue;
    const heading = /^#{2,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading?.[1]) ids.push(slugger.slug(heading[1].replace(/[`*]/g, '')));
  }
  return ids;
}

/**
 * Where a check's lesson step is, in every language: checks name the step by
 * its anchor in the English README (`#step-3-…`); the other READMEs have the
 * same structure (the course's content test checks it), so the n-th heading
 * there is the same step.
 */
export function lessonStepLinks(labFolder: string, anchors: readonly string[]): { page: Record<Lang, string>; steps: Record<string, Record<Lang, string>> } | undefined {
  const pages = Object.fromEntries(LANGUAGES.map((lang) => [lang, loadCourse(lang).labs.find((l) => l.lab.folder === labFolder)])) as Record<Lang, ReturnType<typeof loadCourse>['labs'][number] | undefined>;
  const english = pages.en;
  if (!english) return undefined;
  const englishIds = headingIds(english.body);
  const steps: Record<string, Record<Lang, string>> = {};
  for (const anchor of anchors) {
    const index = englishIds.indexOf(anchor.replace(/^#/, ''));
    steps[anchor] = Object.fromEntries(
      LANGUAGES.map((lang) => {
        const page = pages[lang] ?? english;
        const id = index >= 0 ? (headingIds(page.body)[index] ?? anchor.slice(1)) : anchor.slice(1);
        return [lang, `${page.url}#${id}`];
      }),
    ) as Record<Lang, string>;
  }
  return { page: Object.fromEntries(LANGUAGES.map((lang) => [lang, (pages[lang] ?? english).url])) as Record<Lang, string>, steps };
}
