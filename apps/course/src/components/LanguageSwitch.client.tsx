'use client';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import type { MouseEvent } from 'react';
import type { SearchIndex } from './search-index.ts';

/** Index of the section the reader is in: the last h2/h3 of the lesson above the top of the window. */
function currentSectionIndex(): number {
  const headings = [...document.querySelectorAll('main article h2[id], main article h3[id]')];
  let index = -1;
  headings.forEach((h, i) => {
    if (h.getBoundingClientRect().top < 120) index = i;
  });
  return index;
}

/**
 * Goes to the same page in the other language, and to the same section:
 * lessons have the same structure in every language (the tests check it), so
 * the n-th heading here is the n-th heading there.
 */
export function LanguageSwitch({ lang, target, label }: { lang: string; target: string; label: string }) {
  const pathname = usePathname();
  const router = useRouter();
  const rest = pathname.split('/').slice(2);
  const href = `/${[target, ...rest].join('/')}`;
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    const index = currentSectionIndex();
    if (index < 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    fetch(`/search/${target}`)
      .then((r) => r.json() as Promise<SearchIndex>)
      .then((other) => {
        const page = other.pages.find((p) => p.url === href);
        const section = page?.sections.filter((s) => s.id)[index];
        router.push(section ? `${href}#${section.id}` : href);
      })
      .catch(() => router.push(href));
  };
  return (
    <Link href={href} hrefLang={target} lang={target} onClick={onClick} className="language-switch" data-from={lang}>
      {label}
    </Link>
  );
}
