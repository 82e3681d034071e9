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
}

/** The lesson list with a mark per lesson read (from `.lab/progress.json`, so the CLI and the site agree). */
export function LessonNav({ items, heading, readLabel }: { items: NavItem[]; heading: string; readLabel: string }) {
  const pathname = usePathname();
  const [read, setRead] = useState<Set<string>>(new Set());
  useEffect(() => {
    const apply = (p: ProgressView) => setRead(new Set(Object.entries(p.lessons).filter(([, v]) => v.read).map(([k]) => k)));
    fetchProgress().then(apply, () => undefined);
    const onChange = (event: Event) => apply((event as CustomEvent<ProgressView>).detail);
    window.addEventListener(PROGRESS_EVENT, onChange);
    return () => window.removeEventListener(PROGRESS_EVENT, onChange);
  }, []);
  return (
    <nav aria-label={heading} className="lesson-nav">
      <h2 className="nav-heading">{heading}</h2>
      <ol>
        {items.map((item) => {
          const current = pathname === item.url || pathname.startsWith(`${item.url}/`);
          return (
            <li key={item.id} data-read={read.has(item.id) || undefined}>
              <Link href={item.url} aria-current={current ? 'page' : undefined}>
                <span className="nav-number" aria-hidden="true">{item.number}</span>
                <span>{item.label}</span>
                {read.has(item.id) ? <span className="nav-read"> <span aria-hidden="true">✓</span><span className="sr-only">({readLabel})</span></span> : null}
              </Link>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
