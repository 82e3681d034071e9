import { refuseTokens } from './refuse-tokens.ts';
import { throttle } from './throttle.ts';
import express, { type Router } from 'express';
import type { LabContext } from '../protocol/lab-context.ts';
import { authenticate } from './authenticate.ts';
import { graphCors } from './cors.ts';
import { READ_ANY_USER, READ_SIGNED_IN_USER, requireDelegated, requirePermission } from './authorize.ts';
import { GRAPH_MESSAGES, graphErrors } from './graph-error.ts';
import { beginGraphRequest } from './graph-locals.ts';
import { listMemberOf, readMe, readUser } from './handlers.ts';
import { listUsers } from './list-users.ts';
import { answer, graphErrorHandler } from './respond.ts';
import { graphTokenVerifier } from './verify-graph-token.ts';

export interface GraphDeps {
  lab: LabContext;
  /** `https://localhost:{port}`, known once the server listens. */
  baseUrl: () => string;
}

/**
 * A mock Microsoft Graph at `/graph/v1.0`, as a table: each operation lists,
 * top to bottom, the steps a request passes before the answer. Every call,
 * answered or refused, is one `graph` event in the trace.
 */
export function graphRoutes({ lab, baseUrl }: GraphDeps): Router {
  const router = express.Router();
  const graphBase = () => `${baseUrl()}/graph/v1.0`;
  const verify = graphTokenVerifier({
    // Read per request: a signing key rotation (a fault action) applies to Graph at once.
    publicKeys: () => lab.keys.publicKeys(),
    baseUrl,
    isTenant: (tenantId) => lab.directory.tenant(tenantId)?.id === tenantId,
  });

  // Who is calling: the token, verified in full (401 InvalidAuthenticationToken), then the faults
  // that need to know the tenant and app: refused tokens (401) and throttling (429 + Retry-After).
  const caller = [authenticate(verify, lab.directory), refuseTokens(lab), throttle(lab)];

  router.use(graphCors()); // browsers of any origin; preflights end here
  router.use(beginGraphRequest()); // request-id, client-request-id

  router.get(
    '/me',
    ...caller,
    requireDelegated(), //                             400 for an app-only token
    requirePermission(READ_SIGNED_IN_USER), //         403 without User.Read (or broader)
    answer(lab.trace, readMe(graphBase)), //           404 if the user is gone; 400 for a bad $select
  );

  router.get(
    '/me/memberOf',
    ...caller,
    requireDelegated(),
    requirePermission(READ_SIGNED_IN_USER),
    answer(lab.trace, listMemberOf(graphBase)), //     directory roles (Global Administrator for admins)
  );

  router.get(
    '/users',
    ...caller,
    requirePermission(READ_ANY_USER), //              403 without User.Read.All (app) or User.ReadBasic.All / User.Read.All
    answer(lab.trace, listUsers(graphBase, lab.directory)), // the token's tenant only
  );

  router.get(
    '/users/:id',
    ...caller,
    // Anyone in the tenant needs User.ReadBasic.All / User.Read.All (delegated) or User.Read.All (app);
    // the signed-in user by their own ID or UPN needs only User.Read.
    requirePermission(READ_ANY_USER, { self: { permission: READ_SIGNED_IN_USER, target: (req) => String(req.params.id ?? '') } }),
    answer(lab.trace, readUser(graphBase, lab.directory)), // 404 unknown; 400 another tenant's user
  );

  router.all(['/me', '/me/memberOf', '/users', '/users/:id'], () => {
    throw graphErrors.methodNotAllowed();
  });
  router.use((req) => {
    // Name the first segment Graph would not know: after `me`, or after `users/{id}`.
    const segments = req.path.split('/').filter(Boolean);
    const known = segments[0]?.toLowerCase() === 'me' ? 1 : segments[0]?.toLowerCase() === 'users' ? 2 : 0;
    throw graphErrors.badRequest(GRAPH_MESSAGES.unknownSegment(segments[known] ?? segments.at(-1) ?? ''));
  });
  router.use(graphErrorHandler(lab.trace, baseUrl));
  return router;
}
