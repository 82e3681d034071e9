'use client';
import { useRef, useState, type ReactNode } from 'react';

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) return navigator.clipboard.writeText(text);
  // Pages served over plain http on another host have no Clipboard API.
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}

/** A code block with a copy button; the button says what happened, for screen readers too. */
export function CodeBlock({ children, language, labels }: { children: ReactNode; language?: string; labels: { copy: string; copied: string; failed: string } }) {
  const pre = useRef<HTMLPreElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = () => {
    copyText(pre.current?.textContent?.replace(/\n$/, '') ?? '').then(
      () => setState('copied'),
      () => setState('failed'),
    );
    setTimeout(() => setState('idle'), 2500);
  };
  return (
    <div className="code-block">
      {language ? <span className="code-language">{language}</span> : null}
      <button type="button" className="copy" onClick={copy}>
        {state === 'copied' ? labels.copied : labels.copy}
      </button>
      <span className="sr-only" role="status">
        {state === 'copied' ? labels.copied : state === 'failed' ? labels.failed : ''}
      </span>
      {/* Focusable so keyboard users can scroll long lines. */}
      <pre ref={pre} tabIndex={0}>
        {children}
      </pre>
    </div>
  );
}
