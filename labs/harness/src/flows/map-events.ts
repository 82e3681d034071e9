import type { ArrowState, EventMatch, FlowArrow, FlowDefinition, FlowEvent } from './flow-model.ts';

/** What one arrow shows after some events: its state, the events that made it so, and the problem if it failed. */
export interface ArrowView {
  id: string;
  state: ArrowState;
  events: FlowEvent[];
  problem?: { message: string; fix?: string; code?: string; command?: string };
  /** The event that first lit this arrow. */
  litBy?: FlowEvent;
}

export interface FlowView {
  arrows: ArrowView[];
  /** Arrow ids in the order they first lit up. */
  litOrder: string[];
  /** Events no arrow of this flow draws (kept for the details, never dropped silently). */
  unmatched: FlowEvent[];
  /** The arrow the newest matched event touched, and its state after it (what a screen reader hears). */
  latest?: { arrow: string; state: ArrowState };
}

export function eventMatches(match: EventMatch, event: FlowEvent): boolean {
  if (match.type !== event.type) return false;
  if (match.grant && event.grantType !== match.grant && !event.grantType?.endsWith(`:${match.grant}`)) return false;
  if (match.errors && !(event.error && match.errors.includes(event.error.error))) return false;
  if (match.method && event.http?.method !== match.method) return false;
  if (match.path && !event.http?.path.startsWith(match.path)) return false;
  if (match.status && event.http?.status !== match.status) return false;
  return true;
}

/**
 * The arrow an event belongs to. `waits` is tried before `lights` (a polling
 * answer is also a token event). When several arrows match, the first one
 * not lit yet wins (a flow reads top to bottom), else the last one (a step
 * done again, such as a second tool call).
 */
export function arrowFor(flow: FlowDefinition, event: FlowEvent, lit: ReadonlySet<string>): { arrow: FlowArrow; waits: boolean } | undefined {
  const stage = event.type === 'problem' ? (event.detail?.stage as keyof FlowDefinition['stages'] | undefined) : undefined;
  const named = event.arrow ?? (stage ? flow.stages[stage] : undefined);
  if (named) {
    const arrow = flow.arrows.find((a) => a.id === named);
    if (arrow) return { arrow, waits: false };
  }
  const candidates: { arrow: FlowArrow; waits: boolean }[] = [];
  for (const arrow of flow.arrows) {
    if (arrow.waits?.some((m) => eventMatches(m, event))) candidates.push({ arrow, waits: true });
    else if (arrow.lights.some((m) => eventMatches(m, event))) candidates.push({ arrow, waits: false });
  }
  return candidates.find((c) => !lit.has(c.arrow.id)) ?? candidates.at(-1);
}

function stateOf(arrow: FlowArrow, event: FlowEvent, waits: boolean): ArrowState {
  if (waits) return 'waiting';
  if (event.type === 'problem') return 'failed';
  if (event.error && !arrow.expectedErrors?.includes(event.error.error)) return 'failed';
  return 'lit';
}

/** A lit arrow stays lit while the flow waits again; anything else takes the newest state. */
function nextState(current: ArrowState, incoming: ArrowState): ArrowState {
  return current === 'lit' && incoming === 'waiting' ? 'lit' : incoming;
}

/**
 * Trace to arrows: which arrow each event lights, and so the state of every
 * arrow. Events are taken in the order of their `time` (same machine clock). Pure and incremental-safe (the same events always give the same
 * view), so the live page, the replay and the tests share it. When the
 * flow has `finished`, optional arrows that never lit are `skipped`.
 */
export function mapEvents(flow: FlowDefinition, events: readonly FlowEvent[], options: { finished?: boolean } = {}): FlowView {
  const views = new Map<string, ArrowView>(flow.arrows.map((a) => [a.id, { id: a.id, state: 'idle', events: [] }]));
  const lit = new Set<string>();
  const litOrder: string[] = [];
  const unmatched: FlowEvent[] = [];
  let latest: FlowView['latest'];
  // Events come from two streams (the IdP's trace, the runner's own), each a little late in its own way: take them in the order they happened.
  const inOrder = [...events].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  for (const event of inOrder) {
    const found = arrowFor(flow, event, lit);
    if (!found) {
      unmatched.push(event);
      continue;
    }
    const view = views.get(found.arrow.id)!;
    view.events.push(event);
    view.state = nextState(view.state, stateOf(found.arrow, event, found.waits));
    if (view.state === 'failed') {
      const message = event.error ? `${event.error.error}${event.error.description ? `: ${event.error.description}` : ''}` : event.summary;
      const code = typeof event.detail?.code === 'string' ? event.detail.code : undefined;
      const command = typeof event.detail?.command === 'string' ? event.detail.command : undefined;
      view.problem = { message, ...(event.fix ? { fix: event.fix } : {}), ...(code ? { code } : {}), ...(command ? { command } : {}) };
    } else if (view.state === 'lit') {
      delete view.problem;
      if (!lit.has(view.id)) {
        lit.add(view.id);
        litOrder.push(view.id);
        view.litBy = event;
      }
    }
    latest = { arrow: view.id, state: view.state };
  }
  if (options.finished) {
    for (const arrow of flow.arrows) {
      const view = views.get(arrow.id)!;
      if (arrow.optional && view.state === 'idle') view.state = 'skipped';
    }
  }
  return { arrows: flow.arrows.map((a) => views.get(a.id)!), litOrder, unmatched, ...(latest ? { latest } : {}) };
}
