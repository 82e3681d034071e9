'use client';
import { loadMermaid } from './load-mermaid.ts';
import { useEffect, useId, useRef, useState } from 'react';

type State = 'waiting' | 'drawn' | 'failed';

function currentTheme(): 'dark' | 'default' {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'default';
}

/**
 * Draws a Mermaid chart in the browser. Mermaid (the npm package, never a
 * CDN) is imported only when the diagram comes near the viewport, so pages
 * without diagrams, and the first paint of pages with them, do not pay for it.
 * Redrawn when the reader switches between light and dark.
 */
export function DiagramView({ chart, title, labels }: { chart: string; title: string; labels: { loading: string; failed: string; enlarge: string; close: string } }) {
  const box = useRef<HTMLDivElement>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const large = useRef<HTMLDivElement>(null);
  const id = `mermaid-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const [state, setState] = useState<State>('waiting');
  const [enlarged, setEnlarged] = useState(false);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    let cancelled = false;
    let drawnTheme = '';
    const draw = async () => {
      const theme = currentTheme();
      if (theme === drawnTheme) return;
      drawnTheme = theme;
      try {
        const mermaid = await loadMermaid();
        mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme, fontFamily: 'system-ui, sans-serif' });
        const { svg } = await mermaid.render(`${id}-${theme}`, chart);
        if (cancelled) return;
        element.innerHTML = svg;
        const drawn = element.querySelector('svg');
        drawn?.setAttribute('role', 'img');
        drawn?.setAttribute('aria-label', title);
        setState('drawn');
      } catch (error) {
        console.error('diagram', error);
        if (!cancelled) setState('failed');
      }
    };
    const seen = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          seen.disconnect();
          void draw();
        }
      },
      { rootMargin: '400px' },
    );
    seen.observe(element);
    const themeWatch = new MutationObserver(() => {
      if (drawnTheme) void draw();
    });
    themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      cancelled = true;
      seen.disconnect();
      themeWatch.disconnect();
    };
  }, [chart, id, title]);

  // Enlarged: a copy of the drawing at its own width in a modal dialog (ids renamed: the page keeps its own copy).
  useEffect(() => {
    const target = large.current;
    const drawn = box.current?.querySelector('svg');
    if (!enlarged || !target || !drawn) return;
    const svgId = drawn.id;
    target.innerHTML = svgId ? drawn.outerHTML.replaceAll(svgId, `${svgId}-large`) : drawn.outerHTML;
    const copy = target.querySelector('svg');
    const natural = drawn.viewBox.baseVal.width;
    if (copy && natural) {
      copy.style.maxWidth = 'none';
      copy.setAttribute('width', String(Math.round(Math.max(natural, 900))));
    }
    dialog.current?.showModal();
    return () => {
      target.innerHTML = '';
    };
  }, [enlarged]);

  return (
    <div className="diagram-canvas" data-state={state}>
      <div ref={box} />
      {state === 'waiting' ? <p className="muted">{labels.loading}</p> : null}
      {state === 'failed' ? <p role="alert">{labels.failed}</p> : null}
      {state === 'drawn' ? (
        <button type="button" className="diagram-enlarge" onClick={() => setEnlarged(true)}>
          {labels.enlarge}
        </button>
      ) : null}
      <dialog ref={dialog} className="diagram-dialog" aria-label={title} onClose={() => setEnlarged(false)}>
        <form method="dialog">
          <button type="submit">{labels.close}</button>
        </form>
        {/* Scrolls when the drawing is wider than the screen: reachable by keyboard. */}
        <div ref={large} className="diagram-large" tabIndex={0} role="region" aria-label={title} />
      </dialog>
    </div>
  );
}
