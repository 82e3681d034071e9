import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { evaluate } from 'next-mdx-remote-client/rsc';
import { isLang, UI } from '../../../src/content/languages.ts';
import { allRoutes, findPage, neighbours } from '../../../src/content/loader.ts';
import { mdxOptions } from '../../../src/content/pipeline.ts';
import { mdxComponents } from '../../../src/components/mdx-components.tsx';
import { MarkRead } from '../../../src/components/MarkRead.client.tsx';
import { CheckYourWork, untranslatedNote } from '../../../src/components/CheckYourWork.tsx';
import { LessonIntro } from '../../../src/components/LessonIntro.tsx';
import { LiveFlow } from '../../../src/components/LiveFlow.client.tsx';
import { flowFor } from '../../../src/flows/index.ts';

type Params = Promise<{ lang: string; slug?: string[] }>;

export const dynamicParams = false;

export function generateStaticParams() {
  return allRoutes();
}

async function pageFor(params: Params) {
  const { lang, slug = [] } = await params;
  if (!isLang(lang)) notFound();
  const page = findPage(lang, slug);
  if (!page) notFound();
  return page;
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const page = await pageFor(params);
  return { title: page.title, ...(page.kind === 'lesson' ? { description: page.frontmatter.description } : {}) };
}

/** Every page of the course: a lesson from `content/<lang>/`, or a lab's README. */
export default async function CoursePage({ params }: { params: Params }) {
  const page = await pageFor(params);
  const ui = UI[page.lang];
  const { content, error } = await evaluate({ source: page.body, options: { mdxOptions: mdxOptions(page) }, components: mdxComponents(page) });
  // A lesson that does not compile must fail the build, not ship as an empty page.
  if (error) throw new Error(`${page.file}: ${error.message}`);
  const { previous, next } = neighbours(page);
  const note = page.kind === 'lab' ? untranslatedNote(page) : undefined;
  return (
    <>
      <article data-page={page.id}>
        <h1>{page.title}</h1>
        {page.kind === 'lesson' ? <p className="lead">{page.frontmatter.description}</p> : null}
        {page.kind === 'lesson' ? <LessonIntro page={page} /> : null}
        {note ? <p className="callout note">{note}</p> : null}
        {content}
      </article>
      {page.kind === 'lab' && flowFor(page.lab.folder) ? <LiveFlow lab={page.lab.folder} lang={page.lang} /> : null}
      {page.kind === 'lab' ? <CheckYourWork page={page} heading={ui.checkYourWork} /> : null}
      <footer className="page-footer">
        {page.kind === 'lesson' && page.slug.length ? (
          <MarkRead lesson={page.id} labels={{ markRead: ui.markRead, markedRead: ui.markedRead, failed: ui.progressUnavailable }} />
        ) : null}
        <nav aria-label={`${ui.previous} / ${ui.next}`} className="pager">
          {previous ? (
            <Link href={previous.url} rel="prev">
              ← {previous.title}
            </Link>
          ) : (
            <span />
          )}
          {next ? (
            <Link href={next.url} rel="next">
              {next.title} →
            </Link>
          ) : null}
        </nav>
      </footer>
    </>
  );
}
