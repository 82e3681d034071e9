import type { Response } from 'express';
import type { AuthorizationParams, OAuthServerProvider } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { InvalidGrantError, InvalidScopeError, InvalidTargetError, InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthClientInformationFull, OAuthTokenRevocationRequest, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { ClientsStore } from './clients-store.ts';
import type { Entra } from './entra.ts';
import { GrantRefused, type Grant, type GrantStore } from './grants.ts';
import { consentPage } from './pages.ts';
import type { PendingSignIns } from './pending-sign-ins.ts';

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

  async authorize(client: OAuthClientInformationFull, params: AuthorizationParams, res: Response): Promise<void> {
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
    return refusedAsInvalidGrant(() => {
      if (resource && !sameResource(resource, this.#deps.resource)) throw new InvalidTargetError(`this server issues tokens for ${this.#deps.resource.href} only`);
      return this.#deps.grants.redeemCode(authorizationCode, client.client_id, redirectUri);
    });
  }

  exchangeRefreshToken(client: OAuthClientInformationFull, refreshToken: string, scopes?: string[], resource?: URL): Promise<OAuthTokens> {
    return refusedAsInvalidGrant(() => {
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
    // TODO(verify): look the token up with this.#deps.grants.verifyAccess(token); unknown, expired or
    // revoked → throw new InvalidTokenError(…) (requireBearerAuth answers 401 with WWW-Authenticate).
    // Then make sure the Entra sign-in behind the grant still holds: await this.#deps.entra.accessToken(…).
    // If that throws EntraSignInEnded, end the grant (this.#end) and throw InvalidTokenError too.
    // Return { token, clientId, scopes, expiresAt, resource, extra: { grantId, userOid, tenantId } }.
    throw new InvalidTokenError('token verification is still a TODO in src/oauth-provider.ts');
  }

  async revokeToken(client: OAuthClientInformationFull, request: OAuthTokenRevocationRequest): Promise<void> {
    const grant = this.#deps.grants.revokeToken(request.token, client.client_id);
    if (grant) await this.#end(grant);
  }

  /** Ends a grant, and drops the Entra tokens when no other client of the same user still relies on them. */
  async #end(grant: Grant): Promise<void> {
    this.#deps.grants.revokeGrant(grant.id);
    if (this.#deps.grants.liveGrantsOf(grant.homeAccountId).length === 0) await this.#deps.entra.forget(grant.homeAccountId);
  }
}

function sameResource(a: URL, b: URL): boolean {
  const strip = (u: URL) => u.href.replace(/#.*$/, '').replace(/\/$/, '');
  return strip(a) === strip(b);
}

/** Runs a store operation for the token endpoint: the store's refusals become `invalid_grant`. */
async function refusedAsInvalidGrant<T>(action: () => T): Promise<T> {
  try {
    return action();
  } catch (error) {
    throw error instanceof GrantRefused ? new InvalidGrantError(error.message) : error;
  }
}
