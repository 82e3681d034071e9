'use client';
import { useEffect, useState } from 'react';
import type { Lang } from '../content/languages.ts';
import type { FlowDefinition, FlowEvent } from '../flows/flow-model.ts';
import { FlowDiagram } from './FlowDiagram.client.tsx';

/** How long each recorded event waits before the next, so the arrows light one after another. */
const STEP_MS = 350;

/** A check's recorded flow played back on the diagram, one event at a time. */
export function FlowReplay({ flow, events, lang }: { flow: FlowDefinition; events: readonly FlowEvent[]; lang: Lang }) {
  const [shown, setShown] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => {
      setShown((n) => {
        if (n >= events.length) clearInterval(timer);
        return Math.min(n + 1, events.length);
      });
    }, STEP_MS);
    return () => clearInterval(timer);
  }, [events]);
  // Never "finished": a check's trace is part of a flow, so steps it did not reach stay "not yet" rather than "skipped".
  return <FlowDiagram flow={flow} events={events.slice(0, shown)} finished={false} lang={lang} />;
}
