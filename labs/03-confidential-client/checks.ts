import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CheckFailure, browseAuthorization, defineLab, oauth, scanForLeaks, type CheckContext, type LabOAuthClient, type LabUser } from '@mcp-lab/harness';
import { CookieJar } from '@mcp-lab/mock-idp';

/**
 * Lab 03 — the confidential client. Black-box checks over HTTP: every
 * request goes through the harness's recording proxy (the server's
 * PUBLIC_URL), a person is played through the server's consent page and
 * the IdP's sign-in, and the IdP's trace says what the server did at Entra.
 */

const CLIENT_REDIRECT = 'http://localhost:53682/mcp-lab/callback';
const PROFILE: Record<string, string> = { 'alice@contoso.test': 'Alice Jansen', 'bob@contoso.test': 'Bob de Vries' };

interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
}

const textOf = (result: ToolResult) => result.content.map((c) => c.text ?? '').join('\n');

/** Connects as `user` through the full flow and returns the client and its OAuth state. */
async function signedIn(ctx: CheckContext, user: LabUser, clientName = 'mcp-lab checks'): Promise<{ client: Client; oauthClient: LabOAuthClient }> {
  const oauthClient = ctx.oauthClient(user, { clientName, redirectUrl: CLIENT_REDIRECT });
  try {
    return { client: await ctx.connectHttp(oauthClient), oauthClient };
  } catch (error) {
    throw new CheckFailure(`signing in as ${user.username} through the MCP client did not work: ${(error as Error).message}`);
  }
}

async function callProfile(client: Client): Promise<ToolResult> {
  return (await client.callTool({ name: 'get_user_details', arguments: {} })) as ToolResult;
}

function assertProfileOf(result: ToolResult, user: LabUser): void {
  const text = textOf(result);
  assert.ok(!result.isError, `get_user_details answered with an error: ${text.slice(0, 300)}`);
  const name = PROFILE[user.username] ?? user.username;
  assert.ok(text.includes(name), `get_user_details should return ${user.username}'s Graph profile (displayName "${name}"), but returned: ${text.slice(0, 300)}`);
}

async function asMetadata(ctx: CheckContext) {
  const meta = await oauth.authorizationServerMetadata(ctx.publicUrl);
  if (meta.status !== 200) throw new CheckFailure(`GET /.well-known/oauth-authorization-server answered ${meta.status}: is the SDK's mcpAuthRouter mounted at the root?`);
  const { authorization_endpoint, token_endpoint, registration_endpoint } = meta.body;
  if (!authorization_endpoint || !token_endpoint || !registration_endpoint) throw new CheckFailure('the authorization server metadata lacks authorization_endpoint, token_endpoint or registration_endpoint');
  return { ...meta.body, authorization_endpoint, token_endpoint, registration_endpoint };
}

async function registered(ctx: CheckContext, name: string, redirectUri = CLIENT_REDIRECT): Promise<string> {
  const meta = await asMetadata(ctx);
  const answer = await oauth.registerClient(meta.registration_endpoint, { client_name: name, redirect_uris: [redirectUri] });
  if (answer.status !== 201 || !answer.body.client_id) throw new CheckFailure(`dynamic client registration answered ${answer.status}: ${answer.text.slice(0, 200)}`);
  return answer.body.client_id;
}

/** Runs the browser part of the flow by hand: a fresh client, consent, sign-in, and the code the server sends back. */
async function codeFor(ctx: CheckContext, user: LabUser): Promise<{ clientId: string; code: string; pkce: oauth.Pkce; meta: Awaited<ReturnType<typeof asMetadata>> }> {
  const meta = await asMetadata(ctx);
  const clientId = await registered(ctx, 'mcp-lab manual client');
  const pkce = oauth.newPkce();
  const url = oauth.authorizationUrl(meta.authorization_endpoint, { clientId, redirectUri: CLIENT_REDIRECT, challenge: pkce.challenge, state: 'client-state-1', resource: ctx.mcpUrl.href });
  const end = await browseAuthorization(url, { ...user, idpOrigin: new URL(ctx.info.baseUrl).origin, until: (u) => u.href.startsWith(CLIENT_REDIRECT) }).catch((error: Error) => {
    throw new CheckFailure(`the sign-in did not come back to the client: ${error.message}`);
  });
  const code = end.url.searchParams.get('code');
  if (!code) throw new CheckFailure(`the server sent the browser back without a code: ${end.url.search}`);
  assert.equal(end.url.searchParams.get('state'), 'client-state-1', "the server must return the client's own state unchanged with the code");
  return { clientId, code, pkce, meta };
}

