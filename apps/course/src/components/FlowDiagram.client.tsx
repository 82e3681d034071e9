'use client';
import { loadMermaid } from './load-mermaid.ts';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { Lang } from '../content/languages.ts';
import type { FlowDefinition, FlowEvent } from '../flows/flow-model.ts';
import { mapEvents } from '../flows/map-events.ts';
import { FLOW_TEXT } from '../flows/text.ts';
import { toMermaid } from '../flows/to-mermaid.ts';
import { ArrowDetails } from './ArrowDetails.tsx';

const STATE_CLASSES = ['flow-arrow-lit', 'flow-arrow-failed', 'flow-arrow-waiting', 'flow-arrow-selected'];

function theme(): 'dark' | 'default' {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'default';
}

/**
 * A flow's sequence diagram whose arrows light up as events arrive (live, or
 * replayed from a check's recorded trace), with the same steps as a list
 * beside it for screen readers and keyboards. Choosing a step or an arrow
 * shows what the trace says happened there.
 */
export function FlowDiagram({ flow, events, finished, lang }: { flow: FlowDefinition; events: readonly FlowEvent[]; finished: boolean; lang: Lang }) {
  const t = FLOW_TEXT[lang];
  const id = `flow-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const canvas = useRef<HTMLDivElement>(null);
  const figure = useRef<HTMLElement>(null);
  const arrowsInSvg = useRef<Element[][]>([]);
  const litAt = useRef(new Map<string, { ms: number; source: FlowEvent['source'] }>());
  const [drawn, setDrawn] = useState<'waiting' | 'drawn' | 'failed'>('waiting');
  const [selected, setSelected] = useState<number | undefined>(undefined);
  const view = useMemo(() => mapEvents(flow, events, { finished }), [flow, events, finished]);
  const chart = useMemo(() => toMermaid(flow, lang), [flow, lang]);

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    let cancelled = false;
    void (async () => {
      try {
        const mermaid = await loadMermaid();
        mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: theme(), fontFamily: 'system-ui, sans-serif' });
        const { svg } = await mermaid.render(`${id}-svg`, chart);
        if (cancelled) return;
        element.innerHTML = svg;
        const root = element.querySelector('svg');
        root?.setAttribute('role', 'img');
        root?.setAttribute('aria-label', flow.title[lang]);
        const lines = [...element.querySelectorAll('[data-et="message"]')];
        const texts = [...element.querySelectorAll('text.messageText')];
        arrowsInSvg.current = flow.arrows.map((_, i) => [lines[i], texts[i]].filter((e): e is Element => Boolean(e)));
        arrowsInSvg.current.forEach((parts, i) =>
          parts.forEach((part) => {
            part.classList.add('flow-arrow');
            part.setAttribute('data-arrow', flow.arrows[i]?.id ?? '');
            part.addEventListener('click', () => setSelected(i));
          }),
        );
        setDrawn('drawn');
      } catch (error) {
        console.error('flow diagram', error);
        if (!cancelled) setDrawn('failed');
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [chart, flow, id, lang]);

  // Light the arrows: classes on the SVG's lines and labels, and (for the benchmark) when each first lit.
  useEffect(() => {
    view.arrows.forEach((arrow, i) => {
      for (const part of arrowsInSvg.current[i] ?? []) {
        part.classList.remove(...STATE_CLASSES);
        if (arrow.state === 'lit' || arrow.state === 'failed' || arrow.state === 'waiting') part.classList.add(`flow-arrow-${arrow.state}`);
        if (selected === i) part.classList.add('flow-arrow-selected');
        part.setAttribute('data-state', arrow.state);
      }
      const lighting = arrow.litBy;
      if (drawn === 'drawn' && arrow.state === 'lit' && lighting && !litAt.current.has(arrow.id)) litAt.current.set(arrow.id, { ms: Date.now() - Date.parse(lighting.time), source: lighting.source });
    });
    figure.current?.setAttribute('data-latencies', JSON.stringify(Object.fromEntries(litAt.current)));
  }, [view, selected, drawn]);

  const latest = view.latest ? flow.arrows.findIndex((a) => a.id === view.latest?.arrow) : -1;
  const latestArrow = flow.arrows[latest];
  const announcement =
    latestArrow && view.latest
      ? view.latest.state === 'lit'
        ? t.announceLit(latest + 1, latestArrow.label[lang])
        : view.latest.state === 'failed'
          ? t.announceFailed(latest + 1, latestArrow.label[lang])
          : t.announceWaiting(latest + 1, latestArrow.label[lang], latestArrow.waitingFor?.[lang] ?? '')
      : '';
  const chosen = selected === undefined ? undefined : flow.arrows[selected];
  const chosenView = selected === undefined ? undefined : view.arrows[selected];

  return (
    <figure className="flow" ref={figure} data-flow={flow.lab} data-lit-order={view.litOrder.join(' ')} data-finished={finished}>
      <figcaption className="sr-only">{flow.title[lang]}</figcaption>
      <div className="flow-canvas" data-state={drawn}>
        <div ref={canvas} />
        {drawn === 'waiting' ? <p className="muted">{t.loading}</p> : null}
        {drawn === 'failed' ? <p role="alert">{t.failedToDraw}</p> : null}
      </div>
      <div className="flow-steps">
        <h3>{t.steps}</h3>
        <p className="muted">{t.stepsHelp}</p>
        <ol aria-label={t.steps}>
          {flow.arrows.map((arrow, i) => {
            const state = view.arrows[i]?.state ?? 'idle';
            const note = state === 'waiting' ? arrow.waitingFor?.[lang] : state === 'skipped' ? arrow.optional?.[lang] : undefined;
            return (
              <li key={arrow.id} data-arrow={arrow.id} data-state={state}>
                <button type="button" aria-expanded={selected === i} aria-controls={`${id}-details`} onClick={() => setSelected(selected === i ? undefined : i)}>
                  {arrow.label[lang]} — <span className="step-state">{note ?? t.state[state]}</span>
                </button>
              </li>
            );
          })}
        </ol>
        <p className="sr-only" aria-live="polite" aria-atomic="true">
          {announcement}
        </p>
      </div>
      <div id={`${id}-details`}>{chosen && chosenView && selected !== undefined ? <ArrowDetails arrow={chosen} view={chosenView} index={selected} lang={lang} /> : null}</div>
    </figure>
  );
}
