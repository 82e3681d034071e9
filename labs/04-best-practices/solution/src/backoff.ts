/**
 * Calling Microsoft Graph politely: on 429 (and 503, which Graph sends under
 * load too) wait as long as `Retry-After` says — or, without it, an
 * exponentially growing delay — plus random jitter, so that many throttled
 * callers do not all come back in the same instant. Attempts and total
 * waiting are bounded: past either bound the caller gets `Throttled`, and
 * the tool tells the MCP client to try again later instead of hanging.
 */
import { setTimeout as sleep } from 'node:timers/promises';

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
  let waited = 0;
  for (let n = 1; ; n++) {
    const response = await attempt();
    if (response.status !== 429 && response.status !== 503) return response;
    const advised = retryAfterMs(response.headers.get('retry-after'));
    // Retry-After is the floor: Graph said not before then. Without it, 0.5 s, 1 s, 2 s…
    const delay = (advised ?? RETRY.baseMs * 2 ** (n - 1)) + Math.random() * RETRY.jitterMs;
    await response.body?.cancel();
    if (n >= RETRY.maxAttempts || waited + delay > RETRY.maxTotalMs) throw new Throttled(n, Math.ceil((advised ?? delay) / 1000));
    await sleep(delay);
    waited += delay;
  }
}
