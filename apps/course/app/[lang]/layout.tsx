import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import '../globals.css';
import { isLang, LANGUAGES, UI } from '../../src/content/languages.ts';
import { loadCourse } from '../../src/content/loader.ts';
import { LessonNav, type NavItem } from '../../src/components/LessonNav.client.tsx';
import { SearchBox } from '../../src/components/SearchBox.client.tsx';
import { ThemeToggle } from '../../src/components/ThemeToggle.client.tsx';
import { LanguageSwitch } from '../../src/components/LanguageSwitch.client.tsx';
import { THEME_SCRIPT } from '../../src/components/theme-script.ts';
import Link from 'next/link';

export const dynamicParams = false;

export function generateStaticParams() {
  return LANGUAGES.map((lang) => ({ lang }));
}

export async function generateMetadata({ params }: { params: Promise<{ lang: string }> }): Promise<Metadata> {
  const { lang } = await params;
  const title = isLang(lang) ? UI[lang].courseTitle : 'Course';
  return { title: { template: `%s · ${title}`, default: title } };
}

/** The frame of every page of one language: header, lesson navigation with progress, content. */
export default async function LanguageLayout({ children, params }: { children: ReactNode; params: Promise<{ lang: string }> }) {
  const { lang } = await params;
  if (!isLang(lang)) notFound();
  const ui = UI[lang];
  const other = LANGUAGES.find((l) => l !== lang) ?? lang;
  const items: NavItem[] = loadCourse(lang).lessons.map((l) => ({
    id: l.id,
    url: l.url,
    label: l.frontmatter.nav ?? l.title,
    number: l.frontmatter.section === 'reference' ? '' : l.frontmatter.order ? String(l.frontmatter.order) : '·',
    section: l.frontmatter.section,
  }));
  return (
    <html lang={lang} suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        <a href="#content" className="skip-link">
          {ui.skipToContent}
        </a>
        <header className="site-header">
          <Link href={`/${lang}`} className="site-title">
            {ui.courseTitle}
          </Link>
          <SearchBox lang={lang} labels={{ search: ui.search, placeholder: ui.searchPlaceholder, noResults: ui.noResults }} />
          <nav aria-label={ui.tools} className="tool-links">
            <Link href={`/${lang}/dashboard`}>{ui.dashboard}</Link>
            <Link href={`/${lang}/token-inspector`}>{ui.tokenInspector}</Link>
          </nav>
          <div className="header-tools">
            <LanguageSwitch lang={lang} target={other} label={ui.switchLanguage} />
            <ThemeToggle label={ui.theme} />
          </div>
        </header>
        <div className="site-body">
          <LessonNav items={items} heading={ui.lessons} referenceHeading={ui.reference} readLabel={ui.read} />
          <main id="content" tabIndex={-1}>
            {children}
          </main>
        </div>
      </body>
    </html>
  );
}
