import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError, auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { CookieJar } from '@mcp-lab/mock-idp';
import { browseAuthorization, type BrowseResult } from './browser.ts';
import { MemoryOAuthClient } from './memory-oauth-client.ts';

export interface LabOAuthClientOptions {
  username: string;
  password: string;
  idpOrigin: string;
  /** Shown on the server's consent page. */
  clientName?: string;
  /** The client's redirect URI; nothing listens there — the browser journey stops when it is reached. */
  redirectUrl?: string;
  serverConsent?: 'approve' | 'deny';
  idpConsent?: 'accept' | 'cancel';
  /** A pre-registered client's information (skips dynamic registration). */
  clientInformation?: OAuthClientInformationMixed;
  /** One browser for several clients: single sign-on at the IdP, like a person's browser. */
  jar?: CookieJar;
}

/**
 * The MCP SDK's OAuthClientProvider, as a person at a desktop MCP client:
 * registers dynamically (unless given client information), and when the
 * SDK sends the user to authorize, plays the person through the server's
 * consent page and the IdP, and keeps the code that comes back. Everything
 * is in memory; each check makes its own.
 */
export class LabOAuthClient extends MemoryOAuthClient {
  readonly options: LabOAuthClientOptions;
  readonly jar: CookieJar;
  /** Every authorization URL the SDK asked the user to open, and what the browser journey gave. */
  readonly journeys: { authorizationUrl: URL; result?: BrowseResult; error?: Error }[] = [];
  #code: string | undefined;

  constructor(options: LabOAuthClientOptions) {
    super({
      redirectUrl: options.redirectUrl ?? 'http://localhost:53682/mcp-lab/callback',
      clientName: options.clientName ?? 'mcp-lab checks',
      ...(options.clientInformation ? { clientInformation: options.clientInformation } : {}),
    });
    this.options = options;
    this.jar = options.jar ?? new CookieJar();
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    const journey: (typeof this.journeys)[number] = { authorizationUrl };
    this.journeys.push(journey);
    try {
      journey.result = await browseAuthorization(authorizationUrl, {
        username: this.options.username,
        password: this.options.password,
        idpOrigin: this.options.idpOrigin,
        jar: this.jar,
        until: (url) => url.href.startsWith(this.redirectUrl),
        ...(this.options.serverConsent ? { serverConsent: this.options.serverConsent } : {}),
        ...(this.options.idpConsent ? { idpConsent: this.options.idpConsent } : {}),
      });
      this.#code = journey.result.url.searchParams.get('code') ?? undefined;
    } catch (error) {
      journey.error = error as Error;
      this.#code = undefined;
    }
  }

  /** The authorization code the last journey brought back (once), or why there is none. */
  takeCode(): string {
    const code = this.#code;
    this.#code = undefined;
    if (code) return code;
    const last = this.journeys.at(-1);
    if (!last) throw new Error('the server never asked the client to authorize (no 401 with a way to sign in?)');
    if (last.error) throw last.error;
    const params = last.result?.url.searchParams;
    throw new Error(`the server sent the browser back without a code${params?.get('error') ? `: ${params.get('error')} ${params.get('error_description') ?? ''}` : ''}`);
  }
}

export interface OAuthConnection {
  client: Client;
  transport: StreamableHTTPClientTransport;
}

/**
 * Connects an MCP client over Streamable HTTP as a desktop client would:
 * try, and on 401 let the SDK discover the server's authorization server,
 * register, send the person to sign in (played by `provider`), exchange the
 * code, and connect again with the token.
 */
export async function connectWithOAuth(mcpUrl: URL, provider: LabOAuthClient, signal?: AbortSignal): Promise<OAuthConnection> {
  const attempt = async (): Promise<OAuthConnection> => {
    const transport = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
    const client = new Client({ name: 'mcp-lab-checks', version: '1.0.0' });
    await client.connect(transport, signal ? { signal } : undefined);
    return { client, transport };
  };
  try {
    return await attempt();
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    const transport = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
    await transport.finishAuth(provider.takeCode());
    return await attempt();
  }
}

/**
 * Signs in to an MCP server's own authorization server as an MCP client
 * would (discovery, registration, the person's consent and sign-in, code
 * exchange) and returns the server's tokens — for curl or the MCP Inspector
 * (`mcp-lab token --server`). No MCP session is opened.
 */
export async function signInToServer(mcpUrl: URL, provider: LabOAuthClient): Promise<OAuthTokens> {
  if ((await auth(provider, { serverUrl: mcpUrl })) !== 'AUTHORIZED') {
    const result = await auth(provider, { serverUrl: mcpUrl, authorizationCode: provider.takeCode() });
    if (result !== 'AUTHORIZED') throw new Error(`the server did not issue tokens after the sign-in (${result})`);
  }
  const tokens = provider.tokens();
  if (!tokens) throw new Error('the server answered without tokens');
  return tokens;
}
