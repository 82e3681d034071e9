import { createPublicKey, X509Certificate } from 'node:crypto';
import { compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import type { AppRegistration, Tenant } from '../directory/types.ts';
import { EntraError } from '../errors/entra-error.ts';
import type { LabContext } from '../protocol/lab-context.ts';
import { tenantOfIssuer } from '../protocol/token-version.ts';

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Entra's algorithms for certificate assertions (its docs: RS256 with x5t, PS256 with x5t#S256). */
const CERTIFICATE_ALGORITHMS = ['RS256', 'PS256'];
/** Clock tolerance for an assertion's exp and nbf. */
const SKEW_SECONDS = 300;

interface AssertionContext {
  lab: LabContext;
  app: AppRegistration;
  tenant: Tenant;
  /** `https://localhost:{port}`. */
  baseUrl: string;
  /** The tenant segment the request used (ID or domain): the token endpoint's own URL names it. */
  tenantSegment: string;
  now?: number;
}

function iso(seconds: number | undefined): string {
  return typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : '(none)';
}

/** exp (required) and nbf, with a little tolerance: AADSTS700024 outside. */
function checkTimes(claims: JWTPayload, now: number): void {
  const expired = typeof claims.exp !== 'number' || claims.exp + SKEW_SECONDS < now;
  const early = typeof claims.nbf === 'number' && claims.nbf - SKEW_SECONDS > now;
  if (expired || early) throw new EntraError(700024, { now: iso(now), validFrom: iso(claims.nbf ?? claims.iat), expiry: iso(claims.exp) });
}

/**
 * What an assertion may name as `aud`: this tenant's v2.0 and v1.0 token
 * endpoints (Entra's docs), and its v2.0 issuer, which Entra accepts too and
 * openid-client sends (RFC 7523 lets the audience be the issuer) — by tenant
 * ID, domain, or the segment the request used.
 */
function tokenEndpoints(ctx: AssertionContext): string[] {
  const segments = new Set([ctx.tenant.id, ctx.tenantSegment, ctx.tenant.domain].map((s) => s.toLowerCase()));
  return [...segments].flatMap((s) => [`${ctx.baseUrl}/${s}/oauth2/v2.0/token`, `${ctx.baseUrl}/${s}/oauth2/token`, `${ctx.baseUrl}/${s}/v2.0`]);
}

function audienceOk(claims: JWTPayload, allowed: string[]): boolean {
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  return audiences.some((a) => typeof a === 'string' && allowed.includes(a.toLowerCase()));
}

/**
 * A client assertion signed with one of the app's certificates, verified as
 * Entra verifies it (learn.microsoft.com/entra/identity-platform/certificate-credentials):
 * the header names the certificate by `x5t#S256` (or `x5t`), the signature
 * holds with it (AADSTS700027 for an unknown key or a bad signature),
 * `iss` = `sub` = the client ID (AADSTS700021), `aud` = the token endpoint
 * (AADSTS700023), `exp`/`nbf` (AADSTS700024), and a `jti`.
 *
 * Not refused: the same assertion presented again before it expires. Entra
 * accepts that — MSAL caches its signed certificate assertion and sends it
 * for 5–10 minutes (MSAL.NET, Java, Node), and a workload's federated token
 * is reused until it expires — so a mock that refused it would fail real
 * libraries that work against Entra.
 */
async function verifyCertificateAssertion(ctx: AssertionContext, assertion: string, header: Record<string, unknown>, claims: JWTPayload): Promise<void> {
  const clientId = ctx.app.appId;
  const x5tS256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined;
  const x5t = typeof header.x5t === 'string' ? header.x5t : undefined;
  const thumbprint = x5tS256 ?? x5t ?? '(none)';
  const found = x5tS256 ? ctx.lab.credentials.certificateByThumbprint(clientId, { x5tS256 }) : x5t ? ctx.lab.credentials.certificateByThumbprint(clientId, { x5t }) : undefined;
  if (!found) {
    const reason = x5tS256 || x5t ? 'The key was not found.' : 'The assertion header names no certificate (x5t#S256 or x5t).';
    throw new EntraError(700027, { reason, thumbprint, clientId });
  }
  const now = ctx.now ?? Math.floor(Date.now() / 1000);
  if (Date.parse(found.credential.endDateTime) <= now * 1000) throw new EntraError(700027, { reason: 'The key has expired.', thumbprint, clientId });
  try {
    const key = createPublicKey(new X509Certificate(found.der).publicKey.export({ format: 'pem', type: 'spki' }));
    await compactVerify(assertion, key, { algorithms: CERTIFICATE_ALGORITHMS });
  } catch {
    throw new EntraError(700027, { reason: 'Client assertion failed signature validation.', thumbprint, clientId });
  }
  if (claims.iss !== clientId || claims.sub !== clientId) throw new EntraError(700021, { clientId });
  const endpoints = tokenEndpoints(ctx);
  if (!audienceOk(claims, endpoints)) throw new EntraError(700023, { audience: String(claims.aud), tokenEndpoint: endpoints[0] });
  checkTimes(claims, now);
  if (typeof claims.jti !== 'string' || claims.jti === '') throw new EntraError(9002313, { detail: 'The client assertion has no jti claim; give each assertion a unique jti (a GUID).' });
}

/**
 * A federated token as the client assertion (workload identity federation):
 * a token of another issuer that one of the app's federated identity
 * credentials trusts by issuer (AADSTS700211), subject (AADSTS70021) and
 * audience (AADSTS700212), with a valid signature and lifetime. The issuers
 * this offline lab can check are its own tenants (the managed identity
 * endpoint's tokens): their keys are this IdP's.
 */
async function verifyFederatedAssertion(ctx: AssertionContext, assertion: string, claims: JWTPayload): Promise<void> {
  const issuer = String(claims.iss);
  const subject = String(claims.sub);
  const audience = Array.isArray(claims.aud) ? claims.aud.join(' ') : String(claims.aud);
  const trusted = ctx.lab.credentials.federated(ctx.app.appId).filter((f) => f.issuer === issuer);
  if (!trusted.length) throw new EntraError(700211, { issuer });
  const match = trusted.find((f) => f.subject === subject);
  if (!match) throw new EntraError(70021, { issuer, subject, audience, clientId: ctx.app.appId });
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((a) => typeof a === 'string' && match.audiences.includes(a))) throw new EntraError(700212, { audience });
  if (!tenantOfIssuer(issuer, ctx.baseUrl)) {
    throw new EntraError(700211, { issuer: `${issuer} (the lab can verify only its own tenants' tokens offline)` });
  }
  try {
    await jwtVerify(assertion, createLocalJWKSet({ keys: ctx.lab.keys.publicKeys() }), { algorithms: ['RS256'], clockTolerance: SKEW_SECONDS });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_JWT_EXPIRED') checkTimes(claims, ctx.now ?? Math.floor(Date.now() / 1000));
    throw new EntraError(700027, { reason: 'Client assertion failed signature validation.', thumbprint: '(federated token)', clientId: ctx.app.appId });
  }
}

/**
 * `client_assertion` (with `client_assertion_type` jwt-bearer): the app's
 * own assertion signed with a certificate (`iss` = the client ID), or a
 * federated token of another issuer. Throws the Entra error, else returns.
 */
export async function verifyClientAssertion(ctx: AssertionContext, assertion: string): Promise<'certificate' | 'federated'> {
  let header: Record<string, unknown>;
  let claims: JWTPayload;
  try {
    header = decodeProtectedHeader(assertion);
    claims = decodeJwt(assertion);
  } catch {
    throw new EntraError(9002313, { detail: 'The client_assertion is not a JWT (header.payload.signature, base64url).' });
  }
  if (claims.iss === ctx.app.appId) {
    await verifyCertificateAssertion(ctx, assertion, header, claims);
    return 'certificate';
  }
  await verifyFederatedAssertion(ctx, assertion, claims);
  return 'federated';
}
