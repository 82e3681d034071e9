import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { TenantContext } from './lab-context.ts';
import { applyConsent, consentedByResource } from './consent.ts';
import { DEFAULT_SCOPE, OIDC_SCOPES, shortScope } from './resources.ts';
import { resourceServerInfo } from './resource-server-info.ts';
import { audiencesOf, v1Issuer } from './token-version.ts';

export const OBO_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const OBO_PARAMS = ['assertion', 'requested_token_use', 'scope', 'resource'] as const;

/** Failures of this grant carry an `obo:` detail, which `errors/from-oidc-error.ts` maps to AADSTS50013 / 65001. */
function refuse(detail: string): never {
  throw new errors.InvalidGrant(`obo: ${detail}`);
}

/**
 * On-behalf-of (`urn:ietf:params:oauth:grant-type:jwt-bearer` with
 * `requested_token_use=on_behalf_of`): an API trades the user's access token
 * it received for a token to a downstream API (typically Microsoft Graph),
 * still as that user. Only a token issued to the calling API (its `aud`) may
 * be traded — accepting any other is the confused deputy the MCP security
 * guidance warns about — and the calling API needs the user's consent for
 * the downstream scopes.
 */
export function makeOnBehalfOf(lab: TenantContext) {
  return async (koa: KoaContextWithOIDC): Promise<void> => {
    const keys = createLocalJWKSet({ keys: lab.keys.publicKeys() });
    const { params, client, provider } = koa.oidc;
    if (!client) throw new errors.InvalidClient('client not found');
    if (params?.requested_token_use !== 'on_behalf_of') throw new errors.InvalidRequest("requested_token_use must be 'on_behalf_of'");
    const assertion = typeof params.assertion === 'string' ? params.assertion : '';
    if (!assertion) throw new errors.InvalidRequest("the 'assertion' parameter is missing");

    let claims: JWTPayload;
    try {
      // The API's own token, v1.0 or v2.0 as the API asks: either issuer of this tenant.
      ({ payload: claims } = await jwtVerify(assertion, keys, { issuer: [provider.issuer, v1Issuer(lab.tenant.id)], algorithms: ['RS256'] }));
    } catch (error) {
      refuse(`the assertion is not a valid token of this tenant (${(error as Error).message})`);
    }
    // v2.0: aud is the API's client ID; v1.0: the identifier the caller named it by (App ID URI or client ID).
    const callingApp = lab.directory.app(client.clientId);
    const audiences = callingApp ? audiencesOf(callingApp).map((a) => a.toLowerCase()) : [client.clientId.toLowerCase()];
    if (typeof claims.aud !== 'string' || !audiences.includes(claims.aud.toLowerCase())) {
      refuse(`the assertion's audience is ${String(claims.aud)}, not the calling app ${client.clientId}`);
    }
    if (claims.idtyp === 'app' || typeof claims.oid !== 'string') refuse('the assertion is an app-only token; on-behalf-of needs a user’s token');
    const user = lab.directory.user(claims.oid);
    if (!user?.accountEnabled) refuse('the user of the assertion does not exist or is disabled');

    const indicator = typeof params.resource === 'string' ? params.resource : undefined;
    const info = indicator ? resourceServerInfo(lab, indicator, client.clientId) : undefined;
    if (!indicator || !info) throw new errors.InvalidTarget('the scope names no API');

    const consented = consentedByResource(lab, client.clientId, user.id);
    const granted = new Set([...consented].find(([r]) => r.indicator === indicator)?.[1] ?? []);
    const requested = (typeof params.scope === 'string' ? params.scope : '')
      .split(' ')
      .filter((t) => t && !OIDC_SCOPES.has(t));
    const missing = requested.map(shortScope).filter((v) => (v === DEFAULT_SCOPE ? granted.size === 0 : !granted.has(v)));
    if (missing.length) refuse(`consent_required for ${missing.join(' ')}`);

    const grant = new provider.Grant({ accountId: user.id, clientId: client.clientId });
    applyConsent(grant, consented);
    const grantId = await grant.save();

    const token = new provider.AccessToken({ accountId: user.id, client, grantId, gty: 'on_behalf_of' });
    token.resourceServer = new provider.ResourceServer(indicator, info);
    token.scope = requested.filter((t) => token.resourceServer!.scopes.has(t)).join(' ');
    const value = await token.save();
    koa.body = {
      token_type: 'Bearer',
      scope: token.scope,
      expires_in: token.expiration,
      ext_expires_in: token.expiration,
      access_token: value,
    };
  };
}
