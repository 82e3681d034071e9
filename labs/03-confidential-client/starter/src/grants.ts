import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

/**
 * What this server hands to MCP clients: single-use authorization codes,
 * opaque access tokens and rotating refresh tokens. Each is 256 random bits;
 * only its SHA-256 is stored, so a copy of this store (a heap dump, a log of
 * it) holds nothing a client could present. Entra's tokens are not here:
 * they stay in MSAL's cache, reachable through the grant's homeAccountId.
 */

const CODE_SECONDS = 60;
const ACCESS_SECONDS = 60 * 60;
const REFRESH_SECONDS = 14 * 24 * 60 * 60;

/** One user's permission for one MCP client, created at /auth/callback. */
export interface Grant {
  id: string;
  clientId: string;
  scopes: string[];
  resource?: string;
  /** The Entra sign-in behind it (MSAL's cache key) and who it is. */
  homeAccountId: string;
  userOid: string;
  tenantId: string;
  revoked: boolean;
}

interface CodeRecord {
  grantId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  expiresAt: number;
  used: boolean;
}

interface TokenRecord {
  grantId: string;
  clientId: string;
  expiresAt: number;
}

interface RefreshRecord extends TokenRecord {
  /** Set once the token has been exchanged: presenting it again means it was stolen (or replayed). */
  rotated: boolean;
}

/** Why an exchange was refused, for the token endpoint's `invalid_grant`. */
export class GrantRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GrantRefused';
  }
}

const now = () => Math.floor(Date.now() / 1000);
const newSecret = () => randomBytes(32).toString('base64url');
const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

export class GrantStore {
  readonly #grants = new Map<string, Grant>();
  readonly #codes = new Map<string, CodeRecord>();
  readonly #access = new Map<string, TokenRecord>();
  readonly #refresh = new Map<string, RefreshRecord>();

  createGrant(grant: Omit<Grant, 'id' | 'revoked'>): Grant {
    this.#sweep();
    const created = { ...grant, id: randomUUID(), revoked: false };
    this.#grants.set(created.id, created);
    return created;
  }

  grant(id: string): Grant | undefined {
    const grant = this.#grants.get(id);
    return grant && !grant.revoked ? grant : undefined;
  }

  /** Grants still alive that rest on the same Entra sign-in (another MCP client of the same user). */
  liveGrantsOf(homeAccountId: string): Grant[] {
    return [...this.#grants.values()].filter((g) => !g.revoked && g.homeAccountId === homeAccountId);
  }

  issueCode(grant: Grant, request: { redirectUri: string; codeChallenge: string }): string {
    const code = newSecret();
    this.#codes.set(hash(code), { grantId: grant.id, clientId: grant.clientId, ...request, expiresAt: now() + CODE_SECONDS, used: false });
    return code;
  }

  /** The PKCE challenge of a code that can still be redeemed by this client. */
  challengeFor(code: string, clientId: string): string {
    return this.#liveCode(code, clientId).codeChallenge;
  }

  /** Redeems a code once. A second attempt is a replay: the grant it created is revoked (RFC 6749 §4.1.2). */
  redeemCode(code: string, clientId: string, redirectUri: string | undefined): OAuthTokens {
    const record = this.#liveCode(code, clientId);
    // Exact match with what the authorization request used: a code stolen on its way to one URI is useless at another.
    if (redirectUri !== record.redirectUri) throw new GrantRefused('redirect_uri does not match the authorization request');
    record.used = true;
    return this.#issueTokens(record.grantId, clientId);
  }

  /** Rotates a refresh token. Reusing a rotated one revokes the whole grant: one of the two holders is a thief. */
  refresh(refreshToken: string, clientId: string): OAuthTokens {
    // TODO(refresh): find the record by hash(refreshToken) in this.#refresh (and check it is this client's).
    // Already rotated? Someone is replaying it: this.revokeGrant(record.grantId) and throw GrantRefused.
    // Expired, or its grant revoked? GrantRefused. Otherwise mark it rotated and
    // return this.#issueTokens(record.grantId, clientId) — a new access token and a new refresh token.
    throw new GrantRefused('refresh tokens are still a TODO in src/grants.ts');
  }

  /** The grant behind a live access token, with the token's expiry. */
  verifyAccess(accessToken: string): { grant: Grant; expiresAt: number } | undefined {
    const record = this.#access.get(hash(accessToken));
    if (!record || record.expiresAt <= now()) return undefined;
    const grant = this.grant(record.grantId);
    return grant ? { grant, expiresAt: record.expiresAt } : undefined;
  }

  /** Revokes the grant behind an access or refresh token of this client; unknown tokens are ignored (RFC 7009). */
  revokeToken(token: string, clientId: string): Grant | undefined {
    const record = this.#access.get(hash(token)) ?? this.#refresh.get(hash(token));
    if (!record || record.clientId !== clientId) return undefined;
    return this.revokeGrant(record.grantId);
  }

  revokeGrant(grantId: string): Grant | undefined {
    const grant = this.#grants.get(grantId);
    if (!grant) return undefined;
    grant.revoked = true;
    for (const map of [this.#access, this.#refresh, this.#codes]) {
      for (const [key, record] of map) if (record.grantId === grantId) map.delete(key);
    }
    return grant;
  }

  #liveCode(code: string, clientId: string): CodeRecord {
    const record = this.#codes.get(hash(code));
    if (!record || record.clientId !== clientId) throw new GrantRefused('unknown authorization code');
    if (record.used) {
      this.revokeGrant(record.grantId);
      throw new GrantRefused('this authorization code was already used; the tokens issued for it have been revoked');
    }
    if (record.expiresAt <= now()) throw new GrantRefused('the authorization code has expired');
    return record;
  }

  /** Forgets what has expired, so a long-running server does not grow without bound. */
  #sweep(): void {
    const t = now();
    for (const map of [this.#access, this.#refresh, this.#codes]) {
      for (const [key, record] of map) if (record.expiresAt <= t - CODE_SECONDS) map.delete(key);
    }
  }

  #issueTokens(grantId: string, clientId: string): OAuthTokens {
    const grant = this.#grants.get(grantId)!;
    const access = newSecret();
    const refresh = newSecret();
    this.#access.set(hash(access), { grantId, clientId, expiresAt: now() + ACCESS_SECONDS });
    this.#refresh.set(hash(refresh), { grantId, clientId, expiresAt: now() + REFRESH_SECONDS, rotated: false });
    return { access_token: access, token_type: 'Bearer', expires_in: ACCESS_SECONDS, refresh_token: refresh, scope: grant.scopes.join(' ') };
  }
}
