import type { RequestHandler } from 'express';
import type { LabContext } from '../protocol/lab-context.ts';
import { GRAPH_MESSAGES } from './graph-error.ts';
import { graphLocals } from './graph-locals.ts';
import { TokenRejected } from './verify-graph-token.ts';

/**
 * The graph-refuse-tokens fault: a token that passed every check is refused
 * all the same (401 InvalidAuthenticationToken), as Graph refuses a revoked
 * one. Runs once the token says which tenant and app call, so the fault can
 * be scoped to one app. Traced like any refused token: its claims, no user.
 */
export function refuseTokens(lab: LabContext): RequestHandler {
  return (_req, res, next) => {
    const locals = graphLocals(res);
    const { token } = locals;
    if (token && lab.faults.graphRefusesTokens(token.tenantId, token.clientId)) {
      locals.rejectedClaims = token.claims;
      delete locals.token;
      delete locals.user;
      throw new TokenRejected(GRAPH_MESSAGES.revoked, token.claims);
    }
    next();
  };
}
