import assert from 'node:assert/strict';
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { CheckCannotRun, CheckFailure, defineChecks, oauth, toolText, type CheckContext } from '@mcp-lab/harness';
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
const OBO_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * Starts the server with `overrides`; a server that will not start is the
 * learner's failure here (not the harness's), told with the line it printed
 * about why — the coded start-up error when it has one.
 */
async function startOrFail(ctx: CheckContext, overrides: Parameters<CheckContext['startServer']>[0], what: string): Promise<void> {
  try {
    await ctx.startServer(overrides);
  } catch (error) {
    if (!(error instanceof CheckCannotRun && error.name === 'ServerDidNotStart')) throw error;
    const lines = error.message.split('\n');
    const why = lines.find((line) => /^\[[A-Z_]+\] /.test(line)) ?? lines.find((line) => /^\s*\w*Error\b.*: /.test(line)) ?? error.message.slice(-600);
    throw new CheckFailure(`${what}, the server did not start: ${why.trim()}`);
  }
}

export default defineChecks({
  'metadata': async (ctx) => {
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
  'requires-token': async (ctx) => {
    await ctx.sharedServer('basics');
    const anonymous = await postMcp(ctx, undefined);
    assert.equal(anonymous.status, 401, `POST /mcp without a token answered ${anonymous.status}`);
    const metadataUrl = challengeOf(anonymous).resource_metadata;
    assert.ok(metadataUrl, `the 401 should carry WWW-Authenticate: Bearer resource_metadata="…" (it was: ${anonymous.headers.get('www-authenticate') ?? 'missing'})`);
    const prm = await oauth.protectedResourceMetadata(metadataUrl);
    assert.equal(prm.status, 200, `the resource_metadata URL ${metadataUrl} answered ${prm.status}`);
    assertRefused(await postMcp(ctx, 'not-a-token'), 'a made-up bearer token');
  },
  'sign-in-and-obo': async (ctx) => {
    await ctx.sharedServer('flows');
    await consentForGraph(ctx);
    const { client, oauthClient } = await signedIn(ctx, ctx.user('alice'));
    const result = await callTool(client, 'get_my_profile');
    assert.ok(!result.isError && toolText(result).includes(ctx.user('alice').displayName), `get_my_profile should return Alice's profile from Graph (it said: ${toolText(result).slice(0, 300)})`);
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
  'obo-without-secret': async (ctx) => {
    const mi = ctx.info.managedIdentity.identities.find((m) => m.type === 'SystemAssigned');
    if (!mi) throw new CheckCannotRun('the IdP has no system-assigned managed identity to stand in for the platform’s');
    const appId = apiId(ctx);
    // The learner may have added this very federated credential while following step 5: use theirs then, and leave it in place.
    const { value } = await ctx.idp.admin<{ value: { issuer: string; subject: string }[] }>('GET', `/apps/${appId}/federated-credentials`);
    const existing = value.some((c) => c.issuer === mi.issuer && c.subject === mi.objectId);
    const name = `lab05-check-${Math.random().toString(36).slice(2, 8)}`;
    const added = existing ? undefined : await ctx.idp.admin<{ id: string }>('POST', `/apps/${appId}/federated-credentials`, { name, issuer: mi.issuer, subject: mi.objectId });
    try {
      await startOrFail(ctx, { CLIENT_SECRET: undefined, ...ctx.info.managedIdentity.env }, 'Without CLIENT_SECRET (and with IDENTITY_ENDPOINT and IDENTITY_HEADER set)');
      await consentForGraph(ctx);
      const { client } = await signedIn(ctx, ctx.user('alice'));
      const result = await callTool(client, 'get_my_profile');
      assert.ok(!result.isError && toolText(result).includes(ctx.user('alice').displayName), `without a secret, get_my_profile should still return Alice's profile from Graph (it said: ${toolText(result).slice(0, 300)})`);
      const events = await ctx.trace();
      const obo = events.filter((e) => e.type === 'token' && e.clientId === appId && e.grantType === OBO_GRANT);
      assert.ok(obo.length > 0, 'the server never asked the IdP for an on-behalf-of token');
      const refused = obo.filter((e) => e.error);
      assert.equal(refused.length, 0, `the IdP refused the server's on-behalf-of request: ${refused.map((e) => e.summary).join('; ')}`);
      for (const e of obo) {
        // appidacr (v1.0) / azpacr (v2.0): how the client proved itself — 1 a secret, 2 a client assertion (certificate or federated credential).
        const acr = e.claims?.appidacr ?? e.claims?.azpacr;
        assert.equal(acr, '2', `the on-behalf-of request proved the server's identity with ${acr === '1' ? 'a secret' : `client authentication class ${String(acr)}`}, not a client assertion`);
      }
      const identity = events.filter((e) => e.type === 'token' && e.clientId === mi.clientId && !e.error);
      assert.ok(identity.length > 0, "the managed identity endpoint issued no token: the client assertion did not come from the platform's identity");
    } finally {
      if (added) await ctx.idp.admin('DELETE', `/apps/${appId}/federated-credentials/${encodeURIComponent(added.id)}`).catch(() => undefined);
    }
  },
  'audience-checked': async (ctx) => {
    await ctx.sharedServer('basics');
    await assertAccepted(ctx, await userToken(ctx));
    assertRefused(await postMcp(ctx, await userToken(ctx, { audience: 'graph' })), 'a Microsoft Graph token');
    assertRefused(await postMcp(ctx, await userToken(ctx, { audience: SEED.apps.webServer.appId, version: 2 })), 'a token for another app of the same tenant');
  },
  'tenant-checked': async (ctx) => {
    await ctx.sharedServer('basics');
    await assertAccepted(ctx, await userToken(ctx));
    const foreign = await mint(ctx, { tenantId: SEED.tenants.foreign.id, user: SEED.users.frank.userPrincipalName, clientId: MCP_CLIENT_ID, audience: apiId(ctx) });
    assertRefused(await postMcp(ctx, foreign), `a token from the tenant ${SEED.tenants.foreign.name} (signed by the same keys)`);
  },
  'lifetime-checked': async (ctx) => {
    await ctx.sharedServer('basics');
    await assertAccepted(ctx, await userToken(ctx));
    assertRefused(await postMcp(ctx, await userToken(ctx, { lifetimeSeconds: -600 })), 'a token that expired ten minutes ago');
    const now = Math.floor(Date.now() / 1000);
    assertRefused(await postMcp(ctx, await userToken(ctx, { claims: { nbf: now + 600, iat: now } })), 'a token that is valid only ten minutes from now (nbf)');
  },
  'signature-checked': async (ctx) => {
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
  'key-rotation': async (ctx) => {
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
  'token-version': async (ctx) => {
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
  'id-token-refused': async (ctx) => {
    await ctx.sharedServer('basics');
    await consentForGraph(ctx);
    await assertAccepted(ctx, await userToken(ctx));
    const idToken = await idTokenForApi(ctx);
    assert.equal(decodeJwt(idToken).aud, apiId(ctx), 'the ID token is not for this API, so its refusal would prove nothing');
    assertRefused(await postMcp(ctx, idToken), 'an ID token issued to this API (aud = its client ID)');
  },
  'scope-step-up': async (ctx) => {
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
  'roles-checked': async (ctx) => {
    await ctx.sharedServer('basics');
    const admin = await callTool(await clientWith(ctx, await userToken(ctx, { user: SEED.users.admin.userPrincipalName, roles: ['Tools.Admin'] })), 'get_server_settings');
    assert.ok(!admin.isError, `get_server_settings refused a user with the app role Tools.Admin (${toolText(admin).slice(0, 200)}), so its refusals below would prove nothing`);
    const plain = await callTool(await clientWith(ctx, await userToken(ctx, { roles: ['Tools.Read'] })), 'get_server_settings');
    assert.ok(plain.isError, 'get_server_settings answered a user without the app role Tools.Admin: the role-gated tool must follow roles');
    const scopeNoRole = await callTool(await clientWith(ctx, await userToken(ctx, { roles: [], scopes: ['user_impersonation', 'Tools.Admin'] })), 'get_server_settings');
    assert.ok(scopeNoRole.isError, 'get_server_settings answered a token whose scp says Tools.Admin but whose roles do not: a scope is what the client asked for, a role what an admin assigned');
    const appWithRole = await mint(ctx, { clientId: SEED.apps.webServer.appId, audience: apiId(ctx), roles: ['Tools.Read'] });
    await assertAccepted(ctx, appWithRole, 'an app-only token with the app role Tools.Read');
    const appWithout = await postMcp(ctx, await mint(ctx, { clientId: SEED.apps.webServer.appId, audience: apiId(ctx), roles: [] }));
    assert.equal(appWithout.status, 403, `an app-only token without any app role got ${appWithout.status}, not 403: an app's token must carry the role Tools.Read`);
  },
  'no-token-leaks': async (ctx) => {
    await ctx.sharedServer('flows');
    await consentForGraph(ctx);
    const token = await userToken(ctx);
    const client = await clientWith(ctx, token);
    const profile = await callTool(client, 'get_my_profile');
    assert.ok(!profile.isError, `get_my_profile failed (${toolText(profile).slice(0, 200)}), so nothing was there to leak`);
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
});
