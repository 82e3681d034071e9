import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { TenantContext } from './lab-context.ts';
import { applyConsent, consentedByResource } from './consent.ts';
import { requestContext } from './request-context.ts';
import { makeFindAccount } from './account.ts';
import { DEFAULT_SCOPE, OIDC_SCOPES, shortScope } from './resources.ts';
import { resourceServerInfo } from './resource-server-info.ts';

export const PASSWORD_PARAMS = ['username', 'scope', 'resource'] as const;

/** Failures carry a `ropc:` detail, which `errors/from-oidc-error.ts` maps to AADSTS65001. */
function refuse(detail: string): never {
  throw new errors.InvalidGrant(`ropc: ${detail}`);
}

/**
 * ROPC's tokens, for the user the Entra step `verify_user_password` checked
 * (read from the request context: this grant never sees a password). There
 * is no page on which to consent, so, as on Entra, every scope asked for must
 * have been consented already (by the user or an admin): AADSTS65001 else.
 * The answer is an access token for the one API, an ID token for `openid`
 * and a refresh token for `offline_access`.
 */
export function makePasswordGrant(lab: TenantContext) {
  const findAccount = makeFindAccount(lab.directory);
  return async (koa: KoaContextWithOIDC): Promise<void> => {
    const { params, client, provider } = koa.oidc;
    if (!client) throw new errors.InvalidClient('client not found');
    const userId = requestContext.getStore()?.passwordUser;
    if (!userId) throw new errors.InvalidGrant('the user was not verified');

    const indicator = typeof params?.resource === 'string' ? params.resource : undefined;
    const info = indicator ? resourceServerInfo(lab, indicator, client.clientId) : undefined;
    if (!indicator || !info) throw new errors.InvalidTarget('the scope names no API');
    const requestedScopes = (typeof params?.scope === 'string' ? params.scope : '').split(' ').filter(Boolean);
    const apiScopes = requestedScopes.filter((t) => !OIDC_SCOPES.has(t));
    const oidcScopes = requestedScopes.filter((t) => OIDC_SCOPES.has(t));

    const consented = consentedByResource(lab, client.clientId, userId);
    const granted = new Set([...consented].find(([r]) => r.indicator === indicator)?.[1] ?? []);
    const missing = apiScopes.map(shortScope).filter((v) => (v === DEFAULT_SCOPE ? granted.size === 0 : !granted.has(v)));
    if (missing.length) refuse(`consent_required for ${missing.join(' ')}`);

    const account = await findAccount(koa, userId);
    if (!account) throw new errors.InvalidGrant('the user does not exist or is disabled');
    koa.oidc.entity('Account', account);

    const grant = new provider.Grant({ accountId: userId, clientId: client.clientId });
    applyConsent(grant, consented);
    if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '));
    const grantId = await grant.save();

    const token = new provider.AccessToken({ accountId: userId, client, grantId, gty: 'password' });
    token.resourceServer = new provider.ResourceServer(indicator, info);
    token.scope = apiScopes.filter((t) => token.resourceServer!.scopes.has(t)).join(' ');
    const accessToken = await token.save();

    let idToken: string | undefined;
    if (oidcScopes.includes('openid')) {
      const scope = oidcScopes.filter((s) => s !== 'offline_access').join(' ');
      const id = new provider.IdToken({ ...(await account.claims('id_token', scope, {}, [])), amr: ['pwd'] }, { ctx: koa });
      // oidc-provider's IdToken filters the account's claims by this scope (not in its typings).
      (id as unknown as { scope: string }).scope = scope;
      idToken = await id.issue({ use: 'idtoken' });
    }
    let refreshToken: string | undefined;
    if (oidcScopes.includes('offline_access')) {
      const rt = new provider.RefreshToken({ accountId: userId, client, grantId, gty: 'password', scope: requestedScopes.join(' '), resource: indicator });
      refreshToken = await rt.save();
    }
    koa.body = {
      token_type: 'Bearer',
      scope: [token.scope, ...oidcScopes].filter(Boolean).join(' '),
      expires_in: token.expiration,
      ext_expires_in: token.expiration,
      access_token: accessToken,
      ...(idToken ? { id_token: idToken } : {}),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    };
  };
}
