/** The shape of `/search/<lang>`: built when the site is built, searched in the browser. */
export interface SearchIndex {
  lang: string;
  pages: { id: string; url: string; title: string; sections: { id: string; heading: string; text: string }[] }[];
}

export interface SearchHit {
  href: string;
  title: string;
  heading: string;
  snippet: string;
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/** Sections that contain every word of the query; title and heading matches rank first. */
export function search(index: SearchIndex, query: string, limit = 8): SearchHit[] {
  const words = fold(query).split(/\s+/).filter((w) => w.length > 1);
  if (!words.length) return [];
  const hits: (SearchHit & { score: number })[] = [];
  for (const page of index.pages) {
    for (const section of page.sections) {
      const title = fold(page.title);
      const heading = fold(section.heading);
      const body = fold(section.text);
      if (!words.every((w) => title.includes(w) || heading.includes(w) || body.includes(w))) continue;
      const score = words.reduce((s, w) => s + (heading.includes(w) ? 4 : 0) + (title.includes(w) ? 2 : 0) + (body.includes(w) ? 1 : 0), 0);
      const at = Math.max(0, body.indexOf(words[0] ?? '') - 40);
      const snippet = section.text.slice(at, at + 140).trim();
      hits.push({ href: section.id ? `${page.url}#${section.id}` : page.url, title: page.title, heading: section.heading, snippet: `${at > 0 ? '… ' : ''}${snippet}…`, score });
    }
  }
  return hits.sort((a, b) => b.score - a.score).slice(0, limit);
}
