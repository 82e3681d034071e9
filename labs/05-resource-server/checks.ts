import assert from 'node:assert/strict';
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { defineLab, oauth } from '@mcp-lab/harness';
import { SEED, fingerprint } from '@mcp-lab/mock-idp';
import {
  MCP_CLIENT_ID,
  apiId,
  assertAccepted,
  assertRefused,
  callTool,
  challengeOf,
  clientWith,
  consentForGraph,
  idTokenForApi,
  mint,
  postMcp,
  signedIn,
  textOf,
  userToken,
} from './check-tokens.ts';

/**
 * Lab 05 — the MCP server as a resource server of Entra ID. Black-box checks
 * over HTTP: the server is given tokens the IdP made (through a real sign-in,
 * or its admin API's test tokens) and tokens forged with jose, and the IdP's
 * trace says what the server did at Entra and at Graph. What an attacker
 * would try is in docs/threat-model.md; each of its rows names the check here
 * that proves the property.
 */

const GRAPH_AUDIENCES = new Set(['https://graph.microsoft.com', SEED.graph.appId]);

export default defineLab({
  manifestVersion: 1,
  id: '05-resource-server',
  title: 'The resource server: an MCP server that validates Entra tokens and calls Graph on-behalf-of',
  titleNl: 'De resource server: een MCP-server die Entra-tokens valideert en Graph on-behalf-of aanroept',
  lesson: '/en/06-labs/05-resource-server',
  transport: 'http',
  start: { command: ['node', 'src/server.ts'], ready: 'listening on' },
  env: ['AUTHORITY_HOST', 'TENANT_ID', 'CLIENT_ID', 'CLIENT_SECRET', 'GRAPH_BASE_URL', 'PORT', 'PUBLIC_URL', 'TOKEN_VERSION'],
  seededApp: 'protectedApi',
  timeouts: { checkMs: 40_000, labMs: 400_000 },
  checks: [
    {
      id: 'metadata',
      title: 'the protected-resource metadata names this server, the tenant’s v2.0 issuer and the scope to ask for',
      points: 1,
      hint: 'Serve RFC 9728 metadata at /.well-known/oauth-protected-resource/mcp (and at /.well-known/oauth-protected-resource): resource is PUBLIC_URL/mcp, authorization_servers the v2.0 issuer {AUTHORITY_HOST}/{TENANT_ID}/v2.0, scopes_supported api://{CLIENT_ID}/user_impersonation.',
      lessonStep: '#step-1-metadata',
      taskId: 1,
      testCode: "const prm = await get('/.well-known/oauth-protected-resource/mcp');\nassert.equal(prm.resource, `${PUBLIC_URL}/mcp`);\nassert.deepEqual(prm.authorization_servers, [`${AUTHORITY_HOST}/${TENANT_ID}/v2.0`]);\nassert.ok(prm.scopes_supported.includes(`api://${CLIENT_ID}/user_impersonation`));",
      run: async (ctx) => {
        await ctx.sharedServer('basics');
        const issuer = `${ctx.info.baseUrl}/${ctx.env.TENANT_ID}/v2.0`;
        for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
          const prm = await oauth.protectedResourceMetadata(new URL(path, ctx.publicUrl));
          assert.equal(prm.status, 200, `GET ${path} answered ${prm.status}: clients look for the metadata there`);
          assert.equal(String(prm.body.resource).replace(/\/$/, ''), ctx.mcpUrl.href, `${path}: resource should be ${ctx.mcpUrl.href}, not ${String(prm.body.resource)}`);
          const servers = (prm.body.authorization_servers ?? []).map((s) => String(s).replace(/\/$/, ''));
          assert.deepEqual(servers, [issuer], `${path}: authorization_servers should be [${issuer}] (the tenant's v2.0 issuer, whose OpenID configuration clients read), not ${JSON.stringify(prm.body.authorization_servers)}`);
          const scopes = (prm.body as { scopes_supported?: string[] }).scopes_supported ?? [];
          assert.ok(scopes.includes(`api://${apiId(ctx)}/user_impersonation`), `${path}: scopes_supported should list api://${apiId(ctx)}/user_impersonation, the scope a client must ask Entra for (it was ${JSON.stringify(scopes)})`);
        }
      },
    },
    {
      id: 'requires-token',
      title: '/mcp without a valid token answers 401 with a WWW-Authenticate that leads to the metadata',
      points: 1,
      hint: 'Every 401 carries WWW-Authenticate: Bearer resource_metadata="{PUBLIC_URL}/.well-known/oauth-protected-resource/mcp" (and error="invalid_token" when a token was sent): that is how an MCP client discovers where to sign in.',
      lessonStep: '#step-1-metadata',
      taskId: 1,
      testCode: "const res = await postMcp(undefined);\nassert.equal(res.status, 401);\nassert.match(res.headers.get('www-authenticate'), /resource_metadata=/);\nassert.equal((await postMcp('made-up')).status, 401);",
      run: async (ctx) => {
        await ctx.sharedServer('basics');
        const anonymous = await postMcp(ctx, undefined);
        assert.equal(anonymous.status, 401, `POST /mcp without a token answered ${anonymous.status}`);
        const metadataUrl = challengeOf(anonymous).resource_metadata;
        assert.ok(metadataUrl, `the 401 should carry WWW-Authenticate: Bearer resource_metadata="…" (it was: ${anonymous.headers.get('www-authenticate') ?? 'missing'})`);
        const prm = await oauth.protectedResourceMetadata(metadataUrl);
        assert.equal(prm.status, 200, `the resource_metadata URL ${metadataUrl} answered ${prm.status}`);
        assertRefused(await postMcp(ctx, 'not-a-token'), 'a made-up bearer token');
      },
    },
    {
      id: 'sign-in-and-obo',
      title: 'a real MCP client signs in through Entra and the tool calls Graph on-behalf-of, never with the client’s token',
      points: 3,
      hint: "In get_my_profile, trade the caller's token for a Graph token with MSAL's acquireTokenOnBehalfOf({ oboAssertion, scopes: ['https://graph.microsoft.com/User.Read'] }) and call Graph with that. Never forward the token the client sent: it was issued for your API, not for Graph.",
      lessonStep: '#step-5-on-behalf-of',
      taskId: 3,
      testCode: "const client = await connectWithOAuth(mcpUrl, preRegisteredClient('alice'));\nconst result = await client.callTool({ name: 'get_my_profile' });\nassert.match(result.content[0].text, /Alice Jansen/);\nassert.ok(trace.some((e) => e.grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer'));\nassert.ok(graphCalls.every((e) => e.claims.appid === CLIENT_ID));",
      todo: 'obo',
      run: async (ctx) => {
        await ctx.sharedServer('flows');
        await consentForGraph(ctx);
        const { client, oauthClient } = await signedIn(ctx, ctx.user('alice'));
        const result = await callTool(client, 'get_my_profile');
        assert.ok(!result.isError && textOf(result).includes('Alice Jansen'), `get_my_profile should return Alice's profile from Graph (it said: ${textOf(result).slice(0, 300)})`);
        const clientToken = oauthClient.tokens()?.access_token;
        assert.ok(clientToken, 'the MCP client holds no access token after signing in');
        const events = await ctx.trace();
        const obo = events.filter((e) => e.type === 'token' && e.clientId === apiId(ctx) && e.grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer' && !e.error);
        assert.ok(obo.length > 0, 'the server never asked the IdP for an on-behalf-of token: how did it call Graph?');
        const passedThrough = events.filter((e) => e.type === 'graph' && e.fingerprints?.accessToken === fingerprint(clientToken));
        assert.equal(passedThrough.length, 0, "Graph received the MCP client's own token (token passthrough): trade it for a Graph token with on-behalf-of instead");
        const calls = events.filter((e) => e.type === 'graph' && e.user?.username === ctx.user('alice').username && e.clientId === apiId(ctx));
        assert.ok(calls.length > 0, 'Graph saw no call from this server for Alice');
        for (const call of calls) {
          const claims = call.claims ?? {};
          assert.ok(GRAPH_AUDIENCES.has(String(claims.aud)), `Graph was called with a token for ${String(claims.aud)}, not for Graph`);
          assert.equal(claims.appid ?? claims.azp, apiId(ctx), "the token Graph received does not name this server's app as its client");
        }
      },
    },
    {
      id: 'audience-checked',
      title: 'a token for Microsoft Graph or for another API of the tenant is refused (401)',
      points: 2,
      hint: "Give jwtVerify the audience: your own client ID for v2.0 tokens (and your App ID URI too for v1.0 tokens). A token whose aud is Graph or another API was issued for someone else; a server that accepts it can be used as a confused deputy.",
      lessonStep: '#step-2-validate',
      taskId: 2,
      testCode: "assertRefused(await postMcp(await mint({ user: 'alice', audience: 'graph' })));\nassertRefused(await postMcp(await mint({ user: 'alice', audience: OTHER_API })));",
      todo: 'verify',
      run: async (ctx) => {
        await ctx.sharedServer('basics');
        await assertAccepted(ctx, await userToken(ctx));
        assertRefused(await postMcp(ctx, await userToken(ctx, { audience: 'graph' })), 'a Microsoft Graph token');
        assertRefused(await postMcp(ctx, await userToken(ctx, { audience: SEED.apps.webServer.appId, version: 2 })), 'a token for another app of the same tenant');
      },
    },
    {
      id: 'tenant-checked',
      title: 'a token from the other tenant is refused (401)',
      points: 1,
      hint: "Take the issuer from your tenant's OpenID configuration (never from the token), and compare tid with TENANT_ID: the same keys sign every tenant's tokens, so a token from another tenant verifies but is not for you.",
      lessonStep: '#step-2-validate',
      taskId: 2,
      testCode: "assertRefused(await postMcp(await mint({ tenantId: FOREIGN_TENANT, user: 'frank', audience: CLIENT_ID })));",
      todo: 'verify',
      run: async (ctx) => {
        await ctx.sharedServer('basics');
        await assertAccepted(ctx, await userToken(ctx));
        const foreign = await mint(ctx, { tenantId: SEED.tenants.foreign.id, user: SEED.users.frank.userPrincipalName, clientId: MCP_CLIENT_ID, audience: apiId(ctx) });
        assertRefused(await postMcp(ctx, foreign), `a token from the tenant ${SEED.tenants.foreign.name} (signed by the same keys)`);
      },
    },
    {
      id: 'lifetime-checked',
      title: 'an expired token, and one not valid yet, are refused (401) with at most a small clock skew',
      points: 1,
      hint: 'jwtVerify checks exp and nbf: require exp, and allow only a small skew (a minute) for clocks that differ. A tolerance of an hour turns every stolen token into one that lives an hour longer.',
      lessonStep: '#step-2-validate',
      taskId: 2,
      testCode: "assertRefused(await postMcp(await mint({ lifetimeSeconds: -300 })));\nassertRefused(await postMcp(await mint({ claims: { nbf: now + 600 } })));",
      todo: 'verify',
      run: async (ctx) => {
        await ctx.sharedServer('basics');
        await assertAccepted(ctx, await userToken(ctx));
        assertRefused(await postMcp(ctx, await userToken(ctx, { lifetimeSeconds: -600 })), 'a token that expired ten minutes ago');
        const now = Math.floor(Date.now() / 1000);
        assertRefused(await postMcp(ctx, await userToken(ctx, { claims: { nbf: now + 600, iat: now } })), 'a token that is valid only ten minutes from now (nbf)');
      },
    },
    {
      id: 'signature-checked',
      title: 'an unsigned token (alg none) and one signed by an outside key under the IdP’s kid are refused (401)',
      points: 2,
      hint: "Verify the signature with jwtVerify against createRemoteJWKSet(jwks_uri), allowing RS256 only. Decoding a token (decodeJwt) is not validating it: anyone can write a JWT with the right claims.",
      lessonStep: '#step-2-validate',
      taskId: 2,
      testCode: "const claims = decodeJwt(await mint({ user: 'alice', audience: CLIENT_ID }));\nassertRefused(await postMcp(unsigned(claims)));\nassertRefused(await postMcp(await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: idpKid }).sign(outsideKey)));",
      todo: 'verify',
      run: async (ctx) => {
        await ctx.sharedServer('basics');
        const genuine = await userToken(ctx);
        await assertAccepted(ctx, genuine);
        const claims = decodeJwt(genuine);
        const { kid } = decodeProtectedHeader(genuine);
        const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
        assertRefused(await postMcp(ctx, `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`), 'an unsigned token (alg: none) with valid claims');
        const outside = await generateKeyPair('RS256', { extractable: true });
        assert.equal((await exportJWK(outside.publicKey)).kty, 'RSA');
        const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(kid ? { kid } : {}) }).sign(outside.privateKey);
        assertRefused(await postMcp(ctx, forged), "a token signed by an outside key under the IdP's kid");
      },
    },
    {
      id: 'key-rotation',
      title: 'after Entra rolls its signing key, tokens signed with the new key are accepted',
      points: 1,
      hint: "Don't fetch the keys once at start: createRemoteJWKSet(jwks_uri) caches them and fetches them again when a token names a kid it does not know, as after Entra rolls its keys.",
      lessonStep: '#step-2-validate',
      taskId: 2,
      testCode: "await assertAccepted(await mint({ user: 'alice', audience: CLIENT_ID }));\nawait idpAdmin('POST', '/faults/actions', { action: 'rotate-signing-key', graceSeconds: 300 });\nawait advanceServerClock(120);\nawait assertAccepted(await mint({ user: 'alice', audience: CLIENT_ID })); // a new kid",
      todo: 'verify',
      run: async (ctx) => {
        await ctx.startServer();
        const before = await userToken(ctx, { lifetimeSeconds: 7200 });
        await assertAccepted(ctx, before, 'a token signed with the current key');
        await ctx.idp.admin('POST', '/faults/actions', { action: 'rotate-signing-key', graceSeconds: 600 });
        // Past jose's 30-second cooldown between fetches: a rotation is rare, a refetch per request is not wanted.
        await ctx.advanceServerClock(120);
        const after = await userToken(ctx, { lifetimeSeconds: 7200 });
        assert.notEqual(decodeProtectedHeader(after).kid, decodeProtectedHeader(before).kid, 'the IdP did not roll its key, so this check proves nothing');
        const answer = await postMcp(ctx, after);
        assert.equal(answer.status, 200, `a token signed with the IdP's new key got ${answer.status}: the server does not fetch the keys again when a token names a kid it does not know (${answer.headers.get('www-authenticate') ?? ''})`);
      },
    },
    {
      id: 'token-version',
      title: 'the server takes only the token version it is configured for (v1.0 or v2.0)',
      points: 1,
      hint: "Read the issuer from the OpenID configuration of the configured version: {authority}/{tenant}/v2.0/.well-known/openid-configuration for v2.0 ({authority}/{tenant}/v2.0), {authority}/{tenant}/.well-known/openid-configuration for v1.0 (https://sts.windows.net/{tenant}/). Accept one, not both.",
      lessonStep: '#step-3-token-version',
      taskId: 2,
      testCode: "// TOKEN_VERSION=2\nassertRefused(await postMcp(await mint({ version: 1, audience: `api://${CLIENT_ID}` })));\n// TOKEN_VERSION=1\nassert.equal((await postMcp(await mint({ version: 1, audience: `api://${CLIENT_ID}` }))).status, 200);\nassertRefused(await postMcp(await mint({ version: 2, audience: CLIENT_ID })));",
      todo: 'verify',
      run: async (ctx) => {
        const v2Server = await ctx.startServer({ TOKEN_VERSION: '2' });
        const v1Token = await userToken(ctx, { version: 1, audience: `api://${apiId(ctx)}` });
        const v2Token = await userToken(ctx, { version: 2 });
        await assertAccepted(ctx, v2Token, 'a v2.0 token, with TOKEN_VERSION=2,');
        assertRefused(await postMcp(ctx, v1Token), 'a v1.0 token (issuer https://sts.windows.net/…/) while the server is configured for v2.0');
        await v2Server.stop();
        await ctx.startServer({ TOKEN_VERSION: '1' });
        await assertAccepted(ctx, v1Token, 'a v1.0 token, with TOKEN_VERSION=1,');
        assertRefused(await postMcp(ctx, v2Token), 'a v2.0 token while the server is configured for v1.0');
      },
    },
    {
      id: 'id-token-refused',
      title: 'an ID token, even one issued to this API, is refused (401)',
      points: 1,
      hint: 'An ID token says who signed in to a client; it is not permission to call an API. A delegated access token carries scp, an app-only token roles (and idtyp=app): refuse a token with neither.',
      lessonStep: '#step-2-validate',
      taskId: 2,
      testCode: "const idToken = (await signInAs('alice', { client_id: CLIENT_ID, scope: 'openid' })).id_token; // aud = CLIENT_ID\nassertRefused(await postMcp(idToken));",
      todo: 'scopes',
      run: async (ctx) => {
        await ctx.sharedServer('basics');
        await consentForGraph(ctx);
        await assertAccepted(ctx, await userToken(ctx));
        const idToken = await idTokenForApi(ctx);
        assert.equal(decodeJwt(idToken).aud, apiId(ctx), 'the ID token is not for this API, so its refusal would prove nothing');
        assertRefused(await postMcp(ctx, idToken), 'an ID token issued to this API (aud = its client ID)');
      },
    },
    {
      id: 'scope-step-up',
      title: 'a valid token without the scope gets 403 insufficient_scope naming the scope to ask for',
      points: 2,
      hint: 'A delegated token must carry your scope in scp. Without it the token is valid but not enough: answer 403 with WWW-Authenticate: Bearer error="insufficient_scope", scope="api://{CLIENT_ID}/user_impersonation", resource_metadata="…", so the client can ask for more (step-up) instead of signing in again.',
      lessonStep: '#step-4-scopes-and-roles',
      taskId: 2,
      testCode: "const res = await postMcp(await mint({ user: 'alice', audience: CLIENT_ID, scopes: ['Other.Read'] }));\nassert.equal(res.status, 403);\nassert.match(res.headers.get('www-authenticate'), /error=\"insufficient_scope\"/);\nassert.match(res.headers.get('www-authenticate'), /scope=\"api:\\/\\/.*\\/user_impersonation\"/);",
      todo: 'scopes',
      run: async (ctx) => {
        await ctx.sharedServer('basics');
        await assertAccepted(ctx, await userToken(ctx));
        const scopeUri = `api://${apiId(ctx)}/user_impersonation`;
        const answer = await postMcp(ctx, await userToken(ctx, { scopes: ['Other.Read'] }));
        assert.equal(answer.status, 403, `a valid token without the scope user_impersonation got ${answer.status}, not 403 (insufficient_scope)${answer.status === 401 ? ': a 401 tells the client its token is bad, and it signs in again for the same scope' : ''}`);
        const challenge = challengeOf(answer);
        assert.equal(challenge.error, 'insufficient_scope', `the 403 should say error="insufficient_scope" in WWW-Authenticate (it was: ${answer.headers.get('www-authenticate') ?? 'missing'})`);
        assert.ok(challenge.scope?.split(' ').includes(scopeUri), `the 403 should name the scope to ask for: scope="${scopeUri}" (it was: ${challenge.scope ?? 'missing'})`);
        assert.ok(challenge.resource_metadata, 'the 403 should carry resource_metadata="…" too');
      },
    },
    {
      id: 'roles-checked',
      title: 'app roles decide: the admin tool needs Tools.Admin, and an app-only token needs Tools.Read',
      points: 2,
      hint: "Roles are in the token's roles claim, assigned by an admin. get_server_settings: refuse (a tool error) unless roles holds Tools.Admin. An app-only token (idtyp=app, no scp) is allowed in only with the app role Tools.Read; without it, 403.",
      lessonStep: '#step-4-scopes-and-roles',
      taskId: 2,
      testCode: "const plain = await callTool(await clientWith(await mint({ user: 'alice', roles: ['Tools.Read'] })), 'get_server_settings');\nassert.ok(plain.isError);\nconst admin = await callTool(await clientWith(await mint({ user: 'admin', roles: ['Tools.Admin'] })), 'get_server_settings');\nassert.ok(!admin.isError);\nassert.equal((await postMcp(await mint({ audience: CLIENT_ID, roles: [] }))).status, 403); // app-only",
      todo: 'scopes',
      run: async (ctx) => {
        await ctx.sharedServer('basics');
        const admin = await callTool(await clientWith(ctx, await userToken(ctx, { user: SEED.users.admin.userPrincipalName, roles: ['Tools.Admin'] })), 'get_server_settings');
        assert.ok(!admin.isError, `get_server_settings refused a user with the app role Tools.Admin (${textOf(admin).slice(0, 200)}), so its refusals below would prove nothing`);
        const plain = await callTool(await clientWith(ctx, await userToken(ctx, { roles: ['Tools.Read'] })), 'get_server_settings');
        assert.ok(plain.isError, 'get_server_settings answered a user without the app role Tools.Admin: the role-gated tool must follow roles');
        const scopeNoRole = await callTool(await clientWith(ctx, await userToken(ctx, { roles: [], scopes: ['user_impersonation', 'Tools.Admin'] })), 'get_server_settings');
        assert.ok(scopeNoRole.isError, 'get_server_settings answered a token whose scp says Tools.Admin but whose roles do not: a scope is what the client asked for, a role what an admin assigned');
        const appWithRole = await mint(ctx, { clientId: SEED.apps.webServer.appId, audience: apiId(ctx), roles: ['Tools.Read'] });
        await assertAccepted(ctx, appWithRole, 'an app-only token with the app role Tools.Read');
        const appWithout = await postMcp(ctx, await mint(ctx, { clientId: SEED.apps.webServer.appId, audience: apiId(ctx), roles: [] }));
        assert.equal(appWithout.status, 403, `an app-only token without any app role got ${appWithout.status}, not 403: an app's token must carry the role Tools.Read`);
      },
    },
    {
      id: 'no-token-leaks',
      title: 'no token appears in any response or in the server’s log',
      points: 2,
      hint: "Log why a token was refused, never the token (nor the Authorization header, nor the Graph token). Tool results carry the profile, not a token.",
      lessonStep: '#step-5-on-behalf-of',
      taskId: 3,
      testCode: "await signInAndCall('alice', 'get_my_profile');\nawait postMcp(expiredToken);\nfor (const exchange of recordedHttp) assert.ok(!containsAnyIssuedToken(exchange.responseBody));\nassert.ok(!containsAnyIssuedToken(serverOutput));",
      todo: 'obo',
      run: async (ctx) => {
        await ctx.sharedServer('flows');
        await consentForGraph(ctx);
        const token = await userToken(ctx);
        const client = await clientWith(ctx, token);
        const profile = await callTool(client, 'get_my_profile');
        assert.ok(!profile.isError, `get_my_profile failed (${textOf(profile).slice(0, 200)}), so nothing was there to leak`);
        await postMcp(ctx, await userToken(ctx, { lifetimeSeconds: -600 }));
        await postMcp(ctx, await userToken(ctx, { scopes: ['Other.Read'] }));
        const answers = ctx
          .exchanges()
          .map((e) => [JSON.stringify(e.responseHeaders), e.responseBody].join('\n'))
          .join('\n');
        const events = await ctx.trace();
        const issued = events.flatMap((e) => Object.values(e.fingerprints ?? {}));
        const tokensInAnswers = [...answers.matchAll(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g)].map((m) => m[0]).filter((t) => issued.includes(fingerprint(t)));
        assert.deepEqual(tokensInAnswers.length, 0, 'a token issued during this check appeared in what the server answered');
        const logged = await ctx.leaks();
        assert.deepEqual(logged.map((l) => `${l.kind} (${l.where})`), [], "a token appeared in the server's output (logs)");
      },
    },
  ],
});
