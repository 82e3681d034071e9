import type { Request } from 'express';
import type { TraceBus } from '../trace/trace-bus.ts';
import type { NewTraceEvent } from '../trace/trace-event.ts';
import type { GraphError } from './graph-error.ts';
import type { GraphLocals } from './graph-locals.ts';

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/**
 * One `graph` event per call, emitted just before the answer is sent (so a
 * client that reads `/_lab/events` right after its call finds it): who
 * called, as whom, with which permissions, what Graph answered. The token
 * appears only as its fingerprint; its claims only when its signature held.
 */
export function traceGraphCall(bus: TraceBus, req: Request, locals: GraphLocals, status: number, error?: GraphError): void {
  const { token, user } = locals;
  const claims = token?.claims ?? locals.rejectedClaims;
  const tenantId = token?.tenantId ?? str(claims?.tid);
  // v2.0 tokens name the client in azp, v1.0 tokens (Graph's) in appid.
  const clientId = token?.clientId ?? str(claims?.azp) ?? str(claims?.appid);
  const path = req.originalUrl.split('?')[0] ?? '';
  const who = user ? ` for ${user.userPrincipalName}` : token?.appOnly && clientId ? ` for app ${clientId}` : '';
  const event: NewTraceEvent = {
    type: 'graph',
    summary: error ? `Graph ${req.method} ${path} refused: ${status} ${error.code} (${error.message})` : `Graph ${req.method} ${path} → ${status}${who}`,
    correlationId: locals.clientRequestId,
    http: { method: req.method, path, status },
    detail: { requestId: locals.requestId, ...(token ? { tokenKind: token.appOnly ? 'app' : 'delegated' } : {}) },
    ...(tenantId ? { tenantId } : {}),
    ...(clientId ? { clientId } : {}),
    ...(user ? { user: { oid: user.id, username: user.userPrincipalName } } : {}),
    // Delegated tokens carry scopes; app-only tokens carry application permissions in `roles`.
    ...(token ? { scopes: token.appOnly ? token.roles : token.scopes } : {}),
    ...(locals.tokenFingerprint ? { fingerprints: { accessToken: locals.tokenFingerprint } } : {}),
    ...(claims ? { claims: { ...claims } } : {}),
    ...(error ? { error: { error: error.code, description: error.message } } : {}),
  };
  bus.emit(event);
}
