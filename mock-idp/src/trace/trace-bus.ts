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
  /** Where the oldest event is in #history once the ring is full. */
  #oldest = 0;
  #nextId = 1;

  constructor(capacity = 5000) {
    this.#capacity = capacity;
  }

  emit(event: NewTraceEvent): TraceEvent {
    const full: TraceEvent = { id: this.#nextId++, time: new Date().toISOString(), ...event };
    // A ring: once full, the newest event takes the oldest one's slot (shifting
    // a full history by one on every event was a measurable share of a token's CPU).
    if (this.#history.length < this.#capacity) this.#history.push(full);
    else {
      this.#history[this.#oldest] = full;
      this.#oldest = (this.#oldest + 1) % this.#capacity;
    }
    for (const listener of this.#listeners) listener(full);
    return full;
  }

  /** The kept events that match, oldest first. */
  history(filter: TraceFilter = {}): TraceEvent[] {
    const ordered = this.#oldest === 0 ? this.#history : [...this.#history.slice(this.#oldest), ...this.#history.slice(0, this.#oldest)];
    return ordered.filter((e) => matches(e, filter));
  }

  subscribe(listener: (event: TraceEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.#listeners.size;
  }
}
