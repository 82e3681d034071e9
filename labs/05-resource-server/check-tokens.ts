import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CheckFailure, LabOAuthClient, connectHttp, oauth, type CheckContext, type LabUser, type ToolResult } from '@mcp-lab/harness';
import { SEED } from '@mcp-lab/mock-idp';

/**
 * What lab 05's checks send a resource server: tokens made by the IdP (a
 * real sign-in, or its admin API's test tokens for the shapes a sign-in
 * does not give), tokens forged with jose, and plain HTTP requests through
 * the recording proxy (PUBLIC_URL).
 */

/** The MCP client's app: pre-registered (Entra has no dynamic registration), public, loopback redirect on any port. */
export const MCP_CLIENT_ID = SEED.apps.publicClient.appId;
export const CLIENT_REDIRECT = 'http://localhost:53682';

/** The API's own client ID: the audience of every token meant for this server. */
export function apiId(ctx: CheckContext): string {
  const id = ctx.env.CLIENT_ID;
  if (!id) throw new CheckFailure('the lab gave the server no CLIENT_ID');
  return id;
}

/**
 * The API may call Graph for every user (User.Read): what an admin grants
 * once in the portal ("Grant admin consent"). Repeating it changes nothing.
 */
export async function consentForGraph(ctx: CheckContext): Promise<void> {
  await ctx.idp.admin('POST', `/apps/${apiId(ctx)}/admin-consent`);
}

/** A test token from the IdP's admin API, signed with its real key (docs/admin-api.md, test tokens). */
export async function mint(ctx: CheckContext, request: Record<string, unknown>): Promise<string> {
  return (await ctx.idp.admin<{ access_token: string }>('POST', '/tokens', request)).access_token;
}

/** A delegated token for this API, as Alice's MCP client would hold it (overrides change one thing at a time). */
export function userToken(ctx: CheckContext, overrides: Record<string, unknown> = {}): Promise<string> {
  return mint(ctx, { user: ctx.user('alice').username, clientId: MCP_CLIENT_ID, audience: apiId(ctx), ...overrides });
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** POST /mcp with an `initialize` request and the given bearer token (none: no Authorization header). */
export async function postMcp(ctx: CheckContext, token: string | undefined, extraHeaders: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(ctx.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...extraHeaders,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'mcp-lab checks', version: '1.0.0' } } }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The parameters of a `WWW-Authenticate: Bearer …` challenge. */
export function challengeOf(answer: Answer): Record<string, string> {
  const header = answer.headers.get('www-authenticate') ?? '';
  if (!/^Bearer\b/i.test(header)) return {};
  return Object.fromEntries([...header.matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/gi)].map((m) => [m[1]!.toLowerCase(), m[2]!.replace(/\\(.)/g, '$1')]));
}

/** Asserts a refusal: 401 with `error="invalid_token"` and the metadata URL, as the MCP authorization spec asks. */
export function assertRefused(answer: Answer, what: string): void {
  assert.equal(answer.status, 401, `${what} got ${answer.status} at /mcp, not 401: the server accepted a token it must refuse`);
  const challenge = challengeOf(answer);
  assert.equal(challenge.error, 'invalid_token', `${what} got 401, but WWW-Authenticate should say error="invalid_token" (it was: ${answer.headers.get('www-authenticate') ?? 'missing'})`);
  assert.ok(challenge.resource_metadata, `${what} got 401 without resource_metadata="…" in WWW-Authenticate`);
}

/** A valid token works: without this, every refusal a check sees would prove nothing. */
export async function assertAccepted(ctx: CheckContext, token: string, what = 'a valid token for this API'): Promise<void> {
  const answer = await postMcp(ctx, token);
  assert.equal(answer.status, 200, `${what} got ${answer.status} at /mcp (${answer.text.slice(0, 200)}), so its refusals below would prove nothing`);
}

/** An MCP client that sends this bearer token with every request (as the Inspector does with --header). */
export async function clientWith(ctx: CheckContext, token: string): Promise<Client> {
  try {
    return await connectHttp(ctx.mcpUrl, { headers: { authorization: `Bearer ${token}` } });
  } catch (error) {
    throw new CheckFailure(`an MCP client with a valid token for this API could not connect (${(error as Error).message}): the server refused a token it must accept, so the checks below would prove nothing`);
  }
}

export async function callTool(client: Client, name: string): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: {} })) as ToolResult;
}

/**
 * The MCP SDK's client as configured for Entra: a pre-registered client ID
 * (no dynamic registration), and no RFC 8707 `resource` parameter, which
 * Entra's v2.0 endpoints refuse (AADSTS901002): the scope names the API.
 */
class EntraMcpClient extends LabOAuthClient {
  validateResourceURL(): Promise<URL | undefined> {
    return Promise.resolve(undefined);
  }
}

/** A person through a real MCP SDK client: 401 → metadata → Entra's sign-in → token → tools. */
export async function signedIn(ctx: CheckContext, user: LabUser): Promise<{ client: Client; oauthClient: LabOAuthClient }> {
  const oauthClient = new EntraMcpClient({
    idpOrigin: new URL(ctx.info.baseUrl).origin,
    username: user.username,
    password: user.password,
    redirectUrl: CLIENT_REDIRECT,
    clientInformation: { client_id: MCP_CLIENT_ID },
  });
  try {
    return { client: await ctx.connectHttp(oauthClient), oauthClient };
  } catch (error) {
    const signedInAtEntra = oauthClient.tokens()?.access_token !== undefined;
    throw new CheckFailure(
      `signing in as ${user.username} through the MCP SDK client did not work: ${(error as Error).message}${signedInAtEntra ? '. Entra did issue a token for your API; your server refused it (its output says why)' : ''}`,
    );
  }
}

/** An ID token the IdP issues to the API app itself (aud = the API's client ID, the right issuer): a sign-in, not an access token. */
export async function idTokenForApi(ctx: CheckContext): Promise<string> {
  const secret = ctx.env.CLIENT_SECRET;
  if (!secret) throw new CheckFailure('the lab gave the server no CLIENT_SECRET');
  const user = ctx.user('alice');
  const tokenEndpoint = `${ctx.info.baseUrl}/${ctx.env.TENANT_ID ?? SEED.tenants.home.id}/oauth2/v2.0/token`;
  const answer = await oauth.tokenRequest(tokenEndpoint, { grant_type: 'password', client_id: apiId(ctx), client_secret: secret, username: user.username, password: user.password, scope: 'openid profile User.Read' });
  const idToken = (answer.body as { id_token?: string }).id_token;
  assert.ok(idToken, `the IdP gave no ID token (${answer.status}: ${answer.text.slice(0, 300)})`);
  return idToken;
}
