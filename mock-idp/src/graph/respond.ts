import type { ErrorRequestHandler, RequestHandler } from 'express';
import { GRAPH_APP_ID } from '../seed/microsoft-graph.ts';
import type { TraceBus } from '../trace/trace-bus.ts';
import { GraphError, graphErrorBody } from './graph-error.ts';
import { graphLocals } from './graph-locals.ts';
import { traceGraphCall } from './graph-trace.ts';
import type { GraphHandler } from './handlers.ts';

// What Graph sends with its JSON, so that OData-aware clients parse it as Graph's.
const ODATA_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/**
 * Graph's `WWW-Authenticate` (realm, where to sign in, which resource to ask
 * a token for), plus RFC 6750's `error="invalid_token"` when a token was sent
 * but refused. Never the token, and no error code when none was sent (RFC 6750 §3.1).
 */
function challenge(baseUrl: string, tokenPresented: boolean, message: string): string {
  const parts = ['realm=""', `authorization_uri="${baseUrl}/common/oauth2/v2.0/authorize"`, `client_id="${GRAPH_APP_ID}"`];
  if (tokenPresented) parts.push('error="invalid_token"', `error_description="${message.replace(/["\\]/g, '')}"`);
  return `Bearer ${parts.join(', ')}`;
}

/** Sends what a handler returns as Graph's 200, and traces it. */
export function answer(bus: TraceBus, handler: GraphHandler): RequestHandler {
  return (req, res) => {
    const body = handler(req, res);
    traceGraphCall(bus, req, graphLocals(res), 200);
    res.status(200).set({ 'Content-Type': ODATA_JSON, 'OData-Version': '4.0', 'Cache-Control': 'no-store' }).send(JSON.stringify(body));
  };
}

/** The router's error handler: Graph's error body for a GraphError, traced; anything else goes on to the app's 500. */
export function graphErrorHandler(bus: TraceBus, baseUrl: () => string): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (!(error instanceof GraphError)) return next(error);
    const locals = graphLocals(res);
    traceGraphCall(bus, req, locals, error.status, error);
    res.status(error.status).set({ ...error.headers, 'Cache-Control': 'no-store' });
    if (error.status === 401) res.set('WWW-Authenticate', challenge(baseUrl(), locals.tokenFingerprint !== undefined, error.message));
    res.json(graphErrorBody(error, locals));
  };
}
