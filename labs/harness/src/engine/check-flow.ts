import { flowFor, fromExchange, fromTrace } from '../flows/index.ts';
import type { FlowEvent } from '../flows/flow-model.ts';
import type { Exchange } from '../mcp/recording-proxy.ts';
import type { LabIdp } from './lab-idp.ts';

/** Events kept per failed check: enough for a whole sign-in and a few retries; a report stays readable. */
const MAX_EVENTS = 80;
/** Bodies in a report: the start of an answer says what went wrong; the rest is noise. */
const BODY_LIMIT = 1_024;

/**
 * What a failed check exchanged, for report.html's sequence diagram: the IdP's
 * trace for the run's app since the check began, and (HTTP labs) the
 * recording proxy's exchanges with the server, secrets cut short. Only labs
 * with a flow diagram (flows/index.ts) record one. Never throws: a check's
 * result does not depend on its picture.
 */
export async function recordCheckFlow(lab: string, idp: LabIdp, since: number, clientId: string | undefined, exchanges: readonly Exchange[]): Promise<FlowEvent[] | undefined> {
  if (!flowFor(lab)) return undefined;
  try {
    const trace = clientId ? await idp.events(since, clientId) : [];
    const events = [...trace.filter((e) => e.type !== 'admin').map(fromTrace), ...exchanges.map((e) => fromExchange(e, { bodyLimit: BODY_LIMIT }))];
    events.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    return events.length > 0 ? events.slice(-MAX_EVENTS) : undefined;
  } catch {
    return undefined;
  }
}
