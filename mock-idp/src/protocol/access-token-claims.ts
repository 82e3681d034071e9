import { randomBytes } from 'node:crypto';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { LabContext } from './lab-context.ts';
import { DEFAULT_SCOPE, OIDC_SCOPES, resourceByIndicator, shortScope, type ApiResource } from './resources.ts';
import { pairwiseSubject } from './pairwise.ts';

interface TokenLike {
  kind: string;
  accountId?: string;
  clientId: string;
  scope?: string;
  resourceServer?: { identifier(): string };
}

interface JwtParts {
  header?: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** Delegated `scp`: explicit scopes as requested, `.default` as everything consented. */
function delegatedScopes(lab: LabContext, resource: ApiResource, tokens: string[], clientId: string, userId: string): string[] {
  const values = new Set<string>();
  for (const token of tokens) {
    if (shortScope(token) === DEFAULT_SCOPE) {
      lab.directory.consentedScopes(clientId, userId, resource.app.appId).forEach((v) => values.add(v));
    } else {
      values.add(shortScope(token));
    }
  }
  // OIDC scopes show up in Graph tokens only, as Entra does.
  if (!resource.isGraph) OIDC_SCOPES.forEach((s) => values.delete(s));
  else values.delete('offline_access');
  return [...values];
}

/**
 * Rewrites oidc-provider's RFC 9068 access token into an Entra ID v2.0 one:
 * `typ: JWT`, `aud` = the API's application (client) ID, `scp` with short
 * scope names (or `roles` + `idtyp: app` for app-only tokens), and Entra's
 * identity claims. Roles and `.default` consent are read live from the
 * directory, so a role assignment made a second ago is in the next token.
 */
export function makeAccessTokenCustomizer(lab: LabContext, tenantId: string) {
  return (ctx: KoaContextWithOIDC, token: TokenLike, jwt: JwtParts): void => {
    const indicator = token.resourceServer?.identifier();
    const resource = indicator ? resourceByIndicator(indicator, lab.lookup) : undefined;
    if (!resource) throw new Error(`access token for an unknown resource ${indicator ?? '(none)'}`);

    const p = jwt.payload;
    const tokens = (token.scope ?? '').split(' ').filter(Boolean);
    const confidential = ctx.oidc.client?.clientAuthMethod !== 'none';

    jwt.header = { ...jwt.header, typ: 'JWT' };
    delete p.scope;
    delete p.client_id;
    delete p.jti;

    p.aud = resource.app.appId;
    const skew = lab.faults.clockSkew(tenantId, token.clientId);
    if (skew && typeof p.iat === 'number' && typeof p.exp === 'number') {
      p.iat += skew;
      p.exp += skew;
      lab.trace.emit({ type: 'fault', summary: `clock skew: this token's times are shifted by ${skew} s`, tenantId, clientId: token.clientId, detail: { fault: 'clock-skew', seconds: skew } });
    }
    p.nbf = p.iat;
    p.azp = token.clientId;
    p.azpacr = confidential ? '1' : '0';
    p.tid = tenantId;
    p.uti = randomBytes(16).toString('base64url');
    p.ver = '2.0';

    if (token.kind === 'ClientCredentials') {
      const app = lab.directory.app(token.clientId);
      const principalId = app?.servicePrincipalId ?? token.clientId;
      p.oid = principalId;
      p.sub = principalId;
      p.idtyp = 'app';
      const roles = lab.directory.roleValues(principalId, resource.app.appId, resource.isGraph ? resource.app.appRoles : undefined);
      if (roles.length) p.roles = roles;
      return;
    }

    const user = token.accountId ? lab.directory.user(token.accountId) : undefined;
    if (!user) throw new Error('access token for an unknown user');
    p.oid = user.id;
    p.sub = pairwiseSubject(user.id, resource.app.appId);
    p.name = user.displayName;
    p.preferred_username = user.userPrincipalName;
    p.scp = delegatedScopes(lab, resource, tokens, token.clientId, user.id).join(' ');
    const roles = lab.directory.roleValues(user.id, resource.app.appId, resource.isGraph ? resource.app.appRoles : undefined);
    if (roles.length) p.roles = roles;
  };
}
