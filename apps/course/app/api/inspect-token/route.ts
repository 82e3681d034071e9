import { z } from 'zod';
import { analyseToken, decodeToken, MalformedTokenError, type DecodedToken } from '../../../src/inspector/analyse-token.ts';
import { labTenantOfIssuer } from '../../../src/inspector/lab-issuer.ts';
import { fetchJwks, JwksShapeError, verifySignature, type SignatureVerdict } from '../../../src/inspector/verify-signature.ts';
import { refuseCrossSite } from '../../../src/lab/guard.ts';
import { fetchIdpInfo, type IdpInfo } from '../../../src/lab/idp.ts';

export const dynamic = 'force-dynamic';

const Request = z.union([
  z.strictObject({
    token: z.string().min(1).max(32_768),
    jwksUrl: z.string().max(2048).optional(),
    expectedAudience: z.string().max(512).optional(),
  }),
  // The claims of a token a live run saw issued (the trace carries claims, never the token): no signature to check.
  z.strictObject({
    claims: z.record(z.string(), z.unknown()),
    expectedAudience: z.string().max(512).optional(),
  }),
]);

function problem(status: number, error: string, message: string, fix: string): Response {
  return Response.json({ error, message, fix }, { status });
}

/** Which keys to check the signature with: the URL the learner gave, else the lab IdP's keys when the token's issuer (v1.0 or v2.0) is one of its tenants. */
function jwksUrlFor(decoded: DecodedToken, given: string | undefined, info: IdpInfo | undefined): string | undefined {
  if (given?.trim()) return given.trim();
  const iss = typeof decoded.payload.iss === 'string' ? decoded.payload.iss : undefined;
  const tenant = info ? labTenantOfIssuer(iss, info.tenants) : undefined;
  return tenant && info ? `${info.baseUrl}/${tenant.id}/discovery/v2.0/keys` : undefined;
}

async function signatureOf(token: string, decoded: DecodedToken, jwksUrl: string | undefined): Promise<SignatureVerdict> {
  if (String(decoded.header.alg).toLowerCase() === 'none') return { status: 'unchecked', reason: 'alg-none' };
  if (!jwksUrl) return { status: 'unchecked', reason: 'no-jwks-url' };
  let jwks;
  try {
    jwks = await fetchJwks(jwksUrl);
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
    return { status: 'unchecked', reason: error instanceof JwksShapeError ? 'jwks-invalid' : 'jwks-unreachable', jwksUrl, detail: cause ? `${(error as Error).message} (${cause})` : (error as Error).message };
  }
  return verifySignature(token, jwks, jwksUrl, typeof decoded.header.kid === 'string' ? decoded.header.kid : undefined);
}

/**
 * `POST { token, jwksUrl?, expectedAudience? }` (or `{ claims }` from a live run) → the decoded header and
 * claims, the signature verdict and what a resource server must say about the
 * token. The signature is checked here, on the site's server, because it
 * trusts the lab's CA (the browser might not) and because fetching a key set
 * from the browser would need CORS from every IdP.
 */
export async function POST(request: globalThis.Request): Promise<Response> {
  const refused = refuseCrossSite(request);
  if (refused) return refused;
  let body: z.infer<typeof Request>;
  try {
    body = Request.parse(await request.json());
  } catch {
    return problem(400, 'BAD_REQUEST', 'Expected { "token": "<JWT>", "jwksUrl"?: "<https URL>", "expectedAudience"?: "<app ID>" }.', 'Paste one token (at most 32 KB).');
  }
  let decoded: DecodedToken;
  try {
    decoded = 'token' in body ? decodeToken(body.token) : { header: {}, payload: body.claims };
  } catch (error) {
    if (error instanceof MalformedTokenError) return problem(400, error.code, error.message, 'Copy the access token again, all three parts, without quotes or line breaks.');
    throw error;
  }
  const info = await fetchIdpInfo().catch(() => undefined);
  const now = Math.floor(Date.now() / 1000);
  const findings = analyseToken(decoded, { now, tenants: info?.tenants ?? [], ...(body.expectedAudience ? { expectedAudience: body.expectedAudience } : {}) }).filter(
    // Without a header there is no algorithm to judge.
    (f) => 'token' in body || (f.code !== 'unexpected-alg' && f.code !== 'alg-none'),
  );
  const signature: SignatureVerdict = 'token' in body ? await signatureOf(body.token, decoded, jwksUrlFor(decoded, body.jwksUrl, info)) : { status: 'unchecked', reason: 'claims-only' };
  return Response.json({ header: decoded.header, payload: decoded.payload, findings, signature, now, idp: info ? { baseUrl: info.baseUrl } : null });
}
