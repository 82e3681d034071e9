import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

/**
 * What this server hands to MCP clients: single-use authorization codes,
 * opaque access tokens and rotating refresh tokens. Each is 256 random bits;
 * only its SHA-256 is stored, so a copy of this store (a heap dump, a log of
 * it) holds nothing a client could present. Entra's tokens are not here:
 * they stay in MSAL's cache, reachable through the grant's homeAccountId.
 * Every change is reported through `onChange`, so the session store can
 * write it to disk (encrypted) and a restart keeps everyone signed in.
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

/** The whole store as plain data, for the session store (hashes only: nothing in it can be presented as a token). */
export interface GrantSnapshot {
  grants: Grant[];
  codes: [string, CodeRecord][];
  access: [string, TokenRecord][];
  refresh: [string, RefreshRecord][];
}

const now = () => Math.floor(Date.now() / 1000);
const newSecret = () => randomBytes(32).toString('base64url');
const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

export class GrantStore {
  readonly #grants = new Map<string, Grant>();
  readonly #codes = new Map<string, CodeRecord>();
  readonly #access = new Map<string, TokenRecord>();
  readonly #refresh = new Map<string, RefreshRecord>();
  readonly #onChange: () => void;

  constructor(onChange: () => void = () => undefined, saved?: GrantSnapshot) {
    this.#onChange = onChange;
    if (!saved) return;
    for (const grant of saved.grants) this.#grants.set(grant.id, grant);
    for (const [key, record] of saved.codes) this.#codes.set(key, record);
    for (const [key, record] of saved.access) this.#access.set(key, record);
    for (const [key, record] of saved.refresh) this.#refresh.set(key, record);
  }

  snapshot(): GrantSnapshot {
    return { grants: [...this.#grants.values()], codes: [...this.#codes], access: [...this.#access], refresh: [...this.#refresh] };
  }

  createGrant(grant: Omit<Grant, 'id' | 'revoked'>): Grant {
    this.#sweep();
    const created = { ...grant, id: randomUUID(), revoked: false };
    this.#grants.set(created.id, created);
    this.#onChange();
    return created;
  }

  grant(id: string): Grant | undefined {
    const grant = this.#grants.get(id);
    return grant && !grant.revoked ? grant : undefined;
  }

  /** Every grant still alive: the admin tool's view of who is signed in, through which client. */
  liveGrants(): Grant[] {
    return [...this.#grants.values()].filter((g) => !g.revoked);
  }

  /** Grants still alive that rest on the same Entra sign-in (another MCP client of the same user). */
  liveGrantsOf(homeAccountId: string): Grant[] {
    return [...this.#grants.values()].filter((g) => !g.revoked && g.homeAccountId === homeAccountId);
  }

  /** Whose grant a code, access or refresh token belongs to (revoked or not), for the audit log. */
  ownerOf(secret: string): Pick<Grant, 'userOid' | 'clientId'> | undefined {
    const key = hash(secret);
    const record = this.#codes.get(key) ?? this.#access.get(key) ?? this.#refresh.get(key);
    return record ? this.#grants.get(record.grantId) : undefined;
  }

  issueCode(grant: Grant, request: { redirectUri: string; codeChallenge: string }): string {
    const code = newSecret();
    this.#codes.set(hash(code), { grantId: grant.id, clientId: grant.clientId, ...request, expiresAt: now() + CODE_SECONDS, used: false });
    this.#onChange();
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
    const key = hash(refreshToken);
    const record = this.#refresh.get(key);
    if (!record || record.clientId !== clientId) throw new GrantRefused('unknown refresh token');
    if (record.rotated) {
      this.revokeGrant(record.grantId);
      throw new GrantRefused('this refresh token was already used; the session has been revoked');
    }
    if (record.expiresAt <= now() || !this.grant(record.grantId)) throw new GrantRefused('the refresh token has expired or its session was revoked');
    record.rotated = true;
    return this.#issueTokens(record.grantId, clientId);
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
    this.#onChange();
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
    this.#onChange();
    return { access_token: access, token_type: 'Bearer', expires_in: ACCESS_SECONDS, refresh_token: refresh, scope: grant.scopes.join(' ') };
  }
}
