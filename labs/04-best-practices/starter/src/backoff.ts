/**
 * Calling Microsoft Graph politely: on 429 (and 503, which Graph sends under
 * load too) wait as long as `Retry-After` says — or, without it, an
 * exponentially growing delay — plus random jitter, so that many throttled
 * callers do not all come back in the same instant. Attempts and total
 * waiting are bounded: past either bound the caller gets `Throttled`, and
 * the tool tells the MCP client to try again later instead of hanging.
 */

export const RETRY = {
  /** Attempts in all, the first included. */
  maxAttempts: 3,
  /** Never wait longer than this in all; a Retry-After that would pass it ends the retries at once. */
  maxTotalMs: 20_000,
  baseMs: 500,
  /** Up to this much is added at random to each delay. */
  jitterMs: 250,
} as const;

/** Graph kept throttling past the bounds; `retryAfterSeconds` is its last advice. */
export class Throttled extends Error {
  readonly retryAfterSeconds: number;
  constructor(attempts: number, retryAfterSeconds: number) {
    super(`Microsoft Graph is throttling this app (still after ${attempts} attempts)`);
    this.name = 'Throttled';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Retry-After in milliseconds: seconds, or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Calls `attempt` until it answers something other than 429/503, within the bounds above. */
export async function withBackoff(attempt: () => Promise<Response>): Promise<Response> {
  // TODO(backoff): on 429 or 503, wait at least retryAfterMs(…) of the answer's Retry-After (without one:
  // RETRY.baseMs doubling per attempt), plus Math.random() * RETRY.jitterMs, and try again. Stop after
  // RETRY.maxAttempts attempts or once the waits would pass RETRY.maxTotalMs: throw new Throttled(…).
  return await attempt();
}
