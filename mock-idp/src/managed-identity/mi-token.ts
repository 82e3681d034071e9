import { randomBytes } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';
import { versionClaims } from '../protocol/access-token-claims.ts';
import type { LabContext } from '../protocol/lab-context.ts';
import { accessTokenVersion, v1Issuer, v2Issuer } from '../protocol/token-version.ts';
import type { ApiResource } from '../protocol/resources.ts';
import type { ManagedIdentity } from '../seed/managed-identities.ts';

/** The audience of tokens meant for workload identity federation (a federated credential's audience). */
export const TOKEN_EXCHANGE = 'api://AzureADTokenExchange';

/** Managed identity tokens live about a day (MSAL renews them at half-life). */
const MI_TOKEN_LIFETIME_SECONDS = 24 * 3600;

export type MiAudience = { kind: 'exchange' } | { kind: 'api'; resource: ApiResource; named: string };

/**
 * A managed identity's app-only access token, shaped as Entra shapes one: the
 * identity's client ID in `appid`/`azp` (`acr` 2: no secret exists), its
 * object ID in `oid` and `sub`, its Azure resource ID in `xms_mirid`, roles
 * assigned to its service principal. A token for api://AzureADTokenExchange
 * is v2.0 with that audience and the tenant's v2.0 issuer: what a federated
 * credential for a managed identity names.
 */
export async function managedIdentityToken(lab: LabContext, baseUrl: string, mi: ManagedIdentity, audience: MiAudience): Promise<{ token: string; exp: number }> {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + MI_TOKEN_LIFETIME_SECONDS;
  const claims: Record<string, unknown> = { iss: v2Issuer(baseUrl, mi.tenantId), iat: now, nbf: now, exp };
  if (audience.kind === 'exchange') {
    Object.assign(claims, { aud: TOKEN_EXCHANGE, azp: mi.clientId, azpacr: '2', ver: '2.0' });
  } else {
    const version = accessTokenVersion(audience.resource);
    versionClaims(claims, version, audience.resource, mi.tenantId, { clientId: mi.clientId, acr: '2', named: audience.named });
    if (version === 1) claims.idp = v1Issuer(mi.tenantId);
    const roles = lab.directory.roleValues(mi.objectId, audience.resource.app.appId, audience.resource.isGraph ? audience.resource.app.appRoles : undefined);
    if (roles.length) claims.roles = roles;
  }
  Object.assign(claims, { oid: mi.objectId, sub: mi.objectId, tid: mi.tenantId, idtyp: 'app', uti: randomBytes(16).toString('base64url'), xms_mirid: mi.resourceId });
  const signing = lab.keys.privateKeys()[0] as JWK;
  const key = await importJWK(signing, 'RS256');
  const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: signing.kid ?? '' }).sign(key);
  return { token, exp };
}
