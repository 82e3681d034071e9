import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { Config } from './config.ts';
import type { EntraMetadata } from './entra-metadata.ts';

/** A token that is not for this server, or not valid (→ 401 `invalid_token`). Its message never quotes the token. */
export class TokenRefused extends Error {}

/** A valid token that lacks what the request needs (→ 403 `insufficient_scope`, naming the scope to ask for). */
export class ScopeMissing extends Error {
  readonly scope: string;
  constructor(message: string, scope: string) {
    super(message);
    this.scope = scope;
  }
}

/** Who is calling, as the verified token says. */
export interface Caller {
  /** `user`: a delegated token (a person through a client app); `app`: an app-only token (a daemon). */
  kind: 'user' | 'app';
  oid: string;
  tid: string;
  name: string;
  roles: string[];
}

export type EntraAuthInfo = AuthInfo & { extra: { caller: Caller } };

/** The app role an app-only caller needs; users need the delegated scope instead. */
export const APP_ROLE = 'Tools.Read';

/** Clocks differ a little between Entra and this server; more than a minute of grace turns an expired token into a valid one. */
const CLOCK_SKEW_SECONDS = 60;

function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's "${error.claim}" claim is not acceptable (${error.reason})`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return "no published key matches the token's kid";
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is not signed with RS256';
  if (error instanceof errors.JOSEError) return `the token is not a valid JWT (${error.code})`;
  throw error;
}

/**
 * Validates an Entra access token the way a resource server must, on every
 * request: signature (RS256 only, keys from the tenant's JWKS, refetched
 * when an unknown `kid` appears after Entra rolls its keys), issuer from the
 * metadata of the configured version, audience = this API, lifetime with a
 * small skew, the tenant, and then what the caller may do.
 */
export function tokenVerifier(config: Config, metadata: EntraMetadata): (token: string) => Promise<EntraAuthInfo> {
  // TODO(verify): validate the token with jose, on every request.
  // 1. Once, here, outside the returned function: const keys = createRemoteJWKSet(new URL(metadata.jwks_uri)).
  //    It caches the tenant's keys and fetches them again when a token names a kid it does not know.
  // 2. In the returned function: jwtVerify(token, keys, { algorithms: ['RS256'], issuer: metadata.issuer, audience,
  //    clockTolerance: CLOCK_SKEW_SECONDS, requiredClaims: ['exp', 'tid', 'oid'] }). audience: config.clientId for
  //    v2.0 tokens; [config.appIdUri, config.clientId] for v1.0 tokens (config.tokenVersion).
  //    Any failure: throw new TokenRefused(reason(error)) — the server answers 401 invalid_token.
  // 3. claims.tid must equal config.tenantId.
  // TODO(scopes): decide what the caller may do.
  // 4. A delegated token carries scp (space-separated); an app-only token has idtyp=app and roles.
  //    Neither (an ID token, for one)? TokenRefused.
  // 5. Delegated without config.scope in scp, or app-only without the role APP_ROLE:
  //    throw new ScopeMissing(<why>, `${config.appIdUri}/${config.scope}`) — the server answers 403 insufficient_scope.
  // 6. Return { token, clientId: azp ?? appid, scopes, expiresAt: exp, extra: { caller: { kind, oid, tid, name, roles } } }.
  void [createRemoteJWKSet, jwtVerify, reason, CLOCK_SKEW_SECONDS, APP_ROLE, config, metadata];
  return () => Promise.reject(new TokenRefused('token validation is not built yet: see the TODOs in src/verify-token.ts'));
}
