import assert from 'node:assert/strict';
import http from 'node:http';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CheckFailure, browseAuthorization, oauth, toolText, type BrowseOptions, type BrowseResult, type CheckContext, type LabOAuthClient, type LabUser, type ToolResult } from '@mcp-lab/harness';
import { CookieJar, parseForms } from '@mcp-lab/mock-idp';

/**
 * The flows lab 03's checks drive against a server, one request at a time
 * where a check must step off the happy path: signing in (as an MCP client
 * or by hand), the consent form, and requests a browser or an attacker
 * would send. Every request goes through the recording proxy (PUBLIC_URL).
 */

export const CLIENT_REDIRECT = 'http://localhost:53682/mcp-lab/callback';

/** The IdP's origin: where the server sends the browser to sign in. */
export const idpOrigin = (ctx: CheckContext) => new URL(ctx.info.baseUrl).origin;

/** Connects as `user` through the full flow and returns the client and its OAuth state. */
export async function signedIn(ctx: CheckContext, user: LabUser, clientName = 'mcp-lab checks'): Promise<{ client: Client; oauthClient: LabOAuthClient }> {
  const oauthClient = ctx.oauthClient(user, { clientName, redirectUrl: CLIENT_REDIRECT });
  try {
    return { client: await ctx.connectHttp(oauthClient), oauthClient };
  } catch (error) {
    throw new CheckFailure(`signing in as ${user.username} through the MCP client did not work: ${(error as Error).message}`);
  }
}

export async function callProfile(client: Client): Promise<ToolResult> {
  return (await client.callTool({ name: 'get_user_details', arguments: {} })) as ToolResult;
}

export function assertProfileOf(result: ToolResult, user: LabUser): void {
  const text = toolText(result);
  assert.ok(!result.isError, `get_user_details answered with an error: ${text.slice(0, 300)}`);
  assert.ok(text.includes(user.displayName), `get_user_details should return ${user.username}'s Graph profile (displayName "${user.displayName}"), but returned: ${text.slice(0, 300)}`);
}

export type Metadata = Awaited<ReturnType<typeof asMetadata>>;

export async function asMetadata(ctx: CheckContext) {
  const meta = await oauth.authorizationServerMetadata(ctx.publicUrl);
  if (meta.status !== 200) throw new CheckFailure(`GET /.well-known/oauth-authorization-server answered ${meta.status}: is the SDK's mcpAuthRouter mounted at the root?`);
  const { authorization_endpoint, token_endpoint, registration_endpoint } = meta.body;
  if (!authorization_endpoint || !token_endpoint || !registration_endpoint) throw new CheckFailure('the authorization server metadata lacks authorization_endpoint, token_endpoint or registration_endpoint');
  return { ...meta.body, authorization_endpoint, token_endpoint, registration_endpoint };
}

export async function registered(ctx: CheckContext, name: string, redirectUri = CLIENT_REDIRECT): Promise<string> {
  const meta = await asMetadata(ctx);
  const answer = await oauth.registerClient(meta.registration_endpoint, { client_name: name, redirect_uris: [redirectUri] });
  if (answer.status !== 201 || !answer.body.client_id) throw new CheckFailure(`dynamic client registration answered ${answer.status}: ${answer.text.slice(0, 200)}`);
  return answer.body.client_id;
}

/** A new client's authorization request (PKCE, the client's state, this server's /mcp as the resource). */
export function authorizeUrl(ctx: CheckContext, meta: Metadata, clientId: string, state = 'client-state-1', redirectUri = CLIENT_REDIRECT): URL {
  return oauth.authorizationUrl(meta.authorization_endpoint, { clientId, redirectUri, challenge: oauth.newPkce().challenge, state, resource: ctx.mcpUrl.href });
}

/** A person's browser from `start` until `until` (browseAuthorization); a journey that stops on the way fails the check. */
export async function browse(start: URL, options: BrowseOptions): Promise<BrowseResult> {
  try {
    return await browseAuthorization(start, options);
  } catch (error) {
    throw new CheckFailure(`the sign-in did not come back to the client: ${(error as Error).message}`);
  }
}

/** Runs the browser part of the flow by hand: a fresh client, consent, sign-in, and the code the server sends back. */
export async function codeFor(ctx: CheckContext, user: LabUser): Promise<{ clientId: string; code: string; pkce: oauth.Pkce; meta: Metadata }> {
  const meta = await asMetadata(ctx);
  const clientId = await registered(ctx, 'mcp-lab manual client');
  const pkce = oauth.newPkce();
  const url = oauth.authorizationUrl(meta.authorization_endpoint, { clientId, redirectUri: CLIENT_REDIRECT, challenge: pkce.challenge, state: 'client-state-1', resource: ctx.mcpUrl.href });
  const end = await browse(url, { ...user, idpOrigin: idpOrigin(ctx), until: (u) => u.href.startsWith(CLIENT_REDIRECT) });
  const code = end.url.searchParams.get('code');
  if (!code) throw new CheckFailure(`the server sent the browser back without a code: ${end.url.search}`);
  assert.equal(end.url.searchParams.get('state'), 'client-state-1', "the server must return the client's own state unchanged with the code");
  return { clientId, code, pkce, meta };
}

