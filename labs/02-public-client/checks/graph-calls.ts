import type { CheckContext } from '@mcp-lab/harness';
import type { TraceEvent } from '@mcp-lab/mock-idp';
import { sleep } from './sign-in.ts';

/** What the mock Graph saw of this check's app, from the IdP's trace (every call is one `graph` event). */

export function graphCalls(events: readonly TraceEvent[]): TraceEvent[] {
  return events.filter((e) => e.type === 'graph');
}

/** Fingerprints of the access tokens Graph refused with 401. */
export function refusedTokens(events: readonly TraceEvent[]): Set<string> {
  return new Set(
    graphCalls(events)
      .filter((e) => e.http?.status === 401)
      .flatMap((e) => (e.fingerprints?.accessToken ? [e.fingerprints.accessToken] : [])),
  );
}

/** The trace of this check's app from here on: a mark to read later with `since()`. */
export async function traceMark(ctx: CheckContext): Promise<{ since: () => Promise<TraceEvent[]> }> {
  const id = await ctx.idp.lastEventId();
  return { since: () => ctx.idp.events(id, ctx.env.CLIENT_ID) };
}

/** Waits until every access token the IdP has issued to this check's app so far is past its `exp`. */
export async function untilIssuedTokensExpire(ctx: CheckContext): Promise<void> {
  const expiries = (await ctx.trace(ctx.env.CLIENT_ID)).flatMap((e) => (e.type === 'token' && typeof e.claims?.exp === 'number' ? [e.claims.exp * 1000] : []));
  const last = Math.max(0, ...expiries);
  // A little past the second boundary: exp is in whole seconds.
  const wait = last + 50 - Date.now();
  if (wait > 0) await sleep(wait);
}

/** Graph calls that presented a token already expired at `when` (ms since the epoch). */
export function expiredAt(events: readonly TraceEvent[], when: number): { exp: number; fingerprint: string }[] {
  return graphCalls(events).flatMap((e) => {
    const exp = e.claims?.exp;
    return typeof exp === 'number' && exp * 1000 <= when ? [{ exp, fingerprint: e.fingerprints?.accessToken ?? '?' }] : [];
  });
}
