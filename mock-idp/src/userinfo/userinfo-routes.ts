import express, { type Router } from 'express';
import { authenticate } from '../graph/authenticate.ts';
import { GraphError } from '../graph/graph-error.ts';
import { beginGraphRequest, graphLocals } from '../graph/graph-locals.ts';
import { answer, graphErrorHandler } from '../graph/respond.ts';
import { graphTokenVerifier } from '../graph/verify-graph-token.ts';
import { pairwiseSubject } from '../protocol/pairwise.ts';
import { usesPairwiseSubject } from '../protocol/client-metadata.ts';
import type { LabContext } from '../protocol/lab-context.ts';

/**
 * Entra's UserInfo endpoint, which its discovery documents name
 * (`https://graph.microsoft.com/oidc/userinfo`; here `/graph/oidc/userinfo`):
 * it is part of Microsoft Graph, so it takes a **Graph** access token
 * (one whose `scp` has `openid`), verified as Graph verifies them, and
 * answers the user's `sub` — the same value as in the ID token the client
 * got, which OpenID clients (openid-client's fetchUserInfo) compare — and
 * the profile claims the scopes allow.
 */
export function userinfoRoutes({ lab, baseUrl }: { lab: LabContext; baseUrl: () => string }): Router {
  const router = express.Router();
  const verify = graphTokenVerifier({
    publicKeys: () => lab.keys.publicKeys(),
    baseUrl,
    isTenant: (tenantId) => lab.directory.tenant(tenantId)?.id === tenantId,
  });

  router.all(
    '/',
    beginGraphRequest(),
    authenticate(verify, lab.directory), // 401 InvalidAuthenticationToken
    answer(lab.trace, (_req, res) => {
      const { token, user } = graphLocals(res);
      // An app-only token has no user; a token without `openid` was not asked for sign-in.
      if (!token || token.appOnly || !user) throw new GraphError(401, 'InvalidAuthenticationToken', 'UserInfo needs a delegated Microsoft Graph token of a signed-in user.');
      if (!token.scopes.includes('openid')) throw new GraphError(403, 'Authorization_RequestDenied', "Insufficient privileges: the token's scp lacks openid.");
      const client = token.clientId ? lab.directory.app(token.clientId) : undefined;
      const sub = client && usesPairwiseSubject(client) ? pairwiseSubject(user.id, client.appId) : user.id;
      const profile = token.scopes.includes('profile');
      return {
        sub,
        ...(profile ? { name: user.displayName, family_name: user.surname, given_name: user.givenName } : {}),
        ...(token.scopes.includes('email') || profile ? { email: user.mail } : {}),
      };
    }),
  );
  router.use(graphErrorHandler(lab.trace, baseUrl));
  return router;
}