export async function redeem(meta: { token_endpoint: string }, clientId: string, code: string, verifier: string | undefined, redirectUri: string | undefined = CLIENT_REDIRECT) {
  return oauth.tokenRequest(meta.token_endpoint, { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: verifier, redirect_uri: redirectUri });
}

export function refresh(meta: { token_endpoint: string }, clientId: string, refreshToken: string) {
  return oauth.tokenRequest(meta.token_endpoint, { grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken });
}

/** Signs `user` in by hand and redeems the code: this server's access and refresh token for a fresh client. */
export async function tokensFor(ctx: CheckContext, user: LabUser): Promise<{ clientId: string; meta: Metadata; access: string; refresh: string; expiresIn: unknown }> {
  const { clientId, code, pkce, meta } = await codeFor(ctx, user);
  const tokens = await redeem(meta, clientId, code, pkce.verifier);
  const { access_token: access, refresh_token: refreshToken, expires_in: expiresIn } = tokens.body;
  if (tokens.status !== 200 || !access || !refreshToken) throw new CheckFailure(`redeeming the authorization code gave no access and refresh token (${tokens.status}: ${tokens.text.slice(0, 200)})`);
  return { clientId, meta, access, refresh: refreshToken, expiresIn };
}

const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'mcp-lab raw', version: '1.0.0' } } };

/**
 * An MCP initialize request (or, with a session, a tool call) with a bearer
 * token: the status says whether the server accepts the request. `origin`
 * is the browser's Origin header; `query` is added to /mcp's URL.
 */
export async function mcpStatus(
  ctx: CheckContext,
  token: string | undefined,
  options: { sessionId?: string; origin?: string; query?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers }> {
  const url = new URL(ctx.mcpUrl);
  for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, value);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(options.origin ? { origin: options.origin } : {}),
      ...(options.sessionId ? { 'mcp-session-id': options.sessionId, 'mcp-protocol-version': '2025-06-18' } : {}),
    },
    body: JSON.stringify(options.sessionId ? { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get_user_details', arguments: {} } } : INITIALIZE),
  });
  await response.body?.cancel();
  return { status: response.status, headers: response.headers };
}

/**
 * A request with a Host header of our choosing (fetch will not send one):
 * what a browser sends after DNS rebinding, when a name the attacker owns
 * resolves to this machine.
 */
export function requestWithHost(url: URL, host: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { hostname: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: options.method ?? 'GET', headers: { ...options.headers, host }, timeout: 10_000 },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url.href} within 10 s`)));
    request.on('error', reject);
    request.end(options.body);
  });
}

/** The MCP initialize request as raw HTTP, for requestWithHost. */
export function initializeRequest(token: string): { method: string; headers: Record<string, string>; body: string } {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify(INITIALIZE),
  };
}

const idpAuthorizeEvents = async (ctx: CheckContext) => (await ctx.trace(ctx.env.CLIENT_ID)).filter((e) => e.type === 'authorize');
export const idpAuthorizeCount = async (ctx: CheckContext) => (await idpAuthorizeEvents(ctx)).length;

/** No Location header: a refused request must not send the browser anywhere. */
export function assertNoRedirect(answer: { status: number; headers: Headers }, what: string): void {
  assert.ok(answer.status >= 400 && answer.status < 500, `${what} should be refused with a 4xx answer, not ${answer.status}`);
  assert.equal(answer.headers.get('location'), null, `${what} must not redirect (it went to ${answer.headers.get('location')})`);
}

/** A consent page as one browser got it: the page, its headers, the form with the decision buttons, and the browser's cookies. */
export interface ConsentPage {
  status: number;
  headers: Headers;
  page: string;
  jar: CookieJar;
  action: URL;
  fields: Map<string, string>;
}

/** GET /authorize in a browser of its own (a fresh cookie jar): the server's consent page. */
export async function consentPage(url: URL, jar = new CookieJar()): Promise<ConsentPage> {
  const response = await fetch(url, { headers: { accept: 'text/html' }, redirect: 'manual' });
  jar.store(url, response.headers.getSetCookie());
  const page = await response.text();
  const where = response.headers.get('location');
  if (response.status !== 200) throw new CheckFailure(`GET /authorize for a new client answered ${response.status}${where ? ` → ${where}` : ''} instead of a consent page`);
  const form = parseForms(page, url).find((f) => f.buttons.has('decision'));
  if (!form) throw new CheckFailure('the consent page has no form with decision buttons (Allow / Deny)');
  return { status: response.status, headers: response.headers, page, jar, action: new URL(form.action), fields: form.fields };
}

/**
 * Posts a consent form as a browser on this server's page would (same-origin
 * Origin), with the cookies of `cookiesFrom` (none when undefined).
 */
export async function postConsent(form: Pick<ConsentPage, 'action' | 'fields'>, decision: 'approve' | 'deny', cookiesFrom: CookieJar | undefined, fields = form.fields): Promise<{ status: number; headers: Headers; text: string }> {
  const body = new URLSearchParams([...fields]);
  body.set('decision', decision);
  const cookie = cookiesFrom?.header(form.action);
  const response = await fetch(form.action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: form.action.origin, accept: 'text/html', ...(cookie ? { cookie } : {}) },
    body,
  });
  cookiesFrom?.store(form.action, response.headers.getSetCookie());
  return { status: response.status, headers: response.headers, text: await response.text() };
}