async function redeem(meta: { token_endpoint: string }, clientId: string, code: string, verifier: string | undefined, redirectUri = CLIENT_REDIRECT) {
  return oauth.tokenRequest(meta.token_endpoint, { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: verifier, redirect_uri: redirectUri });
}

/** An MCP initialize request with a bearer token: the status says whether the server accepts the token. */
async function mcpStatus(ctx: CheckContext, token: string | undefined, sessionId?: string): Promise<{ status: number; headers: Headers }> {
  const response = await fetch(ctx.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(sessionId ? { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' } : {}),
    },
    body: JSON.stringify(
      sessionId
        ? { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get_user_details', arguments: {} } }
        : { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'mcp-lab raw', version: '1.0.0' } } },
    ),
  });
  await response.body?.cancel();
  return { status: response.status, headers: response.headers };
}

const idpAuthorizeCount = async (ctx: CheckContext) => (await ctx.trace(ctx.env.CLIENT_ID)).filter((e) => e.type === 'authorize').length;

/** No Location header: a refused request must not send the browser anywhere. */
function assertNoRedirect(answer: { status: number; headers: Headers }, what: string): void {
  assert.ok(answer.status >= 400 && answer.status < 500, `${what} should be refused with a 4xx answer, not ${answer.status}`);
  assert.equal(answer.headers.get('location'), null, `${what} must not redirect (it went to ${answer.headers.get('location')})`);
}

