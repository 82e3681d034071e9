import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CheckFailure, defineChecks, toolText } from '@mcp-lab/harness';
import { cacheFiles, copyAlone, filesOpenToOthers } from './checks/cache-files.ts';
import { expiredAt, graphCalls, refusedTokens, traceMark, untilIssuedTokensExpire } from './checks/graph-calls.ts';
import { assertProfile, cacheEnv, callTool, signInCount, signInUser, signsInUnasked, sleep } from './checks/sign-in.ts';

/**
 * Lab 02 — the public client. Black-box checks over stdio: the harness calls
 * `get_user_details`, finds the device code the server asked for through the
 * IdP's admin API (never by reading the server's output), plays the user at
 * the IdP's pages, and reads the IdP's trace, the server's output and the
 * files it leaves behind. docs/threat-model.md lists the property each check
 * proves and the mutants that prove the check can fail. Titles, hints and
 * points are in lab.json; its `parallelChecks: 4` holds because each check
 * waits mostly (on a device-code sign-in, a token's expiry, a quiet period),
 * not on the CPU.
 */

const ALLOWED_SCOPES = new Set(['user.read', 'openid', 'profile', 'offline_access']);

/**
 * How long tools-list watches for a sign-in after tools/list has answered.
 * A server that signs in at start-up (mutant sign-in-at-start) had its
 * device-code request at the IdP within half a second of answering, on two
 * cores with a load average of 8: three times that is the margin.
 */
const QUIET_MS = 1_500;

/** The most files of a cache folder cache-file-alone tries one by one (largest first). */
const MAX_ALONE_PROBES = 4;

/**
 * Files smaller than this cannot hold a token cache (MSAL's, with a refresh
 * token, runs to kilobytes, encrypted or not), so cache-file-alone does not
 * start a server for them: a 32-byte key, even in hex or base64, stays below.
 */
const MIN_CACHE_BYTES = 256;

