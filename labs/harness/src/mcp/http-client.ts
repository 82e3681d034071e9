import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';

/** An MCP client over Streamable HTTP (through the recording proxy), optionally with an OAuth provider. */
export async function connectHttp(url: URL, options: { authProvider?: OAuthClientProvider; headers?: Record<string, string> } = {}): Promise<Client> {
  const client = new Client({ name: 'mcp-lab-checks', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(url, {
    ...(options.authProvider ? { authProvider: options.authProvider } : {}),
    ...(options.headers ? { requestInit: { headers: options.headers } } : {}),
  });
  await client.connect(transport);
  return client;
}
