import type { OAuthClientInformationFull } from '@modelcontextprotocol/sdk/shared/auth.js';

/**
 * MCP clients known before they ask: the MCP Inspector (its UI runs on
 * port 6274). A pre-registered client still gets the consent page — the
 * person decides, every time, which client may act for them.
 */
export const PRE_REGISTERED_CLIENTS: ReadonlyMap<string, OAuthClientInformationFull> = new Map([
  [
    'mcp-inspector',
    {
      client_id: 'mcp-inspector',
      client_name: 'MCP Inspector',
      redirect_uris: ['http://localhost:6274/oauth/callback', 'http://localhost:6274/oauth/callback/debug'],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
  ],
]);
