import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { User } from '../directory/types.ts';
import type { VerifiedGraphToken } from './verify-graph-token.ts';

/** What the Graph steps learn about a request, step by step (kept in `res.locals.graph`). */
export interface GraphLocals {
  /** Graph's `request-id`: new for every request. */
  requestId: string;
  /** The caller's `client-request-id` (the Graph SDK sends one), else the request ID. */
  clientRequestId: string;
  /** Fingerprint of the presented access token, for the trace (never the token). */
  tokenFingerprint?: string;
  token?: VerifiedGraphToken;
  /** The signed-in user of a delegated token. */
  user?: User;
  /** Claims of a refused token whose signature held (expired, wrong audience…), for the trace. */
  rejectedClaims?: Record<string, unknown>;
}

// Echoed in a response header: only what is safe to write back.
const CLIENT_REQUEST_ID = /^[\w.:-]{1,100}$/;

export function graphLocals(res: Response): GraphLocals {
  const locals = res.locals.graph as GraphLocals | undefined;
  if (!locals) throw new Error('Graph steps ran before begin_graph_request');
  return locals;
}

/** The first step: request IDs, echoed in every answer as Graph does. */
export function beginGraphRequest(): RequestHandler {
  return (req: Request, res, next) => {
    const requestId = randomUUID();
    const presented = req.get('client-request-id');
    const locals: GraphLocals = { requestId, clientRequestId: presented && CLIENT_REQUEST_ID.test(presented) ? presented : requestId };
    res.locals.graph = locals;
    res.set({ 'request-id': locals.requestId, 'client-request-id': locals.clientRequestId });
    next();
  };
}
