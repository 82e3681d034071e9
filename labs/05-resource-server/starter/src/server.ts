import express, { type NextFunction, type Request, type Response } from 'express';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { authorizationServer, loadEntraMetadata } from './entra-metadata.ts';
import { OnBehalfOf, describeCredential } from './on-behalf-of.ts';
import { requireToken } from './require-token.ts';
import { createMcpServer } from './tools.ts';
import { tokenVerifier } from './verify-token.ts';

/** A configuration problem ends the start with its code and fix, not a stack trace; anything else is a bug and keeps its stack. */
function loadOrExplain(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`[${error.code}] ${error.message}`);
    process.exit(1);
  }
}

const config = loadOrExplain();
const mcpUrl = new URL('/mcp', config.publicUrl);
const metadata = await loadEntraMetadata(config);
const verify = tokenVerifier(config, metadata);
const obo = new OnBehalfOf(config);

/**
 * RFC 9728 protected-resource metadata: where a client that got a 401 learns
 * which authorization server to sign in at (Entra's v2.0 issuer for this
 * tenant, whose OpenID configuration the client reads next) and which scope
 * to ask for. Entra cannot register clients dynamically, so the client must
 * already know its own client ID; this document tells it the rest.
 */
const protectedResource = {
  resource: mcpUrl.href,
  authorization_servers: [authorizationServer(config)],
  scopes_supported: [`${config.appIdUri}/${config.scope}`],
  bearer_methods_supported: ['header'],
  resource_name: 'MCP × Entra ID lab 05',
};

const app = express();
app.disable('x-powered-by');
// DNS rebinding: a page on evil.example that resolves to 127.0.0.1 still sends "Host: evil.example".
app.use(hostHeaderValidation([config.publicUrl.hostname]));

// The path-suffixed form (RFC 9728 §3.1) for /mcp, and the root form for clients that look there first.
app.get(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'], (_req, res) => {
  res.set('Cache-Control', 'max-age=3600').json(protectedResource);
});

app.use('/mcp', express.json({ limit: '1mb' }), requireToken(verify, getOAuthProtectedResourceMetadataUrl(mcpUrl)), async (req: Request, res: Response) => {
  // Stateless: every request carries its own token, verified above; no session outlives it.
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  const server = createMcpServer({ config, obo });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});

// Last: whatever failed unexpectedly is logged here and answered without details (Express's default handler sends the stack).
app.use((error: Error, req: Request, res: Response, next: NextFunction) => {
  console.error(`[server] ${req.method} ${req.path} failed: ${error.message}`);
  if (res.headersSent) {
    next(error);
    return;
  }
  res.status(500).type('text/plain').send('The server could not complete this request; its log says why.');
});

// The loopback interface only: a server reached from elsewhere belongs behind a reverse proxy with TLS.
app.listen(config.port, '127.0.0.1', (error?: Error) => {
  if (error) {
    console.error(`Could not listen on port ${config.port}: ${error.message}. Is another server using it? Set PORT (and PUBLIC_URL) to another port.`);
    process.exit(1);
  }
  console.error(`MCP server (resource server, v${config.tokenVersion}.0 tokens; on-behalf-of with ${describeCredential(config.credential)}) listening on ${mcpUrl.href}`);
});
