import { analysePage } from '../../../src/content/analyse.ts';
import { isLang, LANGUAGES } from '../../../src/content/languages.ts';
import { loadCourse } from '../../../src/content/loader.ts';
import type { SearchIndex } from '../../../src/components/search-index.ts';

// Built once by `next build`: a JSON file per language, no search service.
export const dynamic = 'force-static';
export const dynamicParams = false;

export function generateStaticParams() {
  return LANGUAGES.map((lang) => ({ lang }));
}

export async function GET(_request: Request, { params }: { params: Promise<{ lang: string }> }): Promise<Response> {
  const { lang } = await params;
  if (!isLang(lang)) return new Response('not found', { status: 404 });
  const { pages } = loadCourse(lang);
  const index: SearchIndex = {
    lang,
    pages: await Promise.all(
      pages.map(async (page) => ({ id: page.id, url: page.url, title: page.title, sections: (await analysePage(page)).sections })),
    ),
  };
  return Response.json(index);
}
