import type { GradingIdp } from '@mcp-lab/harness';
import type { FlowEvent } from '../src/flows/flow-model.ts';

type TraceEvent = Awaited<ReturnType<GradingIdp['events']>>[number];

/** An IdP trace event as the diagrams read it (the trace never holds a token, so neither does this). */
export function fromTrace(event: TraceEvent): FlowEvent {
  const { id, type, time, summary, tenantId, clientId, http, grantType, user, scopes, claims, error, detail } = event;
  return {
    id: `idp:${id}`,
    source: 'idp',
    type,
    time,
    summary,
    ...(tenantId ? { tenantId } : {}),
    ...(clientId ? { clientId } : {}),
    ...(http ? { http } : {}),
    ...(grantType ? { grantType } : {}),
    ...(user ? { user } : {}),
    ...(scopes ? { scopes } : {}),
    ...(claims ? { claims } : {}),
    ...(error ? { error } : {}),
    ...(detail ? { detail } : {}),
  };
}

let counter = 0;

/** A step the runner itself took or saw (an MCP message, a prompt to the learner, a failure). */
export function runnerEvent(type: string, summary: string, extra: Partial<FlowEvent> = {}): FlowEvent {
  counter += 1;
  return { id: `run:${counter}`, source: 'runner', type, time: new Date().toISOString(), summary, ...extra };
}
