import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** The MCP SDK client, calling a protected MCP server with an access token from the lab (or Entra). */
export async function listTools(serverUrl: string, accessToken: string): Promise<string[]> {
  const client = new Client({ name: 'my-client', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(serverUrl), { requestInit: { headers: { Authorization: `Bearer ${accessToken}` } } });
  await client.connect(transport);
  try {
    return (await client.listTools()).tools.map((t) => t.name);
  } finally {
    await client.close();
  }
}
