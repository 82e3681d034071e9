import type { RequestHandler } from 'express';
import { EntraError } from '../errors/entra-error.ts';
import type { LabContext } from '../protocol/lab-context.ts';
import { internalClientSecret } from '../protocol/client-metadata.ts';
import { isPublicPlatform, matchRedirectUri } from '../protocol/redirect-uris.ts';
import { basicCredentials } from './find-client.ts';
import { entraLocals } from './entra-locals.ts';
import { JWT_BEARER_ASSERTION, verifyClientAssertion } from './verify-client-assertion.ts';

/** Grants a public client (no secret) may use, as Entra allows them. */
const PUBLIC_GRANTS = new Set(['authorization_code', 'refresh_token', 'device_code', 'urn:ietf:params:oauth:grant-type:device_code', 'password']);

/**
 * Verifies a client assertion (certificate or federated token), or against its keyed hash (AADSTS7000215 wrong,
 * 7000222 expired), then gives oidc-provider the app's in-process secret
 * instead, so the real secret never goes further than this step. Without a
 * secret the request is a public client's, which Entra allows only from a
 * public-client platform or with "Allow public client flows" (else 7000218).
 */
export function authenticateClient(lab: LabContext, baseUrl: () => string): RequestHandler {
  return async (req, res, next) => {
    const locals = entraLocals(res);
    const { params } = locals;
    const app = locals.app;
    if (!app) throw new Error('authenticate_client runs after find_client');

    // A certificate's signed assertion, or a federated token (verify-client-assertion.ts); then,
    // as for a secret, oidc-provider gets the in-process secret and never sees the assertion.
    const assertion = params.get('client_assertion');
    if (assertion) {
      if (params.get('client_assertion_type') !== JWT_BEARER_ASSERTION) {
        throw new EntraError(9002313, { detail: `client_assertion_type must be ${JWT_BEARER_ASSERTION}.` });
      }
      await verifyClientAssertion({ lab, app, tenant: locals.tenant, baseUrl: baseUrl(), tenantSegment: String(req.params.tenant ?? '') }, assertion);
      params.delete('client_assertion');
      params.delete('client_assertion_type');
      params.set('client_secret', internalClientSecret(lab.pepper, app.appId));
      locals.clientAuth = 'assertion';
      return next();
    }

    const basic = basicCredentials(req);
    const secret = params.get('client_secret') ?? basic?.secret;
    if (secret !== undefined && secret !== '') {
      const verdict = lab.directory.verifySecret(app.appId, secret);
      if (verdict.result === 'invalid') throw new EntraError(7000215, { clientId: app.appId });
      if (verdict.result === 'expired') throw new EntraError(7000222, { clientId: app.appId });
      const internal = internalClientSecret(lab.pepper, app.appId);
      if (params.has('client_secret')) params.set('client_secret', internal);
      else req.headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(app.appId)}:${encodeURIComponent(internal)}`).toString('base64')}`;
      locals.clientAuth = 'secret';
      return next();
    }

    const grantType = params.get('grant_type') ?? '';
    const redirectUri = params.get('redirect_uri');
    const platform = redirectUri ? matchRedirectUri(app, redirectUri) : undefined;
    const hasPublicPlatform = app.publicClient.redirectUris.length > 0 || app.spa.redirectUris.length > 0;
    const publicAllowed =
      PUBLIC_GRANTS.has(grantType) &&
      (app.isFallbackPublicClient ||
        (platform !== undefined && isPublicPlatform(platform)) ||
        (grantType === 'refresh_token' && hasPublicPlatform));
    if (!publicAllowed) throw new EntraError(7000218, { clientId: app.appId });
    locals.clientAuth = 'public';
    next();
  };
}
