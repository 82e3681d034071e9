'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useState } from 'react';
import { fetchProgress, PROGRESS_EVENT, type ProgressView } from './progress-client.ts';

export interface NavItem {
  id: string;
  url: string;
  label: string;
  number: string;
  /** `reference` pages (glossary, troubleshooting, instructor guide) get their own list under the lessons. */
  section?: 'course' | 'reference';
}

/** The lesson list with a mark per lesson read (from `.lab/progress.json`, so the CLI and the site agree). */
export function LessonNav({ items, heading, referenceHeading, readLabel }: { items: NavItem[]; heading: string; referenceHeading: string; readLabel: string }) {
  const pathname = usePathname();
  const [read, setRead] = useState<Set<string>>(new Set());
  useEffect(() => {
    const apply = (p: ProgressView) => setRead(new Set(Object.entries(p.lessons).filter(([, v]) => v.read).map(([k]) => k)));
    fetchProgress().then(apply, () => undefined);
    const onChange = (event: Event) => apply((event as CustomEvent<ProgressView>).detail);
    window.addEventListener(PROGRESS_EVENT, onChange);
    return () => window.removeEventListener(PROGRESS_EVENT, onChange);
  }, []);
  // The start page is `/<lang>`: a prefix of every page, so it is current only on itself.
  const isCurrent = (item: NavItem) => pathname === item.url || (item.url.split('/').length > 2 && pathname.startsWith(`${item.url}/`));
  const list = (shown: NavItem[]) => (
    <ol>
      {shown.map((item) => (
        <li key={item.id} data-read={read.has(item.id) || undefined}>
          <Link href={item.url} aria-current={isCurrent(item) ? 'page' : undefined}>
            <span className="nav-number" aria-hidden="true">{item.number}</span>
            <span>{item.label}</span>
            {read.has(item.id) ? <span className="nav-read"> <span aria-hidden="true">✓</span><span className="sr-only">({readLabel})</span></span> : null}
          </Link>
        </li>
      ))}
    </ol>
  );
  const reference = items.filter((i) => i.section === 'reference');
  return (
    <nav aria-label={heading} className="lesson-nav">
      <h2 className="nav-heading">{heading}</h2>
      {list(items.filter((i) => i.section !== 'reference'))}
      {reference.length ? (
        <>
          <h2 className="nav-heading">{referenceHeading}</h2>
          {list(reference)}
        </>
      ) : null}
    </nav>
  );
}
