import type { RequestHandler } from 'express';
import type { Directory } from '../store/directory.ts';
import { fingerprint } from '../trace/fingerprint.ts';
import { GRAPH_MESSAGES, graphErrors } from './graph-error.ts';
import { graphLocals } from './graph-locals.ts';
import { TokenRejected, type VerifiedGraphToken } from './verify-graph-token.ts';

// RFC 6750 §2.1: the scheme is case-insensitive; the token is one b64token.
const BEARER = /^Bearer +([\w.~+/-]+=*) *$/i;

/**
 * authenticate: `Authorization: Bearer <access token>`, verified in full
 * (verify-graph-token.ts), else 401 InvalidAuthenticationToken. For a
 * delegated token, the signed-in user is looked up in the token's tenant.
 */
export function authenticate(verify: (token: string) => Promise<VerifiedGraphToken>, directory: Directory): RequestHandler {
  return async (req, res, next) => {
    const locals = graphLocals(res);
    const header = req.get('authorization') ?? '';
    const token = BEARER.exec(header)?.[1];
    if (!token) {
      // A Bearer header with something unreadable is a malformed token (traced by its fingerprint); none at all is an empty one.
      const presented = /^Bearer +(\S.*)$/i.exec(header)?.[1];
      if (presented === undefined) throw graphErrors.invalidToken(GRAPH_MESSAGES.emptyToken);
      locals.tokenFingerprint = fingerprint(presented);
      throw graphErrors.invalidToken(GRAPH_MESSAGES.malformedToken);
    }
    locals.tokenFingerprint = fingerprint(token);
    try {
      locals.token = await verify(token);
    } catch (error) {
      if (error instanceof TokenRejected && error.claims) locals.rejectedClaims = error.claims;
      throw error;
    }
    if (!locals.token.appOnly) {
      const user = directory.user(locals.token.objectId);
      if (user?.tenantId === locals.token.tenantId) locals.user = user;
    }
    next();
  };
}
