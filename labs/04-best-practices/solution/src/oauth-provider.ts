import type { Response } from 'express';
import type { AuthorizationParams, OAuthServerProvider } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { InvalidGrantError, InvalidScopeError, InvalidTargetError, InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthClientInformationFull, OAuthTokenRevocationRequest, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { AuditLog } from './audit.ts';
import type { ClientsStore } from './clients-store.ts';
import { EntraSignInEnded, type Entra } from './entra.ts';
import { GrantRefused, type Grant, type GrantStore } from './grants.ts';
import { consentPage } from './pages.ts';
import type { PendingSignIns } from './pending-sign-ins.ts';
import type { ProfileCache } from './profile-cache.ts';

/** The one scope this server grants MCP clients: calling its tools. */
export const MCP_SCOPE = 'mcp:tools';

export interface ProviderDeps {
  clients: ClientsStore;
  grants: GrantStore;
  pending: PendingSignIns;
  entra: Entra;
  /** The protected resource (PUBLIC_URL/mcp): tokens are issued for it alone. */
  resource: URL;
  authorityOrigin: string;
  audit: AuditLog;
  profiles: ProfileCache;
}

/** The auth info the bearer middleware attaches to each MCP request. */
export interface SessionAuth extends AuthInfo {
  extra: { grantId: string; userOid: string; tenantId: string };
}

/**
 * This server as an OAuth authorization server for MCP clients (the MCP
 * 2025-03-26 "third-party authorization" pattern). The SDK's auth router
 * handles the protocol (metadata, parameter checks, PKCE verification,
 * client authentication); this provider decides: it asks the person for
 * consent, sends them to Entra, and issues and checks this server's own
 * tokens — never Entra's.
 */
export class LabAuthProvider implements OAuthServerProvider {
  readonly #deps: ProviderDeps;

  constructor(deps: ProviderDeps) {
    this.#deps = deps;
  }

  get clientsStore(): ClientsStore {
    return this.#deps.clients;
  }

  authorize(client: OAuthClientInformationFull, params: AuthorizationParams, res: Response): Promise<void> {
    return Promise.resolve().then(() => this.#showConsent(client, params, res));
  }

  #showConsent(client: OAuthClientInformationFull, params: AuthorizationParams, res: Response): void {
    // RFC 8707: a client that names a resource must name this one; a token for "somewhere else" is not ours to issue.
    if (params.resource && !sameResource(params.resource, this.#deps.resource)) throw new InvalidTargetError(`this server issues tokens for ${this.#deps.resource.href} only`);
    const scopes = params.scopes?.length ? params.scopes : [MCP_SCOPE];
    const unknown = scopes.filter((s) => s !== MCP_SCOPE);
    if (unknown.length) throw new InvalidScopeError(`unknown scope ${unknown.join(' ')}; this server grants ${MCP_SCOPE}`);

    const pending = this.#deps.pending.create({
      clientId: client.client_id,
      clientName: client.client_name ?? client.client_id,
      redirectUri: params.redirectUri,
      ...(params.state !== undefined ? { clientState: params.state } : {}),
      codeChallenge: params.codeChallenge,
      scopes,
      resource: this.#deps.resource.href,
    });
    res.cookie('mcp_consent', pending.csrf, { httpOnly: true, sameSite: 'strict', secure: this.#deps.resource.protocol === 'https:', path: '/consent', maxAge: 10 * 60 * 1000 });
    consentPage(res, {
      requestId: pending.id,
      csrf: pending.csrf,
      clientName: pending.clientName,
      clientId: client.client_id,
      redirectUri: params.redirectUri,
      formTargets: [this.#deps.authorityOrigin, new URL(params.redirectUri).origin],
    });
  }

  challengeForAuthorizationCode(client: OAuthClientInformationFull, authorizationCode: string): Promise<string> {
    return refusedAsInvalidGrant(() => this.#deps.grants.challengeFor(authorizationCode, client.client_id));
  }

  exchangeAuthorizationCode(client: OAuthClientInformationFull, authorizationCode: string, _codeVerifier?: string, redirectUri?: string, resource?: URL): Promise<OAuthTokens> {
    const owner = this.#deps.grants.ownerOf(authorizationCode);
    return this.#audited('token-issued', client, owner, () => {
      if (resource && !sameResource(resource, this.#deps.resource)) throw new InvalidTargetError(`this server issues tokens for ${this.#deps.resource.href} only`);
      return this.#deps.grants.redeemCode(authorizationCode, client.client_id, redirectUri);
    });
  }

  exchangeRefreshToken(client: OAuthClientInformationFull, refreshToken: string, scopes?: string[], resource?: URL): Promise<OAuthTokens> {
    const owner = this.#deps.grants.ownerOf(refreshToken);
    return this.#audited('refresh', client, owner, () => {
      if (resource && !sameResource(resource, this.#deps.resource)) throw new InvalidTargetError(`this server issues tokens for ${this.#deps.resource.href} only`);
      if (scopes?.some((s) => s !== MCP_SCOPE)) throw new InvalidScopeError(`a refresh can only keep or narrow the scope ${MCP_SCOPE}`);
      return this.#deps.grants.refresh(refreshToken, client.client_id);
    });
  }

  /**
   * Called by requireBearerAuth on every MCP request. Besides our own token,
   * the Entra sign-in behind it must still be good: when Entra refuses to
   * renew it, the session ends here with a 401, and the MCP client signs
   * the user in again.
   */
  async verifyAccessToken(token: string): Promise<SessionAuth> {
    const found = this.#deps.grants.verifyAccess(token);
    if (!found) throw new InvalidTokenError('the access token is unknown, expired or revoked');
    const { grant, expiresAt } = found;
    try {
      await this.#deps.entra.accessToken(grant.homeAccountId);
    } catch (error) {
      if (!(error instanceof EntraSignInEnded)) throw error;
      // Entra refused to renew: the session ends here (401), and the log says so.
      this.#deps.audit.write({ event: 'refresh-refused', outcome: 'failure', userOid: grant.userOid, clientId: grant.clientId, detail: 'entra refused to renew; session ended' });
      await this.#end(grant);
      throw new InvalidTokenError('the Entra ID sign-in behind this session has ended; sign in again');
    }
    return {
      token,
      clientId: grant.clientId,
      scopes: grant.scopes,
      expiresAt,
      ...(grant.resource ? { resource: new URL(grant.resource) } : {}),
      extra: { grantId: grant.id, userOid: grant.userOid, tenantId: grant.tenantId },
    };
  }

  async revokeToken(client: OAuthClientInformationFull, request: OAuthTokenRevocationRequest): Promise<void> {
    const grant = this.#deps.grants.revokeToken(request.token, client.client_id);
    this.#deps.audit.write({ event: 'revoke', outcome: grant ? 'success' : 'failure', clientId: client.client_id, ...(grant ? { userOid: grant.userOid } : { detail: 'unknown token' }) });
    if (grant) await this.#end(grant);
  }

  /** Runs a token endpoint exchange and writes its outcome to the audit log; a refused refresh is its own event. */
  async #audited(event: 'token-issued' | 'refresh', client: OAuthClientInformationFull, owner: { userOid: string } | undefined, action: () => OAuthTokens): Promise<OAuthTokens> {
    const who = { clientId: client.client_id, ...(owner ? { userOid: owner.userOid } : {}) };
    try {
      const tokens = await refusedAsInvalidGrant(action);
      this.#deps.audit.write({ event, outcome: 'success', ...who });
      return tokens;
    } catch (error) {
      this.#deps.audit.write({ event: event === 'refresh' ? 'refresh-refused' : event, outcome: 'failure', ...who, detail: error instanceof Error ? error.name : 'error' });
      throw error;
    }
  }

  /** Ends a grant, and drops the Entra tokens when no other client of the same user still relies on them. */
  async #end(grant: Grant): Promise<void> {
    this.#deps.grants.revokeGrant(grant.id);
    this.#deps.profiles.forget(grant.tenantId, grant.userOid);
    if (this.#deps.grants.liveGrantsOf(grant.homeAccountId).length === 0) await this.#deps.entra.forget(grant.homeAccountId);
  }
}

function sameResource(a: URL, b: URL): boolean {
  const strip = (u: URL) => u.href.replace(/#.*$/, '').replace(/\/$/, '');
  return strip(a) === strip(b);
}

/** Runs a store operation as a promise; the store's refusals become the token endpoint's `invalid_grant`. */
function refusedAsInvalidGrant<T>(action: () => T): Promise<T> {
  return Promise.resolve()
    .then(action)
    .catch((error: unknown) => {
      throw error instanceof GrantRefused ? new InvalidGrantError(error.message) : error;
    });
}
