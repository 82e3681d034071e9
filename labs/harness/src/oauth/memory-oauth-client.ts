import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

/**
 * The storage half of the SDK's OAuthClientProvider for a desktop-style MCP
 * client that lives for one run: its registration, tokens and PKCE verifier
 * in memory, and the metadata of a public client with one redirect URI.
 * Subclasses decide how the person gets to the authorization URL.
 */
export abstract class MemoryOAuthClient implements OAuthClientProvider {
  readonly redirectUrl: string;
  readonly #clientName: string;
  readonly #given: OAuthClientInformationMixed | undefined;
  #client: OAuthClientInformationMixed | undefined;
  #tokens: OAuthTokens | undefined;
  #verifier = '';

  constructor(options: { redirectUrl: string; clientName: string; clientInformation?: OAuthClientInformationMixed }) {
    this.redirectUrl = options.redirectUrl;
    this.#clientName = options.clientName;
    this.#given = options.clientInformation;
    this.#client = options.clientInformation;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.#clientName,
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.#client;
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.#client = info;
  }

  tokens(): OAuthTokens | undefined {
    return this.#tokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.#tokens = tokens;
  }

  saveCodeVerifier(verifier: string): void {
    this.#verifier = verifier;
  }

  codeVerifier(): string {
    return this.#verifier;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'tokens') this.#tokens = undefined;
    if (scope === 'all' || scope === 'client') this.#client = this.#given;
    if (scope === 'all' || scope === 'verifier') this.#verifier = '';
  }

  abstract redirectToAuthorization(authorizationUrl: URL): void | Promise<void>;
}
