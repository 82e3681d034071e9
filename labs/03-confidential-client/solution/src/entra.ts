import { randomBytes } from 'node:crypto';
import { ConfidentialClientApplication, CryptoProvider, LogLevel } from '@azure/msal-node';
import type { Config } from './config.ts';

/** Least privilege: the tool reads the signed-in user's own profile, so User.Read is all this server asks Entra for. */
export const GRAPH_SCOPES = ['User.Read'];

const MICROSOFT_HOSTS = new Set(['login.microsoftonline.com']);

/** What this server must remember between sending the browser to Entra and Entra sending it back. */
export interface EntraSignIn {
  /** Sent to Entra and expected back at /auth/callback: proves the answer belongs to a sign-in this server started. */
  state: string;
  /** Expected inside the ID token: proves the token was made for this sign-in. */
  nonce: string;
  /** PKCE: only this server can redeem the code Entra returns, even if the code leaks. */
  verifier: string;
}

/** Who signed in, as Entra told us: the handle to their tokens in MSAL's cache, never the tokens themselves. */
export interface EntraUser {
  homeAccountId: string;
  oid: string;
  tenantId: string;
  name: string;
}

/** Entra will no longer give tokens for this user without a new sign-in (refresh refused, session revoked, account gone). */
export class EntraSignInEnded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EntraSignInEnded';
  }
}

const random = () => randomBytes(32).toString('base64url');

/**
 * This server as a confidential client of Entra ID: it proves itself with
 * its client secret and keeps every Entra token on the server, in MSAL's
 * cache. MCP clients never see them.
 */
export class Entra {
  readonly #config: Config;
  readonly #msal: ConfidentialClientApplication;
  readonly #crypto = new CryptoProvider();

  constructor(config: Config) {
    this.#config = config;
    const host = new URL(config.authorityHost).host;
    this.#msal = new ConfidentialClientApplication({
      auth: {
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        authority: `${config.authorityHost}/${config.tenantId}`,
        // MSAL validates authorities against Microsoft's instance discovery; any other host must be declared known.
        ...(MICROSOFT_HOSTS.has(host) ? {} : { knownAuthorities: [host] }),
      },
      system: {
        loggerOptions: {
          // Warnings only, and never personal data: MSAL's logs end up in places tokens and names must not.
          logLevel: LogLevel.Warning,
          piiLoggingEnabled: false,
          loggerCallback: (_level, message) => console.error(`[msal] ${message}`),
        },
      },
    });
  }

  /** The Entra sign-in URL for one browser, with a fresh state, nonce and PKCE pair. */
  async signInUrl(): Promise<{ url: string; signIn: EntraSignIn }> {
    const { verifier, challenge } = await this.#crypto.generatePkceCodes();
    const signIn = { state: random(), nonce: random(), verifier };
    const url = await this.#msal.getAuthCodeUrl({
      scopes: GRAPH_SCOPES,
      redirectUri: this.#config.redirectUri.href,
      responseMode: 'query',
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state: signIn.state,
      nonce: signIn.nonce,
    });
    return { url, signIn };
  }

  /** Redeems the code from /auth/callback (MSAL checks the state and the ID token's nonce; we check the tenant). */
  async redeem(code: string, signIn: EntraSignIn): Promise<EntraUser> {
    const result = await this.#msal.acquireTokenByCode(
      { code, redirectUri: this.#config.redirectUri.href, scopes: GRAPH_SCOPES, codeVerifier: signIn.verifier, state: signIn.state, nonce: signIn.nonce },
      { code, state: signIn.state },
    );
    const account = result.account;
    if (!account) throw new Error('Entra returned no account with the tokens');
    // A single-tenant app must only ever see its own tenant; anything else means a misconfigured authority.
    if (account.tenantId !== this.#config.tenantId) throw new Error(`the user signed in to tenant ${account.tenantId}, not ${this.#config.tenantId}`);
    const claims = (result.idTokenClaims ?? {}) as { oid?: string; name?: string };
    return { homeAccountId: account.homeAccountId, oid: claims.oid ?? account.localAccountId, tenantId: account.tenantId, name: claims.name ?? account.username };
  }

  /**
   * A Graph access token for a signed-in user. MSAL returns the cached one
   * while it is fresh and redeems the cached refresh token when it is about
   * to expire — the user is not asked again.
   */
  async accessToken(homeAccountId: string): Promise<string> {
    const account = await this.#msal.getTokenCache().getAccountByHomeId(homeAccountId);
    if (!account) throw new EntraSignInEnded('this server no longer holds a sign-in for the user');
    try {
      const result = await this.#msal.acquireTokenSilent({ account, scopes: GRAPH_SCOPES });
      return result.accessToken;
    } catch (error) {
      // Decide on MSAL's errorCode, never on the error's class (lesson 4's rule). A refresh token Entra no
      // longer accepts (expired, revoked, password changed) arrives as a ServerError with invalid_grant; MSAL
      // makes it an InteractionRequiredAuthError only when Entra adds a suberror, and class checks fail
      // outright when two copies of MSAL are loaded. Each of these codes means: the user must sign in again.
      // https://learn.microsoft.com/entra/identity-platform/msal-error-handling-js
      const code = (error as { errorCode?: string }).errorCode ?? '';
      if (['interaction_required', 'consent_required', 'login_required', 'no_tokens_found', 'refresh_token_expired', 'invalid_grant'].includes(code)) {
        await this.forget(homeAccountId);
        throw new EntraSignInEnded(`Entra refused to renew the sign-in (${code})`);
      }
      throw error;
    }
  }

  /** Drops a user's Entra tokens from the cache (sign-out, revoked session). */
  async forget(homeAccountId: string): Promise<void> {
    const cache = this.#msal.getTokenCache();
    const account = await cache.getAccountByHomeId(homeAccountId);
    if (account) await cache.removeAccount(account);
  }
}
