import { createLocalJWKSet, errors, jwtVerify, type JWK, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { GRAPH_APP_ID, GRAPH_IDENTIFIER_URI } from '../seed/microsoft-graph.ts';
import { GRAPH_MESSAGES, GraphError } from './graph-error.ts';
import { v1Issuer, v2Issuer } from '../protocol/token-version.ts';

/**
 * Access token validation, done the way every resource server must do it
 * (and the way the labs teach it): the signature against the issuer's
 * published keys, only RS256, the issuer (one per tenant, and the token's
 * `tid` must be that tenant), the audience (this API and nothing else), and
 * the lifetime with a small clock tolerance. Only then are the claims trusted.
 */

/** Graph's own audiences: its application ID, and its resource URI (v1.0 tokens use the URI). */
export const GRAPH_AUDIENCES = [GRAPH_APP_ID, GRAPH_IDENTIFIER_URI, `${GRAPH_IDENTIFIER_URI}/`];

/** Microsoft.IdentityModel's default clock skew, which Graph and ASP.NET Core APIs use. */
export const CLOCK_TOLERANCE_SECONDS = 300;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface VerifiedGraphToken {
  claims: JWTPayload;
  tenantId: string;
  /** The app that asked for the token (`azp` in v2.0, `appid` in v1.0). */
  clientId: string | undefined;
  /** A user (`oid`) for delegated tokens; the app's service principal for app-only ones. */
  objectId: string;
  /** `idtyp: app`: the client credentials flow, no user. */
  appOnly: boolean;
  /** Delegated permissions (`scp`). */
  scopes: string[];
  /** Application permissions, or the user's app roles (`roles`). */
  roles: string[];
}

/** A refused token; `claims` only when the signature held (what an unverified token says is not worth recording). */
export class TokenRejected extends GraphError {
  readonly claims: JWTPayload | undefined;

  constructor(message: string, claims?: JWTPayload) {
    super(401, 'InvalidAuthenticationToken', message);
    this.claims = claims;
  }
}

export interface GraphTokenVerifierOptions {
  /** The public signing keys of the IdP, read on each call so that a key rotation applies at once. */
  publicKeys: () => readonly JWK[];
  /** `https://localhost:{port}`: v2.0 issuers are `${baseUrl}/${tenantId}/v2.0` (v1.0: `https://sts.windows.net/{tid}/`). */
  baseUrl: () => string;
  /** Whether a tenant ID names a tenant of this IdP. */
  isTenant: (tenantId: string) => boolean;
  clockToleranceSeconds?: number;
}

function rejection(error: unknown): TokenRejected {
  if (error instanceof errors.JWTExpired) return new TokenRejected(GRAPH_MESSAGES.expired, error.payload);
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return new TokenRejected(GRAPH_MESSAGES.notYetValid, error.payload);
    if (error.claim === 'aud' && error.reason !== 'missing') return new TokenRejected(GRAPH_MESSAGES.invalidAudience, error.payload);
    return new TokenRejected(GRAPH_MESSAGES.missingClaim(error.claim), error.payload);
  }
  // An unknown kid, a forged or altered signature, `alg: none` or HS256 with the public key as secret.
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSEAlgNotAllowed
  ) {
    return new TokenRejected(GRAPH_MESSAGES.badSignature);
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) {
    return new TokenRejected(GRAPH_MESSAGES.malformedToken);
  }
  throw error;
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Builds the verifier once; the key set is rebuilt only when the published keys change. */
export function graphTokenVerifier(options: GraphTokenVerifierOptions): (token: string) => Promise<VerifiedGraphToken> {
  const clockTolerance = options.clockToleranceSeconds ?? CLOCK_TOLERANCE_SECONDS;
  let cached: { kids: string; keySet: JWTVerifyGetKey } | undefined;
  const keySet = (): JWTVerifyGetKey => {
    // Only the public members: whatever the caller hands over, no private key reaches the verifier.
    const keys = options.publicKeys().map(({ kty, kid, alg, use, n, e }) => ({ kty, kid, alg, use, n, e }));
    const kids = keys.map((k) => k.kid).join(',');
    if (cached?.kids !== kids) cached = { kids, keySet: createLocalJWKSet({ keys }) };
    return cached.keySet;
  };

  return async (token) => {
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, keySet(), {
        algorithms: ['RS256'],
        audience: GRAPH_AUDIENCES,
        clockTolerance,
        requiredClaims: ['iss', 'tid', 'oid', 'exp', 'nbf'],
      }));
    } catch (error) {
      throw rejection(error);
    }

    // One issuer per tenant and token version: the token's tenant must be one of this IdP's, and the
    // issuer exactly that tenant's issuer of the token's version (Entra's Graph tokens are v1.0).
    const tenantId = typeof claims.tid === 'string' ? claims.tid.toLowerCase() : '';
    const issuer = claims.ver === '1.0' ? v1Issuer(tenantId) : v2Issuer(options.baseUrl(), tenantId);
    if (!GUID.test(tenantId) || !options.isTenant(tenantId) || claims.iss !== issuer) {
      throw new TokenRejected(GRAPH_MESSAGES.invalidIssuer, claims);
    }
    if (typeof claims.oid !== 'string' || !GUID.test(claims.oid)) throw new TokenRejected(GRAPH_MESSAGES.missingClaim('oid'), claims);

    return {
      claims,
      tenantId,
      // v2.0 names the client `azp`, v1.0 `appid`.
      clientId: typeof claims.azp === 'string' ? claims.azp : typeof claims.appid === 'string' ? claims.appid : undefined,
      objectId: claims.oid.toLowerCase(),
      appOnly: claims.idtyp === 'app',
      scopes: stringList(claims.scp),
      roles: stringList(claims.roles),
    };
  };
}
