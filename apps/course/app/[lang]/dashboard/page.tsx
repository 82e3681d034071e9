import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { isLang } from '../../../src/content/languages.ts';
import { DASHBOARD_TEXT } from '../../../src/components/dashboard-text.ts';
import { Dashboard } from '../../../src/components/Dashboard.client.tsx';
import { withCode } from '../../../src/components/with-code.tsx';

type Params = Promise<{ lang: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { lang } = await params;
  return { title: isLang(lang) ? DASHBOARD_TEXT[lang].title : 'Lab dashboard' };
}

/** `/<lang>/dashboard`: the IdP's status, the labs, and their checks run from the browser. */
export default async function DashboardPage({ params }: { params: Params }) {
  const { lang } = await params;
  if (!isLang(lang)) notFound();
  const t = DASHBOARD_TEXT[lang];
  return (
    <article className="tool-page">
      <h1>{t.title}</h1>
      <p className="lead">{withCode(t.intro)}</p>
      <Dashboard lang={lang} />
    </article>
  );
}
