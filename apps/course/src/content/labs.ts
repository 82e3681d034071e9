import fs from 'node:fs';
import path from 'node:path';
import type { Lang } from './languages.ts';

/** A lab folder is `NN-name` with a README.md (the harness and other folders are not labs). */
const LAB_FOLDER = /^\d{2}-[a-z0-9-]+$/;

export interface LabReadme {
  /** Canonical folder name, e.g. `02-public-client` (what every output uses). */
  folder: string;
  number: string;
  title: string;
  /** Markdown body without its first `#` heading (the page renders the title itself). */
  body: string;
  file: string;
  /** False when the lab has no README in this language and the English one is shown. */
  translated: boolean;
}

function readmeFor(dir: string, lang: Lang): { file: string; translated: boolean } | undefined {
  const own = path.join(dir, lang === 'en' ? 'README.md' : `README.${lang}.md`);
  if (fs.existsSync(own)) return { file: own, translated: true };
  const english = path.join(dir, 'README.md');
  return fs.existsSync(english) ? { file: english, translated: false } : undefined;
}

/** Splits off the first level-1 heading: the title. */
function titleAndBody(markdown: string, fallback: string): { title: string; body: string } {
  const match = /^\s*#\s+(.+?)\s*#*\s*$/m.exec(markdown);
  if (!match || match.index > markdown.search(/\S/)) return { title: fallback, body: markdown };
  return { title: match[1] ?? fallback, body: markdown.slice(match.index + match[0].length) };
}

/**
 * Every lab under `labsRoot`, in folder order, with the README of `lang`
 * (or the English one when it has none). One source for the CLI and the site.
 */
export function listLabs(labsRoot: string, lang: Lang): LabReadme[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(labsRoot, { withFileTypes: true });
  } catch {
    return [];
  }
  const labs: LabReadme[] = [];
  for (const entry of entries.filter((e) => e.isDirectory() && LAB_FOLDER.test(e.name)).sort((a, b) => a.name.localeCompare(b.name))) {
    const readme = readmeFor(path.join(labsRoot, entry.name), lang);
    if (!readme) continue;
    const { title, body } = titleAndBody(fs.readFileSync(readme.file, 'utf8'), entry.name);
    labs.push({ folder: entry.name, number: entry.name.slice(0, 2), title, body, file: readme.file, translated: readme.translated });
  }
  return labs;
}
