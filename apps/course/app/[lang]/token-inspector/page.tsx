import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { isLang } from '../../../src/content/languages.ts';
import { INSPECTOR_TEXT } from '../../../src/inspector/text.ts';
import { TokenInspector } from '../../../src/components/TokenInspector.client.tsx';

type Params = Promise<{ lang: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { lang } = await params;
  return { title: isLang(lang) ? INSPECTOR_TEXT[lang].title : 'Token inspector' };
}

/** `/<lang>/token-inspector`: paste a token, read it claim by claim. */
export default async function TokenInspectorPage({ params }: { params: Params }) {
  const { lang } = await params;
  if (!isLang(lang)) notFound();
  const t = INSPECTOR_TEXT[lang];
  return (
    <article className="tool-page">
      <h1>{t.title}</h1>
      <p className="lead">{t.intro}</p>
      <TokenInspector lang={lang} />
    </article>
  );
}
