import type { ResourceServer } from 'oidc-provider';
import type { TenantContext } from './lab-context.ts';
import { resourceByIndicator, scopeTokensOf } from './resources.ts';
import { LIFETIMES } from './lifetimes.ts';

/** What oidc-provider needs to know about an API to issue a token for it: Entra-shaped JWTs, its app ID as audience. */
export function resourceServerInfo(lab: TenantContext, indicator: string, clientId: string | undefined): ResourceServer | undefined {
  const resource = resourceByIndicator(indicator, lab.lookup);
  if (!resource) return undefined;
  return {
    scope: scopeTokensOf(resource).join(' '),
    audience: resource.app.appId,
    accessTokenTTL: lab.faults.accessTokenLifetime(lab.tenant.id, clientId) ?? LIFETIMES.AccessToken,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: 'RS256' } },
  };
}
