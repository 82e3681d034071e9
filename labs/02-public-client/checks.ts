import assert from 'node:assert/strict';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CheckFailure, defineLab, type CheckContext, type LabEnv } from '@mcp-lab/harness';
import { playDeviceCode, type PendingDeviceCode } from '@mcp-lab/mock-idp';

/**
 * Lab 02 — the public client. Black-box checks over stdio: the harness calls
 * `get_user_details`, finds the device code the server asked for through the
 * IdP's admin API (never by reading the server's output), plays the user at
 * the IdP's pages, and reads the IdP's trace.
 */

const ALICE = { username: 'alice@contoso.test', password: 'alice-lab-2026', displayName: 'Alice Jansen' };
const ALLOWED_SCOPES = new Set(['user.read', 'openid', 'profile', 'offline_access']);

interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
}

/** Each check gets a token cache of its own (inside the lab's cache folder), so no check signs in for another. */
function cacheEnv(ctx: CheckContext, name: string): LabEnv {
  return { LAB_CACHE_DIR: path.join(ctx.env.LAB_CACHE_DIR ?? '.lab-cache', name) };
}

async function pendingCodes(ctx: CheckContext): Promise<PendingDeviceCode[]> {
  const { value } = await ctx.idp.admin<{ value: PendingDeviceCode[] }>('GET', `/device-codes?client=${encodeURIComponent(ctx.env.CLIENT_ID ?? '')}`);
  return value;
}

