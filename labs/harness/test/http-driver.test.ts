import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp } from '../src/mcp/http-client.ts';
import { startRecordingProxy, type RecordingProxy } from '../src/mcp/recording-proxy.ts';

/** A tiny stateless MCP server over Streamable HTTP that wants a bearer token, as lab servers do. */
function mcpServer(): http.Server {
  return http.createServer((req, res) => {
    if (req.headers.authorization !== 'Bearer good-token') {
      res.writeHead(401, { 'www-authenticate': 'Bearer resource_metadata="http://localhost/.well-known/oauth-protected-resource"', 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_token' }));
      return;
    }
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const server = new McpServer({ name: 'fixture', version: '1.0.0' });
      server.registerTool('whoami', { description: 'who' }, () => ({ content: [{ type: 'text', text: 'alice' }] }));
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      void server.connect(transport).then(() => transport.handleRequest(req, res, body ? (JSON.parse(body) as unknown) : undefined));
    });
  });
}

let upstream: http.Server;
let proxy: RecordingProxy;
beforeAll(async () => {
  upstream = mcpServer();
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  proxy = await startRecordingProxy(new URL(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`));
});
afterAll(async () => {
  await proxy.close();
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

describe('the Streamable HTTP driver through the recording proxy', () => {
  it('talks MCP through the proxy, and the proxy records each exchange with its bodies', async () => {
    const client = await connectHttp(new URL('/mcp', proxy.url), { headers: { authorization: 'Bearer good-token' } });
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect((result.content as { text: string }[])[0]?.text).toBe('alice');
    await client.close();
    const posts = proxy.exchanges.filter((e) => e.method === 'POST' && e.path === '/mcp');
    expect(posts.length).toBeGreaterThanOrEqual(2);
    expect(posts.some((e) => e.requestBody.includes('"method":"initialize"'))).toBe(true);
    expect(posts.some((e) => e.requestBody.includes('"whoami"') && e.responseBody.includes('alice'))).toBe(true);
  });

  it('records a refusal: the 401 and its WWW-Authenticate, as a check would assert on them', async () => {
    const before = proxy.exchanges.length;
    await expect(connectHttp(new URL('/mcp', proxy.url))).rejects.toThrow();
    const refused = proxy.exchanges.slice(before).find((e) => e.status === 401);
    expect(refused?.responseHeaders['www-authenticate']).toContain('resource_metadata=');
  });

  it('answers 502 with a clear message, and records it, when the server is gone', async () => {
    const dead = await startRecordingProxy(new URL('http://127.0.0.1:1'));
    try {
      const response = await fetch(new URL('/mcp', dead.url));
      expect(response.status).toBe(502);
      expect(await response.text()).toContain('did not answer');
      expect(dead.exchanges[0]).toMatchObject({ status: 502, path: '/mcp' });
    } finally {
      await dead.close();
    }
  });
});