export default defineChecks({
  'tools-list': async (ctx) => {
    const client = await ctx.connectStdio(await ctx.startServer(cacheEnv(ctx, 'tools-list')));
    const { tools } = await client.listTools();
    assert.ok(tools.some((t) => t.name === 'get_user_details'), `tools/list answered ${tools.map((t) => t.name).join(', ') || 'no tools'}`);
    // Answering tools/list proves the server is up, not that it is idle: a sign-in started at
    // start-up reaches the IdP a moment later. Watch this app's trace for a quiet period.
    const quietUntil = Date.now() + QUIET_MS;
    while (Date.now() < quietUntil && (await signInCount(ctx)) === 0) await sleep(250);
    assert.equal(
      await signInCount(ctx),
      0,
      'the server started a sign-in (a device-code or browser request at the IdP) although no tool was called: sign in when get_user_details is called, not at start-up',
    );
    assert.deepEqual(ctx.protocolViolations, [], 'the server wrote non-MCP text to stdout: log to stderr instead');
  },
  'returns-profile': async (ctx) => {
    const client = await ctx.connectStdio(await ctx.startServer(cacheEnv(ctx, 'returns-profile')));
    assertProfile(ctx, await callTool(ctx, client, 'sign-in'));
    assert.deepEqual(ctx.protocolViolations, [], 'the server wrote non-MCP text to stdout (the device code message?): send it as a logging notification and to stderr');
  },
  'second-call-silent': async (ctx) => {
    const client = await ctx.connectStdio(await ctx.startServer(cacheEnv(ctx, 'second-call-silent')));
    await callTool(ctx, client, 'sign-in');
    const after = await signInCount(ctx);
    assert.ok(after > 0, 'the first call made no sign-in at the IdP');
    await callTool(ctx, client, 'silent');
    assert.equal(await signInCount(ctx), after, 'the second call sent the user to sign in again (a new device code or authorize request)');
  },
  'restart-silent': async (ctx) => {
    const env = cacheEnv(ctx, 'restart-silent');
    const first = await ctx.startServer(env);
    await callTool(ctx, await ctx.connectStdio(first), 'sign-in');
    const after = await signInCount(ctx);
    await first.stop();
    const client = await ctx.connectStdio(await ctx.startServer(env));
    const restarted = 'after a restart (same LAB_CACHE_DIR) the server asked the user to sign in again: save the token cache in LAB_CACHE_DIR, with a key that is still there after a restart, and load it again';
    await callTool(ctx, client, 'silent', restarted);
    assert.equal(await signInCount(ctx), after, restarted);
  },
  'no-token-leaks': async (ctx) => {
    const env = cacheEnv(ctx, 'no-token-leaks');
    const server = await ctx.startServer(env);
    await callTool(ctx, await ctx.connectStdio(server), 'sign-in');
    // Stopped, so whatever it writes on the way out is on disk too (its home stays until the check ends).
    await server.stop();
    const leaks = await ctx.leaks([env.LAB_CACHE_DIR!]);
    const deviceCode = leaks.some((l) => l.kind === 'device code');
    assert.deepEqual(
      leaks.map((l) => `${l.kind} in ${l.where === 'output' ? 'the output (stdout, tool results, stderr)' : `the cache folder (${l.where})`}`),
      [],
      deviceCode
        ? 'the device code itself appeared in the output: until the sign-in ends, whoever has it can collect the user\'s tokens. Show only the message meant for the user (it holds the user code, not the device code)'
        : 'tokens were found in plain text: encrypt the token cache, and keep tokens out of stdout, stderr and tool results',
    );
    const outside = await ctx.leaksOutside([env.LAB_CACHE_DIR!]);
    assert.deepEqual(
      outside.map((l) => `${l.what} in ${l.where}`),
      [],
      'the server left tokens or a copy of its cache outside LAB_CACHE_DIR (its home or temp folder, ~/tmp): write the cache, and any temporary file for it, inside LAB_CACHE_DIR only, and never dump it elsewhere',
    );
  },
  'only-user-read': async (ctx) => {
    const client = await ctx.connectStdio(await ctx.startServer(cacheEnv(ctx, 'only-user-read')));
    // The sign-in request is enough: nobody needs to finish it (the server is stopped after the check).
    let answered = false;
    void client
      .callTool({ name: 'get_user_details', arguments: {} }, undefined, { timeout: 60_000 })
      .catch(() => undefined)
      .finally(() => {
        answered = true;
      });
    const requests = async () => (await ctx.trace(ctx.env.CLIENT_ID)).filter((e) => e.type === 'devicecode' || e.type === 'authorize');
    while ((await requests()).length === 0 && !answered && !ctx.signal.aborted) await sleep(200);
    const asked = (await requests()).flatMap((e) => e.scopes ?? []);
    const refused = (await requests()).find((e) => e.error);
    assert.ok(asked.length > 0, refused?.error ? `the sign-in request was refused: ${refused.error.error} ${refused.error.description ?? ''}` : 'no scopes were seen in the sign-in request');
    // Scopes may come as full URIs (https://graph.microsoft.com/User.Read).
    const extra = asked.filter((s) => !ALLOWED_SCOPES.has(s.replace(/^https:\/\/graph\.microsoft\.com\//i, '').toLowerCase()));
    assert.deepEqual(extra, [], `the sign-in asked for more than User.Read: ${extra.join(', ')}`);
  },
  'declined-is-tool-error': async (ctx) => {
    const server = await ctx.startServer(cacheEnv(ctx, 'declined-is-tool-error'));
    const client = await ctx.connectStdio(server);
    const result = await callTool(ctx, client, 'cancel');
    assert.equal(result.isError, true, `a cancelled sign-in should give a tool result with isError: true, got: ${toolText(result).slice(0, 300)}`);
    assert.ok(toolText(result).trim().length > 0, 'the tool error should say what happened');
    const { tools } = await client.listTools();
    assert.ok(tools.length > 0, 'the server stopped answering after the failed sign-in');
    assert.deepEqual(await ctx.leaks(), [], 'a token appeared in the output');
  },
  'graph-refusal-is-tool-error': async (ctx) => {
    await ctx.fault({ kind: 'graph-refuse-tokens' });
    const client = await ctx.connectStdio(await ctx.startServer(cacheEnv(ctx, 'graph-refusal-is-tool-error')));
    const result = await callTool(ctx, client, 'sign-in');
    assert.ok(refusedTokens(await ctx.trace(ctx.env.CLIENT_ID)).size > 0, `the server never called Graph with its token, so Graph could not refuse it: get_user_details must call GET /me. It answered: ${toolText(result).slice(0, 300)}`);
    assert.equal(
      result.isError,
      true,
      `Graph refused the access token (401), but get_user_details answered as if it had worked (${toolText(result).replace(/\s+/g, ' ').slice(0, 160)}…). Check the status of Graph's answer before using its body, and return an error result (isError: true)`,
    );
    assert.ok(toolText(result).trim().length > 0, 'the tool error should tell the user what to do (sign in again)');
    const leaks = await ctx.leaks();
    assert.deepEqual(
      leaks.map((l) => `${l.kind} in the output (stdout, tool results, stderr)`),
      [],
      'the error (or a log line about it) carries a token: say what went wrong without quoting the token or the Authorization header',
    );
  },
  'idp-certificate-checked': async (ctx) => {
    const server = await ctx.startServer(cacheEnv(ctx, 'idp-certificate-checked'), { trustIdp: false });
    // Returns when the server asks for a device code (it got through) or when the call ends (it did not).
    await signsInUnasked(ctx, await ctx.connectStdio(server));
    assert.equal(
      await signInCount(ctx),
      0,
      "the server sent a sign-in request to an IdP whose TLS certificate it could not verify (the lab's CA was withheld, as a man in the middle's certificate would be): leave certificate checks on, and make Node trust the lab's CA with NODE_EXTRA_CA_CERTS",
    );
  },
  'cache-owner-only': async (ctx) => {
    const env = cacheEnv(ctx, 'cache-owner-only');
    const server = await ctx.startServer(env);
    await callTool(ctx, await ctx.connectStdio(server), 'sign-in');
    await server.stop();
    if (process.platform === 'win32') {
      // Windows keeps access in ACLs, not in the mode bits Node reports: nothing to see here.
      ctx.note('Windows has no POSIX file modes: the permissions of the cache files were not checked.');
      return;
    }
    const open = filesOpenToOthers(path.resolve(ctx.dir, env.LAB_CACHE_DIR!));
    assert.deepEqual(
      open.map((f) => `${f.file} (${f.mode})`),
      [],
      'files in LAB_CACHE_DIR can be read by other users of the machine: create each file with mode 0o600 (the mode option of writeFile), temporary files included',
    );
  },
  'cache-file-alone': async (ctx) => {
    const env = cacheEnv(ctx, 'cache-file-alone');
    const first = await ctx.startServer(env);
    await callTool(ctx, await ctx.connectStdio(first), 'sign-in');
    await first.stop();
    // A server that keeps no cache has nothing to copy (restart-silent fails it instead).
    const dir = path.resolve(ctx.dir, env.LAB_CACHE_DIR!);
    const files = cacheFiles(dir);
    ctx.note(`LAB_CACHE_DIR after the sign-in: ${files.join(', ') || 'empty'}`);
    // Each file that could hold the cache, alone in a fresh cache folder, as if copied out of a backup.
    const candidates = files.filter((file) => fs.statSync(path.join(dir, file)).size >= MIN_CACHE_BYTES).slice(0, MAX_ALONE_PROBES);
    const probes = await Promise.all(
      candidates.map(async (file, i) => {
        const alone = cacheEnv(ctx, `cache-file-alone-${i + 1}`);
        copyAlone(dir, file, path.resolve(ctx.dir, alone.LAB_CACHE_DIR!));
        return { file, server: await ctx.startServer(alone) };
      }),
    );
    for (const { file, server } of probes) {
      const { signedIn } = await signsInUnasked(ctx, await ctx.connectStdio(server));
      await server.stop();
      if (signedIn) {
        throw new CheckFailure(
          `with nothing but a copy of ${file} in an empty LAB_CACHE_DIR, the server signed ${signInUser(ctx).username} in without asking: that one file is enough to act as the user. The key must not be inside the cache file, nor fixed in the code, nor derived from something anyone on the machine can compute`,
        );
      }
    }
  },
  'graph-refusal-signs-in-again': async (ctx) => {
    const off = await ctx.fault({ kind: 'graph-refuse-tokens' });
    const client = await ctx.connectStdio(await ctx.startServer(cacheEnv(ctx, 'graph-refusal-signs-in-again')));
    await callTool(ctx, client, 'sign-in');
    const refused = refusedTokens(await ctx.trace(ctx.env.CLIENT_ID));
    assert.ok(refused.size > 0, 'the server never called Graph with its token, so Graph could not refuse it: get_user_details must call GET /me');
    await off();
    const mark = await traceMark(ctx);
    const result = await callTool(ctx, client, 'sign-in');
    const again = graphCalls(await mark.since()).filter((e) => refused.has(e.fingerprints?.accessToken ?? ''));
    assert.equal(
      again.length,
      0,
      'after Graph refused the access token (401), the next call presented that same token again: forget the cached account on a 401 (report the 401 as a GraphError with status 401, which the server acts on), so the next call signs in again',
    );
    assertProfile(ctx, result, 'after Graph refused a token, the next call did not recover: ');
  },
  'expired-token-renewed': async (ctx) => {
    await ctx.fault({ kind: 'access-token-lifetime', seconds: 1 });
    const client = await ctx.connectStdio(await ctx.startServer(cacheEnv(ctx, 'expired-token-renewed')));
    assertProfile(ctx, await callTool(ctx, client, 'sign-in'));
    // Twice: a server that keeps in memory only the tokens it renewed is caught the second time.
    for (const round of ['first', 'second']) {
      await untilIssuedTokensExpire(ctx);
      const began = Date.now();
      const mark = await traceMark(ctx);
      const result = await callTool(ctx, client, 'silent', 'when the access token expired, the server asked the user to sign in again: acquireTokenSilent renews an expired token with the refresh token, without the user');
      const events = await mark.since();
      const stale = expiredAt(events, began);
      assert.deepEqual(
        stale.map((t) => `token ${t.fingerprint} (expired ${((began - t.exp * 1000) / 1000).toFixed(1)} s before the call)`),
        [],
        `the ${round} call after the access token expired sent Graph an expired token: the server kept it instead of asking MSAL (acquireTokenSilent) for a token on every call`,
      );
      assert.ok(graphCalls(events).length > 0, `the ${round} call after the token expired did not call Graph`);
      assertProfile(ctx, result, `the ${round} call after the access token expired: `);
    }
  },
});
