import type { NewTraceEvent, TraceEvent } from './trace-event.ts';

export interface TraceFilter {
  since?: number;
  clientId?: string;
  correlationId?: string;
  tenantId?: string;
}

export function matches(event: TraceEvent, filter: TraceFilter): boolean {
  if (filter.since !== undefined && event.id <= filter.since) return false;
  if (filter.clientId && event.clientId?.toLowerCase() !== filter.clientId.toLowerCase()) return false;
  if (filter.correlationId && event.correlationId !== filter.correlationId) return false;
  if (filter.tenantId && event.tenantId !== filter.tenantId) return false;
  return true;
}

/**
 * The IdP's trace: an in-memory history (bounded) and live subscribers.
 * Subscribers are called synchronously in emit order; a slow subscriber
 * (an SSE connection) buffers on its own socket, not here.
 */
export class TraceBus {
  readonly #history: TraceEvent[] = [];
  readonly #listeners = new Set<(event: TraceEvent) => void>();
  readonly #capacity: number;
  #nextId = 1;

  constructor(capacity = 5000) {
    this.#capacity = capacity;
  }

  emit(event: NewTraceEvent): TraceEvent {
    const full: TraceEvent = { id: this.#nextId++, time: new Date().toISOString(), ...event };
    this.#history.push(full);
    if (this.#history.length > this.#capacity) this.#history.splice(0, this.#history.length - this.#capacity);
    for (const listener of this.#listeners) listener(full);
    return full;
  }

  history(filter: TraceFilter = {}): TraceEvent[] {
    return this.#history.filter((e) => matches(e, filter));
  }

  subscribe(listener: (event: TraceEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.#listeners.size;
  }
}