function textOf(result: ToolResult): string {
  return result.content.map((c) => c.text ?? '').join('\n');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls get_user_details. When the server asks for a device code meanwhile:
 * `sign-in` plays Alice and approves it, `cancel` plays Alice cancelling,
 * `silent` fails the check (this call should not have needed a sign-in).
 */
async function callTool(ctx: CheckContext, client: Client, user: 'sign-in' | 'cancel' | 'silent'): Promise<ToolResult> {
  // Codes pending before this call belong to someone else (an earlier check's abandoned sign-in).
  const before = new Set((await pendingCodes(ctx)).map((c) => c.userCode));
  let done = false;
  const call = client.callTool({ name: 'get_user_details', arguments: {} }, undefined, { timeout: 60_000 }).finally(() => {
    done = true;
  }) as Promise<ToolResult>;
  const watch = (async (): Promise<void> => {
    while (!done && !ctx.signal.aborted) {
      const code = (await pendingCodes(ctx)).find((c) => !before.has(c.userCode));
      if (code) {
        if (user === 'silent') throw new CheckFailure('the server asked the user to sign in again (a new device code): it should have used the cached account with acquireTokenSilent first');
        await playDeviceCode(`${ctx.env.AUTHORITY_HOST}/${ctx.env.TENANT_ID}/devicelogin`, {
          username: ALICE.username,
          password: ALICE.password,
          userCode: code.userCode,
          ...(user === 'cancel' ? { consent: 'cancel' as const } : {}),
        });
        return;
      }
      await sleep(200);
    }
  })();
  // A failing watcher ends the check at once; otherwise wait for the tool's answer.
  const [result] = await Promise.all([call, watch]);
  return result;
}

async function signInCount(ctx: CheckContext): Promise<number> {
  return (await ctx.trace(ctx.env.CLIENT_ID)).filter((e) => e.type === 'devicecode' || e.type === 'authorize').length;
}

function assertProfile(result: ToolResult): void {
  const text = textOf(result);
  assert.ok(!result.isError, `get_user_details answered with an error: ${text.slice(0, 300)}`);
  assert.ok(text.includes(ALICE.displayName), `the result should hold the signed-in user's Graph profile (displayName "${ALICE.displayName}"), but was: ${text.slice(0, 300)}`);
}

export default defineLab({
  manifestVersion: 1,
  id: '02-public-client',
  title: 'The public client: a stdio MCP server that signs the user in',
  titleNl: 'De public client: een stdio-MCP-server die de gebruiker laat aanmelden',
  lesson: '/en/06-labs/02-public-client',
  transport: 'stdio',
  start: { command: ['node', 'src/server.ts'] },
  env: ['AUTHORITY_HOST', 'TENANT_ID', 'CLIENT_ID', 'GRAPH_BASE_URL', 'LAB_AUTH_MODE', 'LAB_CACHE_DIR'],
  seededApp: 'publicClient',
  timeouts: { checkMs: 30_000, labMs: 240_000 },
  // Each check waits mostly on a device-code sign-in, not on the CPU: three at once.
  parallelChecks: 3,
  checks: [
    {
      id: 'tools-list',
      title: 'tools/list shows get_user_details before anyone signs in',
      points: 1,
      hint: 'Register the tool with McpServer.registerTool at start, sign in only when it is called, and never write to stdout (use stderr).',
      lessonStep: '#step-1-the-mcp-server',
      taskId: 1,
      testCode: "const { tools } = await client.listTools();\nassert.ok(tools.some((t) => t.name === 'get_user_details'));\nassert.deepEqual(protocolViolations, []);",
      run: async (ctx) => {
        const client = await ctx.connectStdio(await ctx.startServer(cacheEnv(ctx, 'tools-list')));
        const { tools } = await client.listTools();
        assert.ok(tools.some((t) => t.name === 'get_user_details'), `tools/list answered ${tools.map((t) => t.name).join(', ') || 'no tools'}`);
        assert.equal(await signInCount(ctx), 0, 'the server started a sign-in before any tool was called');
        assert.deepEqual(ctx.protocolViolations, [], 'the server wrote non-MCP text to stdout: log to stderr instead');
      },
    },
    {
      id: 'returns-profile',
      title: "get_user_details returns the signed-in user's Graph profile",
      points: 3,
      hint: 'After sign-in, call GET {GRAPH_BASE_URL}/me with the access token as a Bearer token and return the JSON as text.',
      lessonStep: '#step-4-call-graph',
      taskId: 2,
      testCode: "const result = await client.callTool({ name: 'get_user_details' }); // the grader signs in as Alice\nassert.match(result.content[0].text, /Alice Jansen/);",
      todo: 'graph',
      run: async (ctx) => {
        const client = await ctx.connectStdio(await ctx.startServer(cacheEnv(ctx, 'returns-profile')));
        assertProfile(await callTool(ctx, client, 'sign-in'));
        assert.deepEqual(ctx.protocolViolations, [], 'the server wrote non-MCP text to stdout (the device code message?): send it as a logging notification and to stderr');
      },
    },
    {
      id: 'second-call-silent',
      title: 'a second call signs in silently (no new sign-in)',
      points: 2,
      hint: 'Before any interactive sign-in, try acquireTokenSilent with the cached account (getTokenCache().getAllAccounts()).',
      lessonStep: '#step-2-silent-first',
      taskId: 2,
      testCode: "await client.callTool({ name: 'get_user_details' }); // signs in\nawait client.callTool({ name: 'get_user_details' });\nassert.equal(newSignIns(trace), 0);",
      todo: 'silent',
      run: async (ctx) => {
        const client = await ctx.connectStdio(await ctx.startServer(cacheEnv(ctx, 'second-call-silent')));
        await callTool(ctx, client, 'sign-in');
        const after = await signInCount(ctx);
        assert.ok(after > 0, 'the first call made no sign-in at the IdP');
        await callTool(ctx, client, 'silent');
        assert.equal(await signInCount(ctx), after, 'the second call sent the user to sign in again (a new device code or authorize request)');
      },
    },
    {
      id: 'restart-silent',
      title: 'a restarted server is still signed in (persistent token cache)',
      points: 2,
      hint: 'Give PublicClientApplication a cache plugin (beforeCacheAccess / afterCacheAccess) that saves the serialized cache in LAB_CACHE_DIR and loads it again.',
      lessonStep: '#step-3-a-persistent-encrypted-cache',
      taskId: 3,
      testCode: "await client.callTool({ name: 'get_user_details' }); // signs in\nawait restart(); // same LAB_CACHE_DIR\nawait client2.callTool({ name: 'get_user_details' });\nassert.equal(newSignIns(trace), 0);",
      todo: 'cache',
      run: async (ctx) => {
        const env = cacheEnv(ctx, 'restart-silent');
        const first = await ctx.startServer(env);
        await callTool(ctx, await ctx.connectStdio(first), 'sign-in');
        const after = await signInCount(ctx);
        await first.stop();
        const client = await ctx.connectStdio(await ctx.startServer(env));
        await callTool(ctx, client, 'silent');
        assert.equal(await signInCount(ctx), after, 'after a restart the server sent the user to sign in again: persist the token cache in LAB_CACHE_DIR');
      },
    },
    {
      id: 'no-token-leaks',
      title: 'no token in the cache folder or the server output',
      points: 2,
      hint: 'Encrypt the serialized cache (AES-256-GCM) before writing it, and never print tokens or MSAL results.',
      lessonStep: '#step-3-a-persistent-encrypted-cache',
      taskId: 3,
      testCode: "await client.callTool({ name: 'get_user_details' }); // signs in\nassert.deepEqual(await leaks([LAB_CACHE_DIR]), []);",
      run: async (ctx) => {
        const env = cacheEnv(ctx, 'no-token-leaks');
        const server = await ctx.startServer(env);
        await callTool(ctx, await ctx.connectStdio(server), 'sign-in');
        // Stopped, so whatever it writes on the way out is on disk too.
        await server.stop();
        const leaks = await ctx.leaks([env.LAB_CACHE_DIR!]);
        assert.deepEqual(
          leaks.map((l) => `${l.kind} in ${l.where}`),
          [],
          'tokens were found in plain text: encrypt the token cache and keep tokens out of stdout/stderr',
        );
      },
    },
    {
      id: 'only-user-read',
      title: 'the server asks for User.Read only',
      points: 1,
      hint: "Request the scopes ['User.Read'] and nothing else: least privilege.",
      lessonStep: '#step-1-the-mcp-server',
      taskId: 1,
      visibility: 'visible',
      testCode: "const asked = trace.find((e) => e.type === 'devicecode').scopes;\nassert.ok(asked.every((s) => ['User.Read', 'openid', 'profile', 'offline_access'].includes(s)));",
      run: async (ctx) => {
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
    },
    {
      id: 'declined-is-tool-error',
      title: 'a cancelled sign-in is a tool error, not a crash',
      points: 2,
      hint: 'Catch MSAL errors (compare errorCode, e.g. authorization_declined) and return { isError: true, content: [...] } with a message the user can act on.',
      lessonStep: '#step-5-failures-the-user-can-act-on',
      taskId: 4,
      testCode: "const result = await client.callTool({ name: 'get_user_details' }); // the user cancels\nassert.equal(result.isError, true);\nawait client.listTools(); // still alive",
      run: async (ctx) => {
        const server = await ctx.startServer(cacheEnv(ctx, 'declined-is-tool-error'));
        const client = await ctx.connectStdio(server);
        const result = await callTool(ctx, client, 'cancel');
        assert.equal(result.isError, true, `a cancelled sign-in should give a tool result with isError: true, got: ${textOf(result).slice(0, 300)}`);
        assert.ok(textOf(result).trim().length > 0, 'the tool error should say what happened');
        const { tools } = await client.listTools();
        assert.ok(tools.length > 0, 'the server stopped answering after the failed sign-in');
        assert.deepEqual(await ctx.leaks(), [], 'a token appeared in the output');
      },
    },
  ],
});
