'use client';
import { useSyncExternalStore } from 'react';

type Theme = 'dark' | 'light';

function subscribe(onChange: () => void): () => void {
  const watch = new MutationObserver(onChange);
  watch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => watch.disconnect();
}

const current = (): Theme => (document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');

/** Light/dark switch; the choice is kept in localStorage and applied as `<html data-theme>` (set before paint by THEME_SCRIPT). */
export function ThemeToggle({ label }: { label: string }) {
  const theme = useSyncExternalStore(subscribe, current, (): Theme => 'light');
  const toggle = () => {
    const next: Theme = theme === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem('course-theme', next);
    } catch {
      // private mode: the choice lasts for this page only
    }
  };
  return (
    <button type="button" className="toggle" aria-pressed={theme === 'dark'} onClick={toggle}>
      <span aria-hidden="true">{theme === 'dark' ? '☾' : '☀'}</span> {label}
    </button>
  );
}
