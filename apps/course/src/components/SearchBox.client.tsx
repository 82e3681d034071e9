'use client';
import Link from 'next/link';
import { useId, useRef, useState } from 'react';
import { search, type SearchHit, type SearchIndex } from './search-index.ts';

/** Search over the lessons of one language: the index is fetched on first use, then searched locally. */
export function SearchBox({ lang, labels }: { lang: string; labels: { search: string; placeholder: string; noResults: string } }) {
  const inputId = useId();
  const index = useRef<Promise<SearchIndex> | undefined>(undefined);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const load = () => {
    index.current ??= fetch(`/search/${lang}`).then((r) => r.json() as Promise<SearchIndex>);
    return index.current;
  };
  const onChange = (value: string) => {
    setQuery(value);
    load().then((i) => setHits(search(i, value)), () => setHits([]));
  };
  return (
    <search className="search">
      <label htmlFor={inputId} className="sr-only">
        {labels.search}
      </label>
      <input id={inputId} type="search" placeholder={labels.placeholder} value={query} onFocus={() => void load()} onChange={(e) => onChange(e.target.value)} autoComplete="off" />
      {query.trim().length > 1 ? (
        <div className="search-results" role="region" aria-label={labels.search}>
          {hits.length ? (
            <ul>
              {hits.map((hit) => (
                <li key={hit.href}>
                  <Link href={hit.href} onClick={() => setQuery('')}>
                    <strong>{hit.title}</strong>
                    {hit.heading ? <> › {hit.heading}</> : null}
                  </Link>
                  <p>{hit.snippet}</p>
                </li>
              ))}
            </ul>
          ) : (
            <p>{labels.noResults}</p>
          )}
        </div>
      ) : null}
    </search>
  );
}
