import { randomBytes } from 'node:crypto';
import {
  ConfidentialClientApplication,
  CryptoProvider,
  InteractionRequiredAuthError,
  LogLevel,
  ServerError,
  type Configuration,
  type ICachePlugin,
} from '@azure/msal-node';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Config, Credential } from './config.ts';

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

/** What a federated credential on the app registration expects as audience of the token it trusts. */
export const TOKEN_EXCHANGE = 'api://AzureADTokenExchange';

/**
 * How MSAL proves who this server is, from config. A managed identity's
 * token (fetched from the platform's endpoint whenever MSAL needs one) is
 * the client assertion a federated credential on the app trusts; a
 * certificate signs the assertion with a key that never leaves this
 * machine; a secret is for development only.
 */
function clientCredential(credential: Credential): Pick<NonNullable<Configuration['auth']>, 'clientSecret' | 'clientCertificate' | 'clientAssertion'> {
  switch (credential.kind) {
    case 'managed-identity': {
      // TODO(no-secret): a ManagedIdentityApplication (it reads IDENTITY_ENDPOINT and IDENTITY_HEADER), and
      // { clientAssertion: async () => (await identity.acquireToken({ resource: TOKEN_EXCHANGE })).accessToken }.
      throw new Error('managed-identity credentials are not built yet (TODO(no-secret) in src/entra.ts): set CLIENT_SECRET for now');
    }
    case 'certificate': {
      // TODO(no-secret): { clientCertificate: { thumbprintSha256, privateKey, x5c } } from the PEM in credential.file
      // (node:crypto's X509Certificate gives the SHA-256 fingerprint).
      throw new Error('certificate credentials are not built yet (TODO(no-secret) in src/entra.ts): set CLIENT_SECRET for now');
    }
    case 'secret':
      return { clientSecret: credential.secret };
  }
}

/**
 * This server as a confidential client of Entra ID: it proves itself with
 * the credential config names (no secret, where the platform allows) and keeps every Entra token on the server, in MSAL's
 * cache. MCP clients never see them.
 */
export class Entra {
  readonly #config: Config;
  readonly #msal: ConfidentialClientApplication;
  readonly #crypto = new CryptoProvider();
  readonly #apiKeys: ReturnType<typeof createRemoteJWKSet>;
  readonly #apiAudience: string[];

  /** `cache`: where MSAL's token cache lives between requests and restarts (the encrypted session store). */
  constructor(config: Config, cache: ICachePlugin) {
    this.#config = config;
    this.#apiKeys = createRemoteJWKSet(new URL(`${config.authorityHost}/${config.tenantId}/discovery/v2.0/keys`));
    // api://<app id>/scope: a v2.0 token's aud is the app ID; a v1.0 token's is the App ID URI.
    const uri = config.rolesScope.replace(/\/[^/]*$/, '');
    this.#apiAudience = [uri, uri.replace(/^api:\/\//, '')];
    const host = new URL(config.authorityHost).host;
    this.#msal = new ConfidentialClientApplication({
      auth: {
        clientId: config.clientId,
        ...clientCredential(config.credential),
        authority: `${config.authorityHost}/${config.tenantId}`,
        // MSAL validates authorities against Microsoft's instance discovery; any other host must be declared known.
        ...(MICROSOFT_HOSTS.has(host) ? {} : { knownAuthorities: [host] }),
      },
      cache: { cachePlugin: cache },
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
      // One sign-in consents to both: Graph for the profile, and the API whose roles say what the user may do here.
      extraScopesToConsent: [this.#config.rolesScope],
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
  accessToken(homeAccountId: string): Promise<string> {
    return this.#silent(homeAccountId, GRAPH_SCOPES);
  }

  /**
   * The user's app roles for this server's tools: the `roles` claim of
   * their access token for the API that defines the roles (on a real
   * tenant, this server's own registration). MSAL hands back the cached
   * token until it is renewed, so a role assigned or removed in Entra
   * counts from the next renewal — not at once, and not never. The token
   * is checked (signature, issuer, audience, lifetime) before a claim of it
   * is believed.
   */
  async roles(homeAccountId: string): Promise<string[]> {
    const token = await this.#silent(homeAccountId, [this.#config.rolesScope]);
    const { payload } = await jwtVerify(token, this.#apiKeys, {
      issuer: [`${this.#config.authorityHost}/${this.#config.tenantId}/v2.0`, `https://sts.windows.net/${this.#config.tenantId}/`],
      audience: this.#apiAudience,
    });
    return Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
  }

  async #silent(homeAccountId: string, scopes: string[]): Promise<string> {
    const account = await this.#msal.getTokenCache().getAccountByHomeId(homeAccountId);
    if (!account) throw new EntraSignInEnded('this server no longer holds a sign-in for the user');
    try {
      // MSAL renews a token five minutes before it expires (or at once, when it lives shorter than that): never after a refusal.
      const result = await this.#msal.acquireTokenSilent({ account, scopes });
      return result.accessToken;
    } catch (error) {
      // invalid_grant: Entra refused the refresh token (expired, revoked, password changed); MSAL only
      // calls that "interaction required" when Entra adds a suberror, so both mean: sign in again.
      if (error instanceof InteractionRequiredAuthError || (error instanceof ServerError && error.errorCode === 'invalid_grant')) {
        await this.forget(homeAccountId);
        throw new EntraSignInEnded(`Entra refused to renew the sign-in (${error.errorCode || 'interaction required'})`);
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
