import type { RequestHandler } from 'express';
import type Provider from 'oidc-provider';
import { EntraError } from '../errors/entra-error.ts';
import { applyConsent, consentedByResource } from '../protocol/consent.ts';
import type { LabContext } from '../protocol/lab-context.ts';
import { DEFAULT_SCOPE, OIDC_SCOPES, resourceByIndicator, shortScope } from '../protocol/resources.ts';
import { entraLocals } from './entra-locals.ts';

/**
 * An Entra refresh token is not tied to the API it was first issued for: it
 * gets a token for any API the user has consented to for this app, and
 * fails with AADSTS65001 (→ MSAL asks for interaction) where consent is
 * missing. oidc-provider binds refresh tokens to the resources and grant of
 * their authorization, so before it runs, this step checks consent in the
 * directory and brings the token's resources and grant up to date.
 */
export function refreshForAnyResource(lab: LabContext, providerFor: (tenantId: string) => Provider): RequestHandler {
  return async (_req, res, next) => {
    const locals = entraLocals(res);
    const { params, app, tenant } = locals;
    const value = params.get('refresh_token');
    const indicator = params.get('resource');
    if (params.get('grant_type') !== 'refresh_token' || !value || !indicator || !app) return next();

    const provider = providerFor(tenant.id);
    const token = await provider.RefreshToken.find(value);
    // Unknown, expired or someone else's: oidc-provider gives the right error.
    if (!token || token.clientId !== app.appId || !token.accountId || !token.grantId) return next();
    // A disabled account's refresh tokens stop working at once (Entra: AADSTS50057).
    if (lab.directory.user(token.accountId)?.accountEnabled === false) throw new EntraError(50057);
    const resource = resourceByIndicator(indicator, lab.lookup);
    if (!resource) return next();

    const consented = consentedByResource(lab, app.appId, token.accountId);
    const granted = new Set([...consented].find(([r]) => r.indicator === resource.indicator)?.[1] ?? []);
    const requested = (params.get('scope') ?? '')
      .split(' ')
      .filter((t) => t && !OIDC_SCOPES.has(t))
      .map(shortScope);
    const missing = requested.filter((v) => (v === DEFAULT_SCOPE ? granted.size === 0 : !granted.has(v)));
    if (missing.length) throw new EntraError(65001, { clientId: app.appId, appName: app.displayName });

    const grant = await provider.Grant.find(token.grantId);
    if (!grant) return next();
    applyConsent(grant, consented);
    await grant.save();
    const scopes = new Set([...token.scopes, ...(params.get('scope') ?? '').split(' ').filter(Boolean)]);
    if (!token.resourceIndicators.has(resource.indicator) || scopes.size !== token.scopes.size) {
      const current = token.resource;
      const resources = new Set([...(Array.isArray(current) ? current : current ? [current] : []), resource.indicator]);
      token.resource = [...resources];
      token.scope = [...scopes].join(' ');
      await token.save();
    }
    next();
  };
}
