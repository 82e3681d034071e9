import { randomBytes } from 'node:crypto';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { LabContext } from './lab-context.ts';
import { DEFAULT_SCOPE, OIDC_SCOPES, resourceByIndicator, shortScope, type ApiResource } from './resources.ts';
import { pairwiseSubject } from './pairwise.ts';
import { requestContext } from './request-context.ts';
import { accessTokenVersion, v1Audience, v1Issuer, type TokenVersion } from './token-version.ts';
import type { User } from '../directory/types.ts';

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

/** `appidacr` / `azpacr`: how the client proved who it is (0 none, 1 a secret, 2 a certificate or other assertion). */
function clientAuthClass(ctx: KoaContextWithOIDC): '0' | '1' | '2' {
  if (ctx.oidc.client?.clientAuthMethod === 'none') return '0';
  return requestContext.getStore()?.clientAuth === 'assertion' ? '2' : '1';
}

/**
 * The claims that name the client, the audience and the version, per version
 * (see token-version.ts). `named` is how the request named the API (v1.0 `aud`).
 * The v2.0 issuer is oidc-provider's own (or the minting code's).
 */
export function versionClaims(
  p: Record<string, unknown>,
  version: TokenVersion,
  resource: ApiResource,
  tenantId: string,
  client: { clientId: string; acr: string; named: string | undefined },
): void {
  const { clientId, acr } = client;
  if (version === 2) {
    p.aud = resource.app.appId;
    p.azp = clientId;
    p.azpacr = acr;
    p.ver = '2.0';
    return;
  }
  p.iss = v1Issuer(tenantId);
  p.aud = v1Audience(resource, client.named);
  p.appid = clientId;
  p.appidacr = acr;
  p.ver = '1.0';
}

/** A user's claims: v2.0 has `preferred_username`; v1.0 has `upn`, `unique_name`, the name parts and how they signed in. */
export function userClaims(p: Record<string, unknown>, version: TokenVersion, user: User): void {
  p.name = user.displayName;
  if (version === 2) {
    p.preferred_username = user.userPrincipalName;
    return;
  }
  p.upn = user.userPrincipalName;
  p.unique_name = user.userPrincipalName;
  if (user.givenName) p.given_name = user.givenName;
  if (user.surname) p.family_name = user.surname;
  p.amr = ['pwd'];
  p.acr = '1';
}

/**
 * Rewrites oidc-provider's RFC 9068 access token into an Entra ID one, v1.0
 * or v2.0 as the API asks (`token-version.ts`): `typ: JWT`, Entra's issuer
 * and audience for that version, `scp` with short scope names (or `roles` +
 * `idtyp: app` for app-only tokens), and Entra's identity claims. Roles and
 * `.default` consent are read live from the directory, so a role assignment
 * made a second ago is in the next token.
 */
export function makeAccessTokenCustomizer(lab: LabContext, tenantId: string) {
  return (ctx: KoaContextWithOIDC, token: TokenLike, jwt: JwtParts): void => {
    const indicator = token.resourceServer?.identifier();
    const resource = indicator ? resourceByIndicator(indicator, lab.lookup) : undefined;
    if (!resource) throw new Error(`access token for an unknown resource ${indicator ?? '(none)'}`);
    const version = accessTokenVersion(resource);

    const p = jwt.payload;
    const tokens = (token.scope ?? '').split(' ').filter(Boolean);

    jwt.header = { ...jwt.header, typ: 'JWT' };
    delete p.scope;
    delete p.client_id;
    delete p.jti;

    const skew = lab.faults.clockSkew(tenantId, token.clientId);
    if (skew && typeof p.iat === 'number' && typeof p.exp === 'number') {
      p.iat += skew;
      p.exp += skew;
      lab.trace.emit({ type: 'fault', summary: `clock skew: this token's times are shifted by ${skew} s`, tenantId, clientId: token.clientId, detail: { fault: 'clock-skew', seconds: skew } });
    }
    p.nbf = p.iat;
    const request = requestContext.getStore()?.audience;
    const named = request?.indicator === resource.indicator ? request.named : undefined;
    versionClaims(p, version, resource, tenantId, { clientId: token.clientId, acr: clientAuthClass(ctx), named });
    p.tid = tenantId;
    p.uti = randomBytes(16).toString('base64url');

    if (token.kind === 'ClientCredentials') {
      const app = lab.directory.app(token.clientId);
      const principalId = app?.servicePrincipalId ?? token.clientId;
      p.oid = principalId;
      p.sub = principalId;
      p.idtyp = 'app';
      // v1.0 app-only tokens name the identity provider: the tenant itself.
      if (version === 1) p.idp = v1Issuer(tenantId);
      const roles = lab.directory.roleValues(principalId, resource.app.appId, resource.isGraph ? resource.app.appRoles : undefined);
      if (roles.length) p.roles = roles;
      return;
    }

    const user = token.accountId ? lab.directory.user(token.accountId) : undefined;
    if (!user) throw new Error('access token for an unknown user');
    p.oid = user.id;
    p.sub = pairwiseSubject(user.id, resource.app.appId);
    userClaims(p, version, user);
    p.scp = delegatedScopes(lab, resource, tokens, token.clientId, user.id).join(' ');
    const roles = lab.directory.roleValues(user.id, resource.app.appId, resource.isGraph ? resource.app.appRoles : undefined);
    if (roles.length) p.roles = roles;
  };
}
