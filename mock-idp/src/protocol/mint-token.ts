import { randomBytes } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';
import { z } from 'zod';
import type { LabContext } from './lab-context.ts';
import { pairwiseSubject } from './pairwise.ts';
import { SEED } from '../seed/seed-data.ts';
import { userClaims, versionClaims } from './access-token-claims.ts';
import { GRAPH_INDICATOR, indicatorFor, type ApiResource } from './resources.ts';
import { accessTokenVersion, v1Issuer, v2Issuer } from './token-version.ts';

/** What a test token may look like: any user or app, audience, lifetime, and claim overrides. */
export const MintRequest = z
  .object({
    /** Default: the home tenant. A foreign tenant gives a foreign `iss` and `tid`. */
    tenantId: z.string().optional(),
    /** A user (object ID or sign-in name) for a delegated token; omit for an app-only token. */
    user: z.string().optional(),
    /** The app the token is issued to (`azp`); default: the lab's public client (delegated) or web server (app-only). */
    clientId: z.string().optional(),
    /** The API the token is for: its app ID, `api://…` URI, or `graph`. A v1.0 token's `aud` is this identifier as given. */
    audience: z.string(),
    /** 1 or 2; default: the API's requestedAccessTokenVersion, as Entra chooses (Graph: 1). */
    version: z.union([z.literal(1), z.literal(2)]).optional(),
    /** Delegated scopes (short names) for `scp`; default: every scope the API exposes. */
    scopes: z.array(z.string()).optional(),
    /** `roles`; default: the roles assigned in the directory. */
    roles: z.array(z.string()).optional(),
    /** Seconds from now until `exp`; negative makes an already expired token. */
    lifetimeSeconds: z.number().int().min(-30 * 86_400).max(86_400).default(3600),
    /** Set or remove (null) any claim last, e.g. `{ "aud": "someone-else" }` or `{ "tid": null }`. */
    claims: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type MintRequest = z.infer<typeof MintRequest>;

/** How the request named the API, as a v1.0 `aud`: the URI as registered, the appId, or Graph's URI. */
function namedAudience(given: string, resource: ApiResource): string {
  if (resource.isGraph) return given.toLowerCase() === 'graph' ? GRAPH_INDICATOR : given.toLowerCase() === GRAPH_INDICATOR ? GRAPH_INDICATOR : resource.app.appId;
  if (given.toLowerCase() === resource.app.appId.toLowerCase()) return resource.app.appId;
  return resource.app.identifierUris.find((u) => u.toLowerCase() === given.toLowerCase()) ?? given;
}

export class MintError extends Error {
  readonly code: string;
  readonly fix: string;
  constructor(code: string, message: string, fix: string) {
    super(message);
    this.code = code;
    this.fix = fix;
  }
}

/**
 * A signed access token made to order, for exercises and checks that need a
 * token a real flow would not give (expired, foreign tenant, wrong audience,
 * no roles). Signed with the tenant's real signing key and shaped like the
 * IdP's own tokens; the trace marks it as minted.
 */
export async function mintToken(lab: LabContext, baseUrl: string, request: MintRequest): Promise<{ token: string; claims: Record<string, unknown> }> {
  const tenant = lab.directory.tenant(request.tenantId ?? lab.directory.tenants()[0]?.id ?? '');
  if (!tenant) throw new MintError('TENANT_NOT_FOUND', `No tenant ${request.tenantId ?? ''}.`, 'Use a tenant ID from GET /_lab/info.');
  const audienceApp =
    request.audience.toLowerCase() === 'graph' || request.audience === lab.lookup.graph.appId || request.audience.toLowerCase() === 'https://graph.microsoft.com'
      ? lab.lookup.graph
      : (lab.lookup.appById(request.audience.replace(/^api:\/\//, '')) ?? lab.lookup.appByIdentifierUri(request.audience));
  if (!audienceApp) throw new MintError('AUDIENCE_NOT_FOUND', `No API ${request.audience}.`, 'Give the API’s app ID, its Application ID URI, or "graph".');

  const user = request.user ? (lab.directory.user(request.user) ?? lab.directory.userByName(request.user)) : undefined;
  if (request.user && !user) throw new MintError('USER_NOT_FOUND', `No user ${request.user}.`, 'Use a user ID or sign-in name from GET /_lab/info.');
  const clientId = request.clientId ?? (user ? SEED.apps.publicClient.appId : SEED.apps.webServer.appId);
  const client = lab.directory.app(clientId);
  if (!client) throw new MintError('CLIENT_NOT_FOUND', `No app ${clientId}.`, 'Give the client’s application (client) ID.');

  const resource: ApiResource = { indicator: indicatorFor(audienceApp, lab.lookup.graph), app: audienceApp, isGraph: audienceApp === lab.lookup.graph };
  const version = request.version ?? accessTokenVersion(resource);
  const named = namedAudience(request.audience, resource);
  const now = Math.floor(Date.now() / 1000);
  const roleDefinitions = resource.isGraph ? audienceApp.appRoles : undefined;
  // Shaped by the same functions as the IdP's own tokens (access-token-claims.ts), so a minted token
  // differs from an issued one only where the request asks it to.
  const claims: Record<string, unknown> = { iss: v2Issuer(baseUrl, tenant.id), iat: now, nbf: now, exp: now + request.lifetimeSeconds };
  versionClaims(claims, version, resource, tenant.id, { clientId: client.appId, acr: user ? '0' : '1', named });
  Object.assign(claims, { tid: tenant.id, uti: randomBytes(16).toString('base64url') });
  if (user) {
    Object.assign(claims, {
      oid: user.id,
      sub: pairwiseSubject(user.id, audienceApp.appId),
      scp: (request.scopes ?? audienceApp.api.oauth2PermissionScopes.filter((s) => s.isEnabled).map((s) => s.value)).join(' '),
    });
    userClaims(claims, version, user);
    const roles = request.roles ?? lab.directory.roleValues(user.id, audienceApp.appId, roleDefinitions);
    if (roles.length) claims.roles = roles;
  } else {
    Object.assign(claims, { oid: client.servicePrincipalId, sub: client.servicePrincipalId, idtyp: 'app' });
    if (version === 1) claims.idp = v1Issuer(tenant.id);
    const roles = request.roles ?? lab.directory.roleValues(client.servicePrincipalId, audienceApp.appId, roleDefinitions);
    if (roles.length) claims.roles = roles;
  }
  for (const [name, value] of Object.entries(request.claims ?? {})) {
    if (value === null) delete claims[name];
    else claims[name] = value;
  }

  const signing = lab.keys.privateKeys()[0] as JWK;
  const key = await importJWK(signing, 'RS256');
  const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: signing.kid ?? '' }).sign(key);
  return { token, claims };
}
