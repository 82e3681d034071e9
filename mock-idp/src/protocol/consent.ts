import type { Grant, KoaContextWithOIDC } from 'oidc-provider';
import type { LabContext } from './lab-context.ts';
import { DEFAULT_SCOPE, GRAPH_INDICATOR, OIDC_SCOPES, resourceByIndicator, shortScope, type ApiResource } from './resources.ts';

/**
 * Consent lives in the directory, as Entra keeps it (oAuth2PermissionGrants
 * per user and app, or tenant-wide after admin consent), not in a browser
 * session: consent given once holds for every later sign-in and every
 * refresh token, and revoking it in the portal takes effect at once.
 */

function resourceOfApp(lab: LabContext, appId: string): ApiResource | undefined {
  if (appId.toLowerCase() === lab.lookup.graph.appId) return resourceByIndicator(GRAPH_INDICATOR, lab.lookup);
  return resourceByIndicator(`api://${appId}`, lab.lookup);
}

/** Scope values the user (or an admin, for everyone) has consented to, per resource. */
export function consentedByResource(lab: LabContext, clientId: string, userId: string): Map<ApiResource, string[]> {
  const out = new Map<ApiResource, string[]>();
  const resourceIds = new Set(
    lab.directory
      .permissionGrants({ clientAppId: clientId })
      .filter((g) => g.consentType === 'AllPrincipals' || g.principalId === userId)
      .map((g) => g.resourceAppId),
  );
  for (const resourceAppId of resourceIds) {
    const resource = resourceOfApp(lab, resourceAppId);
    const scopes = lab.directory.consentedScopes(clientId, userId, resourceAppId);
    if (resource && scopes.length) out.set(resource, scopes);
  }
  return out;
}

/** Adds directory consent to an oidc-provider grant, in oidc-provider's scope tokens. */
export function applyConsent(grant: Grant, consented: Map<ApiResource, string[]>): void {
  for (const [resource, values] of consented) {
    const tokens = values.map((v) => (resource.isGraph ? v : `${resource.indicator}/${v}`));
    const defaultToken = `${resource.indicator}/${DEFAULT_SCOPE}`;
    grant.addResourceScope(resource.indicator, [...tokens, defaultToken].join(' '));
    if (resource.isGraph) {
      const oidc = values.filter((v) => OIDC_SCOPES.has(v));
      if (oidc.length) grant.addOIDCScope(oidc.join(' '));
    }
  }
}

/**
 * Records what the user accepted on the consent page: for each resource,
 * the scope values requested (`.default` expands to the app's configured
 * permissions for that API), OIDC scopes as Graph permissions (as Entra does).
 */
export function recordConsent(
  lab: LabContext,
  clientId: string,
  userId: string,
  requested: Record<string, string[]>,
  oidcScopes: string[],
): void {
  const app = lab.directory.app(clientId);
  for (const [indicator, tokens] of Object.entries(requested)) {
    const resource = resourceByIndicator(indicator, lab.lookup);
    if (!resource) continue;
    const values = new Set<string>();
    for (const token of tokens) {
      const value = shortScope(token);
      if (value !== DEFAULT_SCOPE) {
        values.add(value);
        continue;
      }
      for (const v of staticPermissions(app?.requiredResourceAccess ?? [], resource)) values.add(v);
    }
    if (resource.isGraph) oidcScopes.forEach((s) => values.add(s));
    else values.forEach((v) => OIDC_SCOPES.has(v) && values.delete(v));
    if (values.size) {
      lab.directory.grantPermission({
        clientAppId: clientId,
        consentType: 'Principal',
        principalId: userId,
        resourceAppId: resource.app.appId,
        scopes: [...values],
      });
    }
  }
  if (oidcScopes.length && !Object.keys(requested).includes(GRAPH_INDICATOR)) {
    lab.directory.grantPermission({
      clientAppId: clientId,
      consentType: 'Principal',
      principalId: userId,
      resourceAppId: lab.lookup.graph.appId,
      scopes: oidcScopes,
    });
  }
}

/** Delegated permissions an app lists for an API on its API permissions blade. */
function staticPermissions(required: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[], resource: ApiResource): string[] {
  const entry = required.find((r) => r.resourceAppId.toLowerCase() === resource.app.appId.toLowerCase());
  if (!entry) return [];
  return entry.resourceAccess
    .filter((a) => a.type === 'Scope')
    .map((a) => resource.app.api.oauth2PermissionScopes.find((s) => s.id === a.id && s.isEnabled)?.value)
    .filter((v): v is string => v !== undefined);
}

/** oidc-provider's `loadExistingGrant`: the session's grant, brought up to date with the directory. */
export function makeLoadExistingGrant(lab: LabContext) {
  return async (ctx: KoaContextWithOIDC): Promise<Grant | undefined> => {
    const client = ctx.oidc.client;
    const accountId = ctx.oidc.session?.accountId;
    if (!client || !accountId) return undefined;
    const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(client.clientId);
    const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
    const consented = consentedByResource(lab, client.clientId, accountId);
    if (!consented.size) return existing;
    const grant = existing ?? new ctx.oidc.provider.Grant({ accountId, clientId: client.clientId });
    applyConsent(grant, consented);
    await grant.save();
    return grant;
  };
}
