import type { Lang } from '../content/languages.ts';
import type { FlowDefinition, FlowEvent } from './flow-model.ts';
import { mapEvents } from './map-events.ts';

const TEXT = {
  en: { all: 'Done: every step of the flow ran.', some: 'Done. Skipped:', notSeen: 'not seen in the trace' },
  nl: { all: 'Klaar: elke stap van de flow is doorlopen.', some: 'Klaar. Overgeslagen:', notSeen: 'niet gezien in de trace' },
} as const;

/**
 * The line under a finished live flow. "Every step ran" only when it did:
 * a step left out (consent given before, a sign-in the IdP remembered) is
 * named with the reason, so the page never says "done" beside a step that
 * still reads "not yet".
 */
export function doneMessage(flow: FlowDefinition, events: readonly FlowEvent[], lang: Lang): string {
  const t = TEXT[lang];
  const view = mapEvents(flow, events, { finished: true });
  const left = flow.arrows.flatMap((arrow, i) => {
    const state = view.arrows[i]?.state;
    if (state === 'skipped') return [`${arrow.label[lang]} (${arrow.optional?.[lang] ?? ''})`];
    if (state === 'idle') return [`${arrow.label[lang]} (${t.notSeen})`];
    return [];
  });
  return left.length === 0 ? t.all : `${t.some} ${left.join('; ')}.`;
}
