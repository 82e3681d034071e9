import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { defineChecks, isLoopbackAddress, oauth, toolText, CheckFailure } from '@mcp-lab/harness';
import { assertProfileOf, callProfile, mcpStatus, refresh, signedIn, tokensFor } from '../03-confidential-client/check-flows.ts';
import { assertAuditFields, auditFile, auditLines, auditText, callTool, plainHttp, startExpectingFailure, startFailure, toolNames, withRole, expectSeededRoles } from './check-flows.ts';

/**
 * Lab 04 — the server of lab 03 taken to production. Black-box checks
 * through the harness: TLS at the recording proxy and at the server's own
 * port, app roles changed in the IdP, the audit log the server was told to
 * write, the IdP's faults (Graph throttling, short token lifetimes, refused
 * refreshes), restarts with the same and with another store key, and a
 * start without a client secret. What each check proves is a row of
 * docs/threat-model.md.
 */

const ALICE = 'alice@contoso.test';
const BOB = 'bob@contoso.test';

export default defineChecks({
  'https-only': async (ctx) => {
    const server = await ctx.sharedServer('basics');
    assert.equal(ctx.publicUrl.protocol, 'https:', 'the grader runs this lab over https');
    const answer = await mcpStatus(ctx, undefined);
    assert.equal(answer.status, 401, `POST /mcp over TLS without a token answered ${answer.status}, not 401`);
    const hsts = answer.headers.get('strict-transport-security') ?? '';
    const maxAge = Number(/max-age=(\d+)/i.exec(hsts)?.[1] ?? '0');
    assert.ok(maxAge >= 86_400, `the answer has no Strict-Transport-Security with a max-age of a day or more (it was "${hsts}"): without HSTS a browser may talk plain HTTP to the server again`);
    if (!server.listeningAddresses) throw new CheckFailure('the grader cannot see where this server listens (it was started without the server probe)');
    const ports = [...new Set((await server.listeningAddresses()).filter((a) => a.port !== undefined && isLoopbackAddress(a)).map((a) => a.port!))];
    assert.ok(ports.length > 0, 'the server reported no port it listens on');
    for (const port of ports) {
      const plain = await plainHttp(port, ctx.publicUrl.host);
      if (plain.error) continue;
      assert.ok(
        plain.status !== undefined && !(plain.status >= 300 && plain.status < 400),
        `plain HTTP to port ${port} was redirected (${plain.status} → ${plain.location ?? '?'}): the request, with its bearer token, had already crossed the network in clear. Refuse plain HTTP; do not redirect it.`,
      );
      assert.ok(plain.status >= 400, `plain HTTP to port ${port} was answered ${plain.status}: the server must speak TLS only`);
    }
  },
  'tool-roles': async (ctx) => {
    await expectSeededRoles(ctx);
    await ctx.sharedServer('roles');
    const [alice, megan] = await Promise.all([signedIn(ctx, ctx.user('alice'), 'Alice’s client'), signedIn(ctx, ctx.user('admin'), 'Megan’s client')]);
    const aliceTools = await toolNames(alice.client);
    assert.ok(aliceTools.includes('get_user_details'), `Alice (Tools.Read) should see get_user_details in tools/list; she sees ${aliceTools.join(', ') || 'nothing'}`);
    assert.ok(!aliceTools.includes('list_sessions'), 'Alice (Tools.Read only) is offered list_sessions in tools/list: list only the tools the caller’s roles allow');
    const refused = await callTool(alice.client, 'list_sessions');
    assert.ok(refused.isError, `Alice (without Tools.Admin) called list_sessions and got: ${toolText(refused).slice(0, 200)}`);
    assert.match(toolText(refused), /Tools\.Admin/, 'the refusal should name the role that is missing (Tools.Admin)');
    assertProfileOf(await callProfile(alice.client), ctx.user('alice'));
    const meganTools = await toolNames(megan.client);
    assert.ok(meganTools.includes('list_sessions'), `Megan (Tools.Admin) should see list_sessions; she sees ${meganTools.join(', ') || 'nothing'}`);
    const allowed = await callTool(megan.client, 'list_sessions');
    assert.ok(!allowed.isError, `Megan holds Tools.Admin, yet list_sessions answered with an error: ${toolText(allowed).slice(0, 200)}`);
  },
  'profile-cache-per-user': async (ctx) => {
    await ctx.sharedServer('roles');
    const [alice, megan] = await Promise.all([signedIn(ctx, ctx.user('alice'), 'Alice’s client'), signedIn(ctx, ctx.user('admin'), 'Megan’s client')]);
    assertProfileOf(await callProfile(alice.client), ctx.user('alice'));
    assertProfileOf(await callProfile(alice.client), ctx.user('alice'));
    const aliceOid = ctx.info.users.find((u) => u.username === ALICE)!.oid;
    const graph = (await ctx.trace(ctx.env.CLIENT_ID)).filter((e) => e.type === 'graph' && e.user?.oid === aliceOid);
    // At most one: the first call may itself come from the cache (Alice used this server a moment ago).
    assert.ok(graph.length <= 1, `Alice called get_user_details twice in a row and the server called Graph ${graph.length} times: serve the repeat from a short cache (fewer calls, less throttling)`);
    const megans = await callProfile(megan.client);
    assert.ok(!megans.isError, `get_user_details failed for Megan: ${toolText(megans).slice(0, 200)}`);
    assert.ok(toolText(megans).includes(ctx.user('admin').displayName) && !toolText(megans).includes(ctx.user('alice').displayName), `Megan called get_user_details after Alice and got: ${toolText(megans).slice(0, 200)} — the cache must be per user`);
  },
  'audit-log-no-secrets': async (ctx) => {
    await ctx.sharedServer('roles');
    const file = auditFile(ctx);
    const alice = await signedIn(ctx, ctx.user('alice'));
    assertProfileOf(await callProfile(alice.client), ctx.user('alice'));
    await callTool(alice.client, 'list_sessions');
    const log = auditText(file);
    const clientId = alice.oauthClient.clientInformation()?.client_id ?? '';
    assert.ok(log.includes(clientId) && /tool-call/.test(log), 'the audit log has no line for this session’s tool call, so a scan of it would prove nothing');
    const tokens = alice.oauthClient.tokens();
    const codes = alice.oauthClient.journeys.flatMap((j) => j.result?.steps.flatMap((s) => [s.url, s.location]) ?? []).flatMap((u) => (u ? [u.searchParams.get('code')] : [])).filter((c): c is string => Boolean(c));
    const secrets: [string, string | undefined][] = [
      ['the MCP access token', tokens?.access_token],
      ['the MCP refresh token', tokens?.refresh_token],
      ['the client secret', ctx.env.CLIENT_SECRET],
      ...codes.map((c): [string, string] => ['an authorization code', c]),
    ];
    for (const [what, value] of secrets) if (value && value.length >= 8) assert.ok(!log.includes(value), `${what} is in the audit log: whoever reads the log can replay it. Log who and what, never the credential.`);
    const entra = (await ctx.leaks([path.relative(ctx.dir, path.dirname(file))])).filter((l) => l.where !== 'output');
    assert.deepEqual(entra.map((l) => `${l.kind} (${l.where})`), [], 'an Entra token or code is in the audit log folder');
  },
  'audit-log': async (ctx) => {
    await expectSeededRoles(ctx);
    // The grader's AUDIT_LOG_MAX_BYTES is 8192, so a few dozen lines reach the bound.
    await ctx.sharedServer('roles');
    const file = auditFile(ctx);
    const alice = await signedIn(ctx, ctx.user('alice'));
    assertProfileOf(await callProfile(alice.client), ctx.user('alice'));
    assert.ok((await callTool(alice.client, 'list_sessions')).isError, 'Alice (without Tools.Admin) was not refused list_sessions');
    const tokens = alice.oauthClient.tokens();
    const clientId = alice.oauthClient.clientInformation()?.client_id;
    assert.ok(tokens?.refresh_token && clientId, 'the MCP client got no refresh token');
    const meta = (await oauth.getJson(new URL('/.well-known/oauth-authorization-server', ctx.publicUrl))).body as { token_endpoint: string; revocation_endpoint: string };
    const renewed = await refresh(meta, clientId, tokens.refresh_token);
    assert.equal(renewed.status, 200, `refreshing the MCP client's token failed (${renewed.status})`);
    const revoked = await oauth.tokenRequest(meta.revocation_endpoint, { token: renewed.body.refresh_token, client_id: clientId });
    assert.equal(revoked.status, 200, `revoking the token failed (${revoked.status})`);

    const aliceOid = ctx.info.users.find((u) => u.username === ALICE)!.oid;
    const lines = auditLines(file).filter((l) => l.clientId === clientId);
    assert.ok(lines.length > 0, `the audit log at AUDIT_LOG (${ctx.env.AUDIT_LOG}) has no line for this session's MCP client`);
    const expected: [string, string][] = [
      ['consent', 'success'],
      ['sign-in', 'success'],
      ['token-issued', 'success'],
      ['tool-call', 'success'],
      ['tool-denied', 'denied'],
      ['refresh', 'success'],
      ['revoke', 'success'],
    ];
    for (const [event, outcome] of expected) {
      const line = lines.find((l) => l.event === event && l.outcome === outcome);
      assert.ok(line, `no "${event}" line with outcome "${outcome}" in the audit log after a scripted session (it has: ${[...new Set(lines.map((l) => `${l.event}/${l.outcome}`))].join(', ')})`);
      assertAuditFields(line, event);
      assert.equal(line.clientId, clientId, `the "${event}" line should name the MCP client (${clientId}), not ${String(line.clientId)}`);
      if (event !== 'consent') assert.equal(line.userOid, aliceOid, `the "${event}" line should name Alice's object ID (${aliceOid}), not ${String(line.userOid)}`);
    }

    // Bounded: a busy client must not fill the disk. Calls from the per-user cache still count as tool calls.
    const busy = await signedIn(ctx, ctx.user('alice'), 'a busy client');
    const limit = Number(ctx.env.AUDIT_LOG_MAX_BYTES);
    assert.ok(limit > 0, 'AUDIT_LOG_MAX_BYTES is not set for this lab');
    // Each tool-call line is over 200 bytes: this writes more than the limit, so the file must have rotated.
    for (let i = 0; i <= limit / 200; i++) await callProfile(busy.client);
    const size = fs.statSync(file).size;
    assert.ok(size <= limit, `the audit log is ${size} bytes, past AUDIT_LOG_MAX_BYTES (${limit}): rotate it (rename to ${path.basename(file)}.1) before it passes the limit`);
    assert.ok(fs.existsSync(`${file}.1`), `after more than AUDIT_LOG_MAX_BYTES of events there is no ${path.basename(file)}.1: where did the older lines go?`);
  },
  'role-change-at-renewal': async (ctx) => {
    await expectSeededRoles(ctx);
    // Tokens that expire at once for MSAL: each call renews, so "the next renewal" is the next call.
    await ctx.fault({ kind: 'access-token-lifetime', seconds: 60 });
    await ctx.startServer();
    const bob = await signedIn(ctx, ctx.user('bob'), 'Bob’s client');
    const before = await callTool(bob.client, 'list_sessions');
    assert.ok(before.isError, `Bob holds no role, yet list_sessions answered: ${toolText(before).slice(0, 200)}`);
    await withRole(ctx, BOB, 'Tools.Admin', async () => {
      const after = await callTool(bob.client, 'list_sessions');
      assert.ok(!after.isError, `Bob was given Tools.Admin and his token was renewed since, yet list_sessions still refuses him: ${toolText(after).slice(0, 200)}. Read the roles from the current token, not from the sign-in.`);
    });
  },
  'graph-throttling': async (ctx) => {
    await ctx.startServer();
    const alice = await signedIn(ctx, ctx.user('alice'));
    await ctx.fault({ kind: 'graph-throttle', retryAfterSeconds: 1 });
    const graphCalls = async () => (await ctx.trace(ctx.env.CLIENT_ID)).filter((e) => e.type === 'graph' && e.http?.path.includes('/me'));
    const call = callProfile(alice.client);
    // A server that never stops is caught by its own count, not by the check's time limit.
    let settled = false;
    void call.finally(() => (settled = true)).catch(() => undefined);
    while (!settled) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const count = (await graphCalls()).length;
      if (count > 10) throw new CheckFailure(`the server called Graph ${count} times for one tool call while Graph kept answering 429, and has not stopped: bound the attempts (a handful) and the total wait`);
    }
    const result = await call;
    assert.ok(result.isError, `the tool call under throttling did not end in a tool error: ${toolText(result).slice(0, 200)}`);
    assert.match(toolText(result), /try again later/i, `the tool error should tell the client to try again later, not: ${toolText(result).slice(0, 200)}`);
    const calls = await graphCalls();
    assert.ok(calls.length >= 2, `the server called Graph ${calls.length} time(s) under throttling: a 429 with Retry-After deserves a retry`);
    assert.ok(calls.length <= 6, `the server called Graph ${calls.length} times for one tool call: bound the attempts`);
    const times = calls.map((e) => Date.parse(e.time));
    for (let i = 1; i < times.length; i++) {
      const gap = times[i]! - times[i - 1]!;
      // Retry-After: 1 s. The IdP stamps both calls on one clock; a little slack for the stamp being taken as each request arrives.
      assert.ok(gap >= 950, `retry ${i} came ${gap} ms after Graph answered 429 with Retry-After: 1 — wait at least as long as Retry-After says`);
    }
  },
  'renewed-before-expiry': async (ctx) => {
    await ctx.fault({ kind: 'access-token-lifetime', seconds: 900 });
    await ctx.startServer();
    const alice = await signedIn(ctx, ctx.user('alice'));
    assertProfileOf(await callProfile(alice.client), ctx.user('alice'));
    // Four minutes before the Entra token's expiry by the server's clock: inside MSAL's renewal window, still valid at Graph.
    await ctx.advanceServerClock(660);
    assertProfileOf(await callProfile(alice.client), ctx.user('alice'));
    const graph = (await ctx.trace(ctx.env.CLIENT_ID)).filter((e) => e.type === 'graph');
    assert.ok(graph.length >= 2, `Graph was called ${graph.length} time(s) for two tool calls 11 minutes apart: the profile cache should have expired`);
    const [first, last] = [graph[0]!, graph.at(-1)!];
    assert.notEqual(
      last.fingerprints?.accessToken,
      first.fingerprints?.accessToken,
      'four minutes before the Entra token expired, the server sent Graph the same token again: renew it before it expires (MSAL does, when asked each time), not after Graph refuses it',
    );
    assert.ok(!graph.some((e) => e.http?.status === 401), 'Graph refused a token: it was sent after it expired');
  },
  'refused-refresh-ends-session': async (ctx) => {
    await ctx.fault({ kind: 'access-token-lifetime', seconds: 60 });
    await ctx.startServer();
    const { access } = await tokensFor(ctx, ctx.user('alice'));
    await ctx.fault({ kind: 'fail-next-refresh', count: 5 });
    const refused = await mcpStatus(ctx, access);
    assert.equal(refused.status, 401, `after Entra refused to renew, the MCP request got ${refused.status}, not 401`);
    assert.match(refused.headers.get('www-authenticate') ?? '', /invalid_token/, 'the 401 should say error="invalid_token" so the client signs in again');
    const aliceOid = ctx.info.users.find((u) => u.username === ALICE)!.oid;
    const line = auditLines(auditFile(ctx)).find((l) => l.event === 'refresh-refused' && l.userOid === aliceOid && Date.parse(String(l.time)) >= Date.now() - 60_000);
    assert.ok(line, 'the session ended because Entra refused to renew, but the audit log has no "refresh-refused" line for Alice: an ended session must leave a trace');
    assertAuditFields(line, 'refresh-refused');
  },
  'sessions-survive-restart': async (ctx) => {
    const first = await ctx.startServer();
    const alice = await signedIn(ctx, ctx.user('alice'));
    assertProfileOf(await callProfile(alice.client), ctx.user('alice'));
    const access = alice.oauthClient.tokens()?.access_token;
    assert.ok(access, 'the MCP client got no access token');
    await alice.client.close();
    await first.stop();
    const cacheDir = path.resolve(ctx.dir, ctx.env.LAB_CACHE_DIR ?? '.lab-cache');
    const stored = () => fs.readdirSync(cacheDir, { recursive: true, encoding: 'utf8' }).filter((f) => !/audit|tls/.test(f) && fs.statSync(path.join(cacheDir, f)).isFile());
    const text = stored().map((f) => fs.readFileSync(path.join(cacheDir, f), 'latin1')).join('\n');
    for (const [what, value] of [['the MCP access token', access], ['the MCP refresh token', alice.oauthClient.tokens()?.refresh_token]] as const) {
      if (value) assert.ok(!text.includes(value), `${what} lies in plain text in the cache folder: store only what cannot be presented (a hash), or encrypt it`);
    }
    const leaks = (await ctx.leaks([path.relative(ctx.dir, cacheDir)])).filter((l) => l.where !== 'output');
    assert.deepEqual(leaks.map((l) => `${l.kind} (${l.where})`), [], 'an Entra token lies in plain text in the cache folder: seal the store with AES-GCM under TOKEN_STORE_KEY');

    // A wrong key: a clear start-up error, and the store exactly as it was.
    const snapshot = () => new Map(stored().map((f) => [f, fs.readFileSync(path.join(cacheDir, f)).toString('base64')]));
    const before = snapshot();
    const wrong = await startExpectingFailure(ctx, { TOKEN_STORE_KEY: Buffer.alloc(32, 7).toString('base64') });
    assert.ok(wrong, 'the server started with a TOKEN_STORE_KEY other than the one its store was written with: it must refuse, or it signs everyone out (or worse, overwrites the store)');
    assert.match(wrong.output, /key/i, `the start-up error should say the key is the problem; it said: ${wrong.output.slice(-400)}`);
    assert.deepEqual(snapshot(), before, 'starting with a wrong key changed the files in the cache folder: a refused start must leave the store as it was');

    // The right key again (another variable than before, so a server started now, after the others).
    await ctx.startServer({ AUDIT_LOG_MAX_BYTES: '1048576' });
    const again = await mcpStatus(ctx, access);
    assert.equal(again.status, 200, `after a restart the MCP access token got ${again.status}: the server forgot its sessions (persist them, encrypted), or the failed start with a wrong key lost them`);
    // The same MCP client, with the tokens it already holds: no new sign-in.
    const resumed = await ctx.connectHttp(alice.oauthClient);
    assertProfileOf(await callProfile(resumed), ctx.user('alice'));
    assert.equal(alice.oauthClient.journeys.length, 1, 'after the restart the MCP client had to sign in again: its session should have survived');
  },
  'no-secret': async (ctx) => {
    const mi = ctx.info.managedIdentity.identities.find((m) => m.type === 'SystemAssigned');
    if (!mi) throw new CheckFailure('the IdP has no system-assigned managed identity');
    const appId = ctx.env.CLIENT_ID!;
    // The learner may have added this very credential in step 7: use theirs then, and leave it in place.
    const existing = (await ctx.idp.admin<{ value: { issuer: string; subject: string }[] }>('GET', `/apps/${appId}/federated-credentials`)).value.some(
      (c) => c.issuer === mi.issuer && c.subject === mi.objectId,
    );
    const name = `lab04-check-${Math.random().toString(36).slice(2, 8)}`;
    const fic = existing ? undefined : await ctx.idp.admin<{ id: string }>('POST', `/apps/${appId}/federated-credentials`, { name, issuer: mi.issuer, subject: mi.objectId });
    try {
      const started = await startExpectingFailure(ctx, { CLIENT_SECRET: undefined, ...ctx.info.managedIdentity.env, AUDIT_LOG_MAX_BYTES: '1048581' });
      if (started) throw new CheckFailure(`without CLIENT_SECRET (and with IDENTITY_ENDPOINT and IDENTITY_HEADER set) the server did not start: ${startFailure(started.output)}`);
      const alice = await signedIn(ctx, ctx.user('alice'));
      assertProfileOf(await callProfile(alice.client), ctx.user('alice'));
      const redeemed = (await ctx.trace(appId)).filter((e) => e.type === 'token' && !e.error && (e.grantType === 'authorization_code' || e.grantType === 'refresh_token'));
      assert.ok(redeemed.length > 0, 'no token request of the server reached the IdP');
    } finally {
      if (fic) await ctx.idp.admin('DELETE', `/apps/${appId}/federated-credentials/${encodeURIComponent(fic.id)}`).catch(() => undefined);
    }
  },
});
