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
  // createRemoteJWKSet caches the keys and fetches them again when a token names an unknown kid (at most every 30 s).
  const keys = createRemoteJWKSet(new URL(metadata.jwks_uri));
  // A v2.0 token's aud is the API's client ID; a v1.0 token's is the identifier the client asked for (App ID URI or client ID).
  const audiences = config.tokenVersion === 2 ? [config.clientId] : [config.appIdUri, config.clientId];
  const scopeUri = `${config.appIdUri}/${config.scope}`;

  return async (token) => {
    let claims: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload: claims } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        issuer: metadata.issuer,
        audience: audiences,
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ['exp', 'tid', 'oid'],
      }));
    } catch (error) {
      throw new TokenRefused(reason(error));
    }
    if (claims.tid !== config.tenantId) throw new TokenRefused('the token was issued in another tenant');

    // Delegated tokens carry scp, app-only tokens roles; an ID token carries neither.
    const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ').filter(Boolean) : [];
    const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
    // Entra marks app-only tokens with idtyp=app (an optional claim); without it, an app's token has sub = oid and no scp.
    const appOnly = claims.idtyp === 'app' || (claims.scp === undefined && claims.sub === claims.oid && roles.length > 0);
    if (!appOnly && claims.scp === undefined) throw new TokenRefused('this is not an access token (no scp, and not an app-only token): an ID token?');
    if (appOnly && !roles.includes(APP_ROLE)) throw new ScopeMissing(`an app-only token needs the app role ${APP_ROLE}`, `${config.appIdUri}/.default`);
    if (!appOnly && !scopes.includes(config.scope)) throw new ScopeMissing(`the token lacks the scope ${config.scope}`, scopeUri);

    const name = [claims.name, claims.preferred_username, claims.upn, claims.oid].find((v): v is string => typeof v === 'string') ?? '';
    const clientId = [claims.azp, claims.appid].find((v): v is string => typeof v === 'string') ?? '';
    return {
      token,
      clientId,
      scopes,
      expiresAt: claims.exp!,
      extra: { caller: { kind: appOnly ? 'app' : 'user', oid: String(claims.oid), tid: String(claims.tid), name, roles } },
    };
  };
}
