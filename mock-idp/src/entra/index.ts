import express, { type Router } from 'express';
import type Provider from 'oidc-provider';
import type { LabContext } from '../protocol/lab-context.ts';
import { authenticateClient } from './authenticate-client.ts';
import { checkRedirectUri } from './check-redirect-uri.ts';
import { applyRefreshFaults } from './apply-refresh-faults.ts';
import { commonEndpoints } from './common-endpoints.ts';
import { requirePublicClientFlows, rewriteDeviceCodeGrant } from './device-code-steps.ts';
import { findClient } from './find-client.ts';
import { forwardToProvider } from './forward-to-provider.ts';
import { handleEntraErrors } from './handle-errors.ts';
import { requestOfflineAccess } from './request-offline-access.ts';
import { requireTenant, resolveTenant } from './resolve-tenant.ts';
import { resolveAuthorizeScopes, resolveTokenScopes } from './resolve-scopes.ts';
import { refreshForAnyResource } from './refresh-for-any-resource.ts';
import { signingKeys } from './signing-keys.ts';
import { verifyUserPassword } from './verify-user-password.ts';
import { refuseV1Protocol } from './refuse-v1-protocol.ts';
import { v1Metadata } from './v1-metadata.ts';

/**
 * Entra ID's v2.0 endpoints, as a table: each endpoint lists, top to bottom,
 * the small steps that make a generic OpenID provider answer like Entra,
 * before oidc-provider (one per tenant) does the protocol work.
 */
export function entraEndpoints(lab: LabContext, providerFor: (tenantId: string) => Provider, baseUrl: () => string): Router {
  const router = express.Router();
  router.use(commonEndpoints(lab, baseUrl)); // /common, /organizations: 50194 for single-tenant apps
  const form = express.urlencoded({ extended: false, limit: '56kb' });
  const provider = forwardToProvider(providerFor);

  // v1.0 metadata: the issuer v1.0 access tokens carry (see protocol/token-version.ts).
  router.get('/:tenant/.well-known/openid-configuration', resolveTenant(lab), v1Metadata(baseUrl, lab.trace));
  router.get('/common/discovery/keys', signingKeys(lab, baseUrl, { withIssuer: false }));
  router.get('/:tenant/discovery/keys', requireTenant(lab), signingKeys(lab, baseUrl, { withIssuer: false }));
  router.get('/:tenant/discovery/v2.0/keys', requireTenant(lab), signingKeys(lab, baseUrl, { withIssuer: true }));
  // The v1.0 protocol endpoints: not simulated; the error names the v2.0 endpoint.
  router.all(['/:tenant/oauth2/token', '/:tenant/oauth2/authorize', '/:tenant/oauth2/devicecode'], requireTenant(lab), refuseV1Protocol());

  router.get(
    '/:tenant/v2.0/.well-known/openid-configuration',
    resolveTenant(lab),
    forwardToProvider(providerFor, { path: '/.well-known/openid-configuration' }),
  );

  router.all(
    '/:tenant/oauth2/v2.0/authorize',
    form,
    resolveTenant(lab), //       90002 unknown tenant
    findClient(lab), //          700016 unknown app
    checkRedirectUri(), //       50011 unregistered redirect URI (page, never a redirect)
    resolveAuthorizeScopes(lab), // 70011 / 500011; Entra scopes → resource indicators
    requestOfflineAccess(), //   refresh tokens as Entra issues them
    provider,
  );

  router.post(
    '/:tenant/oauth2/v2.0/devicecode',
    form,
    resolveTenant(lab), //       90002
    findClient(lab), //          700016
    requirePublicClientFlows(), // 7000218 unless "Allow public client flows"
    resolveAuthorizeScopes(lab), // 70011 / 500011
    requestOfflineAccess(),
    provider, //                 + interval and message (protocol/koa-steps.ts)
  );

  router.post(
    '/:tenant/oauth2/v2.0/token',
    form,
    resolveTenant(lab), //       90002
    findClient(lab), //          700016
    rewriteDeviceCodeGrant(), // MSAL's grant_type=device_code → the RFC 8628 URN
    authenticateClient(lab, baseUrl), // 7000215 / 7000222 / 7000218; assertions 700027 / 700021 / 700023 / 700024, federated 700211 / 70021 / 700212
    verifyUserPassword(lab), //  ROPC: 50126 / 50034 / 50057 / 50020
    resolveTokenScopes(lab), //  28000 / 1002012 / 70011
    applyRefreshFaults(lab), //  the fail-next-refresh fault (70008)
    refreshForAnyResource(lab, providerFor), // 65001; one refresh token, every consented API
    provider, //                 54005 / 501481 / 70008 … mapped in protocol/koa-steps.ts
  );

  // Keys, logout and the authorize resume step: oidc-provider as it is.
  router.all('/:tenant/*rest', requireTenant(lab), provider);

  router.use(handleEntraErrors(lab.trace));
  return router;
}