export default defineLab({
  manifestVersion: 1,
  id: '03-confidential-client',
  title: 'The confidential client: a remote MCP server with the authorization code flow',
  titleNl: 'De confidential client: een externe MCP-server met de authorization code flow',
  lesson: '/en/06-labs/03-confidential-client',
  transport: 'http',
  start: { command: ['node', 'src/server.ts'], ready: 'listening on' },
  env: ['AUTHORITY_HOST', 'TENANT_ID', 'CLIENT_ID', 'CLIENT_SECRET', 'REDIRECT_URI', 'GRAPH_BASE_URL', 'PORT', 'PUBLIC_URL', 'LAB_CACHE_DIR'],
  seededApp: 'webServer',
  timeouts: { checkMs: 40_000, labMs: 400_000 },
  checks: [
    {
      id: 'requires-token',
      title: '/mcp without a valid token answers 401 with a WWW-Authenticate that leads to the metadata',
      points: 1,
      hint: "Protect /mcp with the SDK's requireBearerAuth, giving it resourceMetadataUrl (getOAuthProtectedResourceMetadataUrl of your /mcp URL).",
      lessonStep: '#step-1-protect-mcp',
      taskId: 1,
      testCode: "const res = await fetch(`${PUBLIC_URL}/mcp`, { method: 'POST', body: initialize });\nassert.equal(res.status, 401);\nassert.match(res.headers.get('www-authenticate'), /resource_metadata=/);",
      run: async (ctx) => {
        await ctx.startServer();
        const anonymous = await mcpStatus(ctx, undefined);
        assert.equal(anonymous.status, 401, `POST /mcp without a token answered ${anonymous.status}`);
        const challenge = anonymous.headers.get('www-authenticate') ?? '';
        assert.match(challenge, /^Bearer /i, 'the 401 needs a WWW-Authenticate: Bearer … header');
        const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
        assert.ok(metadataUrl, `WWW-Authenticate should carry resource_metadata="…" (it was: ${challenge})`);
        const prm = await oauth.protectedResourceMetadata(metadataUrl);
        assert.equal(prm.status, 200, `the resource_metadata URL ${metadataUrl} answered ${prm.status}`);
        const forged = await mcpStatus(ctx, 'not-a-token-this-server-issued');
        assert.equal(forged.status, 401, `a made-up bearer token got ${forged.status}, not 401`);
        assert.match(forged.headers.get('www-authenticate') ?? '', /invalid_token/, 'a bad token gets error="invalid_token" in WWW-Authenticate');
      },
    },
    {
      id: 'metadata',
      title: 'the authorization-server and protected-resource metadata are correct',
      points: 1,
      hint: "mcpAuthRouter serves both: give it issuerUrl (PUBLIC_URL) and resourceServerUrl (PUBLIC_URL + '/mcp'), and a provider with clientsStore.registerClient and revokeToken.",
      lessonStep: '#step-2-the-authorization-server',
      taskId: 1,
      testCode: "const as = await get('/.well-known/oauth-authorization-server');\nassert.equal(as.issuer, PUBLIC_URL + '/');\nassert.ok(as.code_challenge_methods_supported.includes('S256'));\nconst prm = await get('/.well-known/oauth-protected-resource/mcp');\nassert.equal(prm.resource, PUBLIC_URL + '/mcp');",
      run: async (ctx) => {
        await ctx.startServer();
        const as = await asMetadata(ctx);
        const origin = ctx.publicUrl.origin;
        assert.equal(String(as.issuer).replace(/\/$/, ''), origin, `issuer should be PUBLIC_URL (${origin}), not ${String(as.issuer)}`);
        for (const [name, value] of Object.entries({ authorization_endpoint: as.authorization_endpoint, token_endpoint: as.token_endpoint, registration_endpoint: as.registration_endpoint })) {
          assert.equal(new URL(value).origin, origin, `${name} (${value}) should be on PUBLIC_URL ${origin}`);
        }
        assert.ok(as.code_challenge_methods_supported?.includes('S256'), 'code_challenge_methods_supported must include S256');
        assert.ok(as.grant_types_supported?.includes('refresh_token'), 'grant_types_supported must include refresh_token');
        assert.ok(as.revocation_endpoint, 'revocation_endpoint is missing: implement revokeToken in the provider');
        const prm = await oauth.protectedResourceMetadata(new URL('/.well-known/oauth-protected-resource/mcp', ctx.publicUrl));
        assert.equal(prm.status, 200, `GET /.well-known/oauth-protected-resource/mcp answered ${prm.status}`);
        assert.equal(String(prm.body.resource).replace(/\/$/, ''), ctx.mcpUrl.href, `the protected resource should be ${ctx.mcpUrl.href}`);
        assert.ok(prm.body.authorization_servers?.some((s) => String(s).replace(/\/$/, '') === origin), `authorization_servers should list ${origin}`);
      },
    },
    {
      id: 'consent-first',
      title: 'a new dynamically registered client gets a consent page before anyone is sent to Entra',
      points: 2,
      hint: "In the provider's authorize(), render the consent page (naming the client) instead of redirecting to Entra; only POST /consent with decision=approve may go on to Entra.",
      lessonStep: '#step-3-consent-per-client',
      taskId: 2,
      testCode: "const page = await get(authorizeUrl(newClient));\nassert.equal(page.status, 200); // a page, not a redirect to Entra\nassert.match(page.text, /newClient.name/);\nassert.equal(idpAuthorizeEvents(), 0);",
      run: async (ctx) => {
        await ctx.startServer();
        const meta = await asMetadata(ctx);
        const name = `Unknown Tool ${Math.random().toString(36).slice(2, 8)}`;
        const clientId = await registered(ctx, name);
        const url = oauth.authorizationUrl(meta.authorization_endpoint, { clientId, redirectUri: CLIENT_REDIRECT, challenge: oauth.newPkce().challenge, state: 's1' });
        const page = await oauth.getJson(url, { headers: { accept: 'text/html' } });
        assert.equal(page.status, 200, `GET /authorize for a new client answered ${page.status}${page.headers.get('location') ? ` → ${page.headers.get('location')}` : ''}: it must show a consent page first`);
        assert.ok(page.text.includes(name), `the consent page should name the client ("${name}")`);
        assert.equal(await idpAuthorizeCount(ctx), 0, 'the IdP saw an authorize request before the person consented');
        // Saying no ends it: back to the client with access_denied, and still nobody at Entra.
        const end = await browseAuthorization(url, { ...ctx.user('alice'), idpOrigin: new URL(ctx.info.baseUrl).origin, serverConsent: 'deny', until: (u) => u.href.startsWith(CLIENT_REDIRECT) });
        assert.equal(end.url.searchParams.get('error'), 'access_denied', `denying should send the client error=access_denied (got ${end.url.search})`);
        assert.equal(await idpAuthorizeCount(ctx), 0, 'after the person said no, the server still sent them to the IdP');
      },
    },
    {
      id: 'sign-in-flow',
      title: "the full flow as a real user ends in a tool call that returns that user's profile",
      points: 3,
      hint: 'At /auth/callback: look up the pending request by state, redeem the code with acquireTokenByCode (with your PKCE verifier), create a grant, and redirect to the client with your own one-time code.',
      lessonStep: '#step-4-the-callback',
      taskId: 2,
      testCode: "const client = await connectWithOAuth(mcpUrl, oauthClientSigningInAs('alice'));\nconst result = await client.callTool({ name: 'get_user_details' });\nassert.match(result.content[0].text, /Alice Jansen/);",
      todo: 'callback',
      run: async (ctx) => {
        await ctx.startServer();
        const { client } = await signedIn(ctx, ctx.user('alice'));
        assertProfileOf(await callProfile(client), ctx.user('alice'));
        const tokens = (await ctx.trace(ctx.env.CLIENT_ID)).filter((e) => e.type === 'token' && e.grantType === 'authorization_code' && !e.error);
        assert.ok(tokens.length >= 1, 'the server never redeemed an authorization code at the IdP');
      },
    },
    {
      id: 'state-checked',
      title: '/auth/callback refuses a state it did not issue, and an answer that arrives in another browser',
      points: 2,
      hint: "Keep the state you sent to Entra with the pending request and a cookie for the browser; at /auth/callback refuse (a page, not a redirect) when the state is unknown or the cookie doesn't match.",
      lessonStep: '#step-4-the-callback',
      taskId: 3,
      testCode: "const forged = await get('/auth/callback?code=abc&state=forged');\nassert.equal(forged.status, 400);\nassert.equal(forged.headers.get('location'), null);",
      todo: 'callback',
      run: async (ctx) => {
        await ctx.startServer();
        const forged = await oauth.getJson(new URL('/auth/callback?code=stolen-code&state=forged-state', ctx.publicUrl));
        assertNoRedirect(forged, 'a callback with a forged state');
        // A real answer from the IdP, delivered by someone else's browser (login CSRF): the cookie is missing.
        const meta = await asMetadata(ctx);
        const clientId = await registered(ctx, 'mcp-lab state check');
        const url = oauth.authorizationUrl(meta.authorization_endpoint, { clientId, redirectUri: CLIENT_REDIRECT, challenge: oauth.newPkce().challenge, state: 's2' });
        const jar = new CookieJar();
        const callbackPath = new URL(ctx.env.REDIRECT_URI ?? '/auth/callback', ctx.publicUrl).pathname;
        const atCallback = await browseAuthorization(url, { ...ctx.user('alice'), jar, idpOrigin: new URL(ctx.info.baseUrl).origin, until: (u) => u.origin === ctx.publicUrl.origin && u.pathname === callbackPath });
        assert.ok(atCallback.url.searchParams.get('code'), 'the IdP did not send a code back to /auth/callback');
        const elsewhere = await oauth.getJson(atCallback.url);
        assertNoRedirect(elsewhere, 'the IdP’s answer arriving in a browser that did not start the sign-in');
        const redeemed = (await ctx.trace(ctx.env.CLIENT_ID)).filter((e) => e.type === 'token' && e.grantType === 'authorization_code');
        assert.equal(redeemed.length, 0, 'the server redeemed a code from a sign-in it should have refused');
      },
    },
    {
      id: 'pkce-enforced',
      title: "the token endpoint refuses a wrong or missing PKCE verifier",
      points: 2,
      hint: "Store the client's code_challenge with the code you issue and return it from challengeForAuthorizationCode; the SDK's token handler then checks the verifier.",
      lessonStep: '#step-5-your-own-tokens',
      taskId: 3,
      testCode: "assert.equal((await token({ code, code_verifier: 'wrong' })).body.error, 'invalid_grant');\nassert.equal((await token({ code })).status, 400);\nassert.equal((await token({ code, code_verifier })).status, 200);",
      todo: 'callback',
      run: async (ctx) => {
        await ctx.startServer();
        const { clientId, code, pkce, meta } = await codeFor(ctx, ctx.user('alice'));
        const wrong = await redeem(meta, clientId, code, oauth.newPkce().verifier);
        assert.equal(wrong.status, 400, `a wrong code_verifier got ${wrong.status}: ${wrong.text.slice(0, 200)}`);
        assert.equal(wrong.body.access_token, undefined, 'a wrong code_verifier got tokens');
        const missing = await redeem(meta, clientId, code, undefined);
        assert.equal(missing.status, 400, `a missing code_verifier got ${missing.status}`);
        const right = await redeem(meta, clientId, code, pkce.verifier);
        assert.equal(right.status, 200, `the right code_verifier was refused (${right.status}: ${right.text.slice(0, 200)}), so the refusals above prove nothing`);
      },
    },
    {
      id: 'code-single-use',
      title: 'an authorization code works once; a replay is refused',
      points: 2,
      hint: 'Mark a code used when it is redeemed; refuse it the second time (and revoke what it gave: a replay means it was stolen).',
      lessonStep: '#step-5-your-own-tokens',
      taskId: 3,
      testCode: "assert.equal((await token({ code, code_verifier })).status, 200);\nconst replay = await token({ code, code_verifier });\nassert.equal(replay.body.error, 'invalid_grant');",
      todo: 'callback',
      run: async (ctx) => {
        await ctx.startServer();
        const { clientId, code, pkce, meta } = await codeFor(ctx, ctx.user('alice'));
        const first = await redeem(meta, clientId, code, pkce.verifier);
        assert.equal(first.status, 200, `redeeming the code failed (${first.status}: ${first.text.slice(0, 200)})`);
        const replay = await redeem(meta, clientId, code, pkce.verifier);
        assert.equal(replay.status, 400, `a replayed code got ${replay.status}`);
        assert.equal(replay.body.error, 'invalid_grant', `a replayed code should get invalid_grant, not ${String(replay.body.error)}`);
      },
    },
    {
      id: 'redirect-uri-exact',
      title: 'redirect URIs are matched exactly: no unregistered ones, no changes between authorize and token',
      points: 2,
      hint: 'Keep the redirect_uri of the authorization request with the code and compare it exactly at the token endpoint; register only https or loopback http redirect URIs.',
      lessonStep: '#step-5-your-own-tokens',
      taskId: 3,
      testCode: "assert.equal((await get(authorizeUrl({ redirect_uri: 'https://evil.example/cb' }))).status, 400);\nassert.equal((await token({ code, code_verifier, redirect_uri: otherUri })).body.error, 'invalid_grant');",
      todo: 'callback',
      run: async (ctx) => {
        await ctx.startServer();
        const meta = await asMetadata(ctx);
        const plainHttp = await oauth.registerClient(meta.registration_endpoint, { client_name: 'plain http', redirect_uris: ['http://evil.example/cb'] });
        assert.equal(plainHttp.status, 400, `registering a plain-http, non-loopback redirect URI got ${plainHttp.status}; codes sent there can be read on the way`);
        const clientId = await registered(ctx, 'mcp-lab redirect check');
        const evil = await oauth.getJson(oauth.authorizationUrl(meta.authorization_endpoint, { clientId, redirectUri: 'https://evil.example/cb', challenge: oauth.newPkce().challenge }));
        assertNoRedirect(evil, '/authorize with an unregistered redirect_uri');
        const { clientId: other, code, pkce } = await codeFor(ctx, ctx.user('alice'));
        const altered = await redeem(meta, other, code, pkce.verifier, `${CLIENT_REDIRECT}/altered`);
        assert.equal(altered.status, 400, `a token request with another redirect_uri than the authorization request got ${altered.status}`);
        assert.equal(altered.body.access_token, undefined, 'a changed redirect_uri got tokens');
      },
    },
    {
      id: 'unknown-client',
      title: 'an unknown client is refused at /authorize (without a redirect) and at /token',
      points: 1,
      hint: 'getClient returns undefined for a client it does not know; the SDK handlers then answer invalid_client.',
      lessonStep: '#step-2-the-authorization-server',
      taskId: 3,
      testCode: "assert.equal((await get(authorizeUrl({ client_id: 'nobody' }))).status, 400);\nassert.equal((await token({ client_id: 'nobody' })).body.error, 'invalid_client');",
      run: async (ctx) => {
        await ctx.startServer();
        const meta = await asMetadata(ctx);
        const answer = await oauth.getJson(oauth.authorizationUrl(meta.authorization_endpoint, { clientId: 'not-a-registered-client', redirectUri: CLIENT_REDIRECT, challenge: oauth.newPkce().challenge }));
        assertNoRedirect(answer, '/authorize for an unknown client');
        const token = await redeem(meta, 'not-a-registered-client', 'some-code', oauth.newPkce().verifier);
        assert.ok(token.status === 400 || token.status === 401, `/token for an unknown client got ${token.status}`);
        assert.equal(token.body.error, 'invalid_client', `/token for an unknown client should say invalid_client, not ${String(token.body.error)}`);
      },
    },
    {
      id: 'no-leaks',
      title: 'the client secret and the Entra tokens never leave the server',
      points: 3,
      hint: "Keep Entra's tokens in MSAL's cache on the server and give clients only your own random tokens; never put the secret or a token in a response, a redirect or a log line.",
      lessonStep: '#step-5-your-own-tokens',
      taskId: 4,
      testCode: "await signInAndCallTool('alice');\nfor (const exchange of recordedHttp) assert.ok(!containsAny(exchange, [CLIENT_SECRET, ...entraTokens]));\nassert.ok(!containsAny(serverOutput, [CLIENT_SECRET, ...entraTokens]));",
      todo: 'callback',
      run: async (ctx) => {
        await ctx.startServer();
        const { client, oauthClient } = await signedIn(ctx, ctx.user('alice'));
        assertProfileOf(await callProfile(client), ctx.user('alice'));
        const secret = ctx.env.CLIENT_SECRET;
        const wire = ctx
          .exchanges()
          .map((e) => [e.path, JSON.stringify(e.requestHeaders), e.requestBody, JSON.stringify(e.responseHeaders), e.responseBody].join('\n'))
          .join('\n');
        const journeys = oauthClient.journeys.flatMap((j) => j.result?.steps.map((s) => `${s.url.href} ${s.location?.href ?? ''}`) ?? []).join('\n');
        if (secret) {
          assert.ok(!wire.includes(secret) && !journeys.includes(secret), 'the client secret appeared in what the server sent to a client or browser');
          assert.ok(!ctx.output().includes(secret), "the client secret appeared in the server's output (logs)");
        }
        // The IdP's authorization code does cross the browser (to /auth/callback): that is the protocol. Tokens must not.
        const issued = scanForLeaks(await ctx.trace(), `${wire}\n${journeys}`, []).filter((l) => l.kind !== 'authorization code');
        assert.deepEqual(
          issued.map((l) => `${l.kind} (${l.where})`),
          [],
          'an Entra token (or code) issued to the server reached the MCP client or the browser: give clients your own tokens',
        );
        const logged = await ctx.leaks();
        assert.deepEqual(logged.map((l) => `${l.kind} (${l.where})`), [], "an Entra token appeared in the server's output");
      },
    },
    {
      id: 'entra-renewal',
      title: 'an expired Entra access token is renewed without asking the user again',
      points: 2,
      hint: 'Get the Graph token with acquireTokenSilent (the cached account) each time: MSAL redeems the refresh token when the access token has expired.',
      lessonStep: '#step-6-renewal-and-refresh',
      taskId: 4,
      testCode: "await fault({ kind: 'access-token-lifetime', seconds: 60 }); // Entra tokens expire at once for MSAL\nawait signInAndCallTool('alice');\nawait client.callTool({ name: 'get_user_details' });\nassert.ok(trace.some((e) => e.grantType === 'refresh_token'));",
      todo: 'refresh',
      run: async (ctx) => {
        await ctx.fault({ kind: 'access-token-lifetime', seconds: 60 });
        await ctx.startServer();
        const { client } = await signedIn(ctx, ctx.user('alice'));
        assertProfileOf(await callProfile(client), ctx.user('alice'));
        const authorizes = await idpAuthorizeCount(ctx);
        assertProfileOf(await callProfile(client), ctx.user('alice'));
        const refreshes = (await ctx.trace(ctx.env.CLIENT_ID)).filter((e) => e.type === 'token' && e.grantType === 'refresh_token' && !e.error);
        assert.ok(refreshes.length > 0, 'the Entra access token (60 s, so expired for MSAL) was used without being renewed: no refresh_token request reached the IdP');
        assert.equal(await idpAuthorizeCount(ctx), authorizes, 'the user was sent to sign in again instead of a silent renewal');
      },
    },
    {
      id: 'entra-refusal-401',
      title: 'when Entra refuses to renew, the MCP client gets a clean 401 (and can sign in again)',
      points: 2,
      hint: 'When acquireTokenSilent throws InteractionRequiredAuthError, end the grant and throw InvalidTokenError from verifyAccessToken: requireBearerAuth turns it into a 401.',
      lessonStep: '#step-6-renewal-and-refresh',
      taskId: 4,
      testCode: "await fault({ kind: 'access-token-lifetime', seconds: 60 });\nconst { token } = await signIn('alice');\nawait fault({ kind: 'fail-next-refresh' });\nassert.equal((await postMcp(token)).status, 401);",
      todo: 'refresh',
      run: async (ctx) => {
        await ctx.fault({ kind: 'access-token-lifetime', seconds: 60 });
        await ctx.startServer();
        const { oauthClient } = await signedIn(ctx, ctx.user('alice'));
        const token = oauthClient.tokens()?.access_token;
        assert.ok(token, 'the client got no access token');
        await ctx.fault({ kind: 'fail-next-refresh', count: 5 });
        const refused = await mcpStatus(ctx, token);
        assert.equal(refused.status, 401, `after Entra refused to renew, the MCP request got ${refused.status}, not 401`);
        assert.match(refused.headers.get('www-authenticate') ?? '', /invalid_token/, 'the 401 should say error="invalid_token" so the client signs in again');
        const refusedRefresh = (await ctx.trace(ctx.env.CLIENT_ID)).filter((e) => e.type === 'token' && e.grantType === 'refresh_token' && e.error);
        assert.ok(refusedRefresh.length > 0, 'the server never tried to renew the expired Entra token');
        const stillAlive = await mcpStatus(ctx, undefined);
        assert.equal(stillAlive.status, 401, 'the server stopped answering after Entra refused');
      },
    },
    {
      id: 'refresh-rotation',
      title: 'refresh tokens rotate, and reusing an old one revokes the session',
      points: 2,
      hint: 'exchangeRefreshToken: issue a new refresh token each time and mark the old one used; when a used one comes back, revoke the whole grant.',
      lessonStep: '#step-6-renewal-and-refresh',
      taskId: 4,
      testCode: "const next = await token({ grant_type: 'refresh_token', refresh_token: first });\nassert.notEqual(next.refresh_token, first);\nassert.equal((await token({ grant_type: 'refresh_token', refresh_token: first })).body.error, 'invalid_grant');\nassert.equal((await postMcp(next.access_token)).status, 401);",
      todo: 'refresh',
      run: async (ctx) => {
        await ctx.startServer();
        const { clientId, code, pkce, meta } = await codeFor(ctx, ctx.user('alice'));
        const first = await redeem(meta, clientId, code, pkce.verifier);
        assert.equal(first.status, 200, `redeeming the code failed (${first.status})`);
        const firstRefresh = first.body.refresh_token;
        assert.ok(firstRefresh, 'the token response has no refresh_token');
        const next = await oauth.tokenRequest(meta.token_endpoint, { grant_type: 'refresh_token', client_id: clientId, refresh_token: firstRefresh });
        assert.equal(next.status, 200, `a refresh failed (${next.status}: ${next.text.slice(0, 200)})`);
        assert.ok(next.body.refresh_token && next.body.refresh_token !== firstRefresh, 'a refresh must return a new refresh token (rotation)');
        assert.equal((await mcpStatus(ctx, next.body.access_token)).status, 200, 'the refreshed access token does not work at /mcp');
        const reuse = await oauth.tokenRequest(meta.token_endpoint, { grant_type: 'refresh_token', client_id: clientId, refresh_token: firstRefresh });
        assert.equal(reuse.status, 400, `reusing a rotated refresh token got ${reuse.status}`);
        assert.equal((await mcpStatus(ctx, next.body.access_token)).status, 401, 'after a rotated refresh token was reused, the session should be revoked (its newest access token still works)');
      },
    },
    {
      id: 'revocation',
      title: 'a revoked session gets 401',
      points: 1,
      hint: "Implement revokeToken: end the grant behind the token (access or refresh); verifyAccessToken must then refuse its tokens.",
      lessonStep: '#step-6-renewal-and-refresh',
      taskId: 4,
      testCode: "await post('/revoke', { token: access_token, client_id });\nassert.equal((await postMcp(access_token)).status, 401);",
      todo: 'verify',
      run: async (ctx) => {
        await ctx.startServer();
        const { clientId, code, pkce, meta } = await codeFor(ctx, ctx.user('alice'));
        const tokens = await redeem(meta, clientId, code, pkce.verifier);
        const access = tokens.body.access_token;
        assert.ok(access, `redeeming the code failed (${tokens.status})`);
        assert.equal((await mcpStatus(ctx, access)).status, 200, 'the access token does not work at /mcp before it was revoked');
        assert.ok(meta.revocation_endpoint, 'no revocation_endpoint in the metadata');
        const revoked = await oauth.tokenRequest(meta.revocation_endpoint, { token: access, client_id: clientId });
        assert.equal(revoked.status, 200, `revocation answered ${revoked.status}`);
        assert.equal((await mcpStatus(ctx, access)).status, 401, 'a revoked access token still works at /mcp');
      },
    },
    {
      id: 'sessions-per-user',
      title: "two users' sessions at once: each sees only their own profile, and nobody can use another's session",
      points: 3,
      hint: 'One transport per MCP session (keyed by Mcp-Session-Id), remembering who opened it; refuse a request whose token belongs to someone else.',
      lessonStep: '#step-7-one-session-per-user',
      taskId: 5,
      testCode: "const [alice, bob] = await Promise.all([signIn('alice'), signIn('bob')]);\nassert.match(await profile(alice), /Alice/);\nassert.match(await profile(bob), /Bob/);\nassert.notEqual((await postMcp(bob.token, alice.sessionId)).status, 200);",
      todo: 'verify',
      run: async (ctx) => {
        await ctx.startServer();
        const [alice, bob] = await Promise.all([signedIn(ctx, ctx.user('alice'), 'Alice’s client'), signedIn(ctx, ctx.user('bob'), 'Bob’s client')]);
        const [a, b] = await Promise.all([callProfile(alice.client), callProfile(bob.client)]);
        assertProfileOf(a, ctx.user('alice'));
        assertProfileOf(b, ctx.user('bob'));
        const aliceSession = ctx.exchanges().find((e) => e.status === 200 && e.responseHeaders['mcp-session-id'] && e.requestHeaders.authorization === `Bearer ${alice.oauthClient.tokens()?.access_token}`)?.responseHeaders['mcp-session-id'];
        assert.ok(typeof aliceSession === 'string', "no Mcp-Session-Id was issued for Alice's session (sessions are needed to keep users apart)");
        const bobToken = bob.oauthClient.tokens()?.access_token;
        assert.ok(bobToken, 'Bob has no access token');
        const hijack = await mcpStatus(ctx, bobToken, aliceSession);
        assert.ok(hijack.status >= 400, `Bob's token was accepted on Alice's session (${hijack.status}): a session must be usable only by the user who opened it`);
      },
    },
  ],
});
