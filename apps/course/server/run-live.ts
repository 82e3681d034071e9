import fs from 'node:fs';
import path from 'node:path';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { checkSubmission, connectHttp, defineLab, findLab, loadLab, serveCommand, toolText, WORK_ROOT, type CheckContext, type LabIdp, type ToolResult } from '@mcp-lab/harness';
import type { ProblemStage } from '../src/flows/flow-model.ts';
import { fetchIdpInfo, idpBaseUrl, IdpUnreachableError } from '../src/lab/idp.ts';
import { BrowserOAuthClient, loopbackCallback } from './browser-oauth-client.ts';
import { emit } from './emit.ts';
import { fromExchange } from './exchange-events.ts';
import { fromTrace, runnerEvent } from './flow-events.ts';
import { runningIdpForSite } from './run-idp.ts';

/** How long a live flow may wait for the learner (to read the code, sign in, consent). */
const PERSON_MS = 10 * 60_000;

type TraceEvent = Awaited<ReturnType<LabIdp['events']>>[number];

function problem(stage: ProblemStage, code: string, message: string, fix: string, command?: string): void {
  emit({ type: 'flow', event: runnerEvent('problem', message, { detail: { stage, code, ...(command ? { command } : {}) }, fix }) });
  emit({ type: 'problem', code, message, fix, ...(command ? { command } : {}) });
}

/** A server that did not start: the learner runs it by hand with the lab's one serve command to see why. */
function serverDidNotStart(ctx: CheckContext, error: unknown): void {
  const command = serveCommand(ctx.lab) ?? `npm run lab -- check ${ctx.lab.id}`;
  problem('server', 'SERVER_DID_NOT_START', `The lab's server did not start: ${(error as Error).message}`, `Run \`${command}\` to see its error, fix it, and try again.`, command);
}

/**
 * Follows the IdP's trace stream (`/_lab/events`, Server-Sent Events) of one
 * tenant from an event id on, and hands on each event of this app — and those
 * of no app, such as discovery, which MSAL reads without naming itself — as it arrives.
 */
function followTrace(baseUrl: string, since: number, app: { tenantId?: string; clientId?: string }, signal: AbortSignal, onEvent: (event: TraceEvent) => void): Promise<void> {
  const query = new URLSearchParams({ since: String(since), ...(app.tenantId ? { tenant: app.tenantId } : {}) });
  const ours = (event: TraceEvent) => event.type !== 'admin' && (!event.clientId || !app.clientId || event.clientId.toLowerCase() === app.clientId.toLowerCase());
  return (async () => {
    const response = await fetch(`${baseUrl}/_lab/events?${query.toString()}`, { headers: { accept: 'text/event-stream' }, signal });
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = message
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trimStart())
          .join('\n');
        if (!data) continue;
        const event = JSON.parse(data) as TraceEvent;
        if (ours(event)) onEvent(event);
      }
    }
  })().catch((error: unknown) => {
    if (!signal.aborted) throw error;
  });
}

/**
 * Tells the page the code to enter as soon as the server has asked the IdP for one (found as the checks find it: ctx.deviceCodes).
 * `before`: codes pending when the flow began — someone else's (an earlier run's abandoned sign-in), never shown.
 */
async function watchDeviceCode(ctx: CheckContext, before: readonly string[], done: () => boolean): Promise<void> {
  const seen = new Set<string>(before);
  while (!done() && !ctx.signal.aborted) {
    for (const { userCode, verificationUri } of (await ctx.deviceCodes()).filter((c) => !seen.has(c.userCode))) {
      seen.add(userCode);
      emit({ type: 'user-action', kind: 'device-code', userCode, verificationUri });
      emit({ type: 'flow', event: runnerEvent('user.prompt', `Sign in at ${verificationUri} with the code ${userCode}`, { detail: { userCode, verificationUri } }) });
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Lab 02's flow, played once: the tool call that makes the server sign the learner in, then its answer. */
async function publicClientFlow(ctx: CheckContext): Promise<void> {
  const since = await ctx.idp.lastEventId();
  const before = (await ctx.deviceCodes()).map((c) => c.userCode);
  const following = new AbortController();
  const trace = followTrace(ctx.idp.baseUrl, since, { ...(ctx.env.TENANT_ID ? { tenantId: ctx.env.TENANT_ID } : {}), ...(ctx.env.CLIENT_ID ? { clientId: ctx.env.CLIENT_ID } : {}) }, following.signal, (event) => emit({ type: 'flow', event: fromTrace(event) }));
  try {
    let server;
    try {
      server = await ctx.startServer({ LAB_CACHE_DIR: path.join(ctx.env.LAB_CACHE_DIR ?? '.lab-cache', `live-${Date.now()}`) });
    } catch (error) {
      serverDidNotStart(ctx, error);
      throw error;
    }
    let client;
    try {
      client = await ctx.connectStdio(server);
    } catch (error) {
      // Give the server a moment to finish printing why it stopped.
      await Promise.race([server.exited, new Promise((resolve) => setTimeout(resolve, 1000))]);
      const output = server.output().trim();
      problem('server', 'NO_MCP_HANDSHAKE', `${(error as Error).message}${output ? `\n\n${output.slice(-3000)}` : ''}`, 'The server must answer MCP on stdin/stdout and write its logs to stderr.');
      throw error;
    }
    emit({ type: 'flow', event: runnerEvent('mcp.call', 'tools/call get_user_details', { detail: { method: 'tools/call', params: { name: 'get_user_details', arguments: {} } } }) });
    let answered = false;
    const watching = watchDeviceCode(ctx, before, () => answered);
    let result: ToolResult;
    try {
      result = (await client.callTool({ name: 'get_user_details', arguments: {} }, undefined, { timeout: PERSON_MS })) as ToolResult;
    } catch (error) {
      problem('mcp', 'TOOL_CALL_FAILED', `tools/call get_user_details failed: ${(error as Error).message}`, 'See the server’s output: did it crash, or write to stdout?');
      throw error;
    } finally {
      answered = true;
    }
    await watching;
    const text = toolText(result);
    emit({
      type: 'flow',
      event: runnerEvent('mcp.result', result.isError ? 'the tool answered with an error' : 'the tool answered', {
        detail: { isError: Boolean(result.isError), text: text.slice(0, 2000) },
        ...(result.isError ? { error: { error: 'tool_error', description: text.slice(0, 500) } } : {}),
      }),
    });
    // Trace events still on their way (the stream is a little behind the tool's answer).
    await new Promise((resolve) => setTimeout(resolve, 500));
    // A tool that answers with an error has not done the flow's work: the run failed, not done.
    if (result.isError) throw new Error('get_user_details answered with an error: open the failed step on the diagram.');
  } finally {
    following.abort();
    await trace;
  }
}

/** Hands on every exchange the recording proxy sees between the MCP client (and the browser) and the lab's server. */
function followExchanges(ctx: CheckContext, signal: AbortSignal): Promise<void> {
  let seen = 0;
  const drain = () => {
    const all = ctx.exchanges();
    for (const exchange of all.slice(seen)) emit({ type: 'flow', event: fromExchange(exchange) });
    seen = all.length;
  };
  return (async () => {
    while (!signal.aborted) {
      drain();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    drain();
  })();
}

type McpClient = Awaited<ReturnType<typeof connectHttp>>;

/**
 * One tool call, on the diagram as a call and its result (on the arrows
 * named, when the flow has several calls). `refusal`: the step exists to show
 * the server saying no (a missing role, Graph throttling); a tool that
 * answers anyway fails the arrow, with why in `refusal`. True when the
 * answer was the one expected (the refusal, or else a result without error).
 */
async function callToolLive(client: McpClient, name: string, arrows?: { call: string; result: string }, refusal?: string): Promise<boolean> {
  emit({ type: 'flow', event: runnerEvent('mcp.call', `tools/call ${name}`, { detail: { method: 'tools/call', params: { name, arguments: {} } }, ...(arrows ? { arrow: arrows.call } : {}) }) });
  let result: ToolResult;
  try {
    result = (await client.callTool({ name, arguments: {} })) as ToolResult;
  } catch (error) {
    // No answer at all (a server that retries Graph forever times out here): the failure goes on the answer's arrow.
    emit({
      type: 'flow',
      event: runnerEvent('mcp.result', `tools/call ${name} got no answer`, {
        error: { error: 'tool_call_failed', description: (error as Error).message },
        fix: 'See the server’s output: a tool must answer, with an error (isError) when it cannot do its work, never hang.',
        ...(arrows ? { arrow: arrows.result } : {}),
      }),
    });
    throw error;
  }
  const text = toolText(result);
  const error = result.isError ? { error: 'tool_error', description: text.slice(0, 500) } : refusal ? { error: 'not_refused', description: refusal } : undefined;
  emit({
    type: 'flow',
    event: runnerEvent('mcp.result', result.isError ? 'the tool answered with an error' : 'the tool answered', {
      detail: { isError: Boolean(result.isError), text: text.slice(0, 2000) },
      ...(error ? { error } : {}),
      ...(arrows ? { arrow: arrows.result } : {}),
    }),
  });
  return refusal ? Boolean(result.isError) : !result.isError;
}

/**
 * Lab 03's flow, once, with the learner as the person: an MCP client with
 * OAuth (the SDK's) connects, gets 401, finds the server's metadata,
 * registers with a loopback redirect URI, and the page opens the server's
 * /authorize in the learner's browser: the server's consent page, Entra's
 * sign-in, back to the server, back to this client. Then the tool call.
 */
const confidentialClientFlow = signedInFlow(async (_ctx, client) => {
  if (!(await callToolLive(client, 'get_user_details'))) throw new Error('get_user_details answered with an error: open the failed step on the diagram.');
});

/**
 * Lab 04's flow: lab 03's sign-in (over HTTPS), then the privileged tool
 * (refused unless the person's token carries Tools.Admin: sign in as alice
 * to see the refusal), a profile call while the IdP's Graph throttles this
 * run's app (the server's retries, then "try again later"), and the same
 * call once the throttling is off.
 */
const bestPracticesFlow = signedInFlow(async (ctx, client) => {
  // Every call is played even when one goes wrong (the diagram shows all of it); the run fails at the end.
  const refused = await callToolLive(client, 'list_sessions', { call: 'admin-call', result: 'admin-denied' }, 'list_sessions answered: the token holds Tools.Admin (sign in as alice, who lacks it), or the server does not check the role the tool needs.');
  const calm = await ctx.fault({ kind: 'graph-throttle', retryAfterSeconds: 1 });
  const backedOff = await callToolLive(client, 'get_user_details', { call: 'throttled-call', result: 'try-later' }, 'get_user_details answered while Graph throttled every call: the server must give up after its retries and say "try again later".');
  await calm();
  const answered = await callToolLive(client, 'get_user_details', { call: 'tool-call', result: 'tool-result' });
  const wrong = [
    ...(refused ? [] : ['the privileged tool was not refused']),
    ...(backedOff ? [] : ['the throttled call did not end in "try again later"']),
    ...(answered ? [] : ['the profile call answered with an error once Graph was calm']),
  ];
  if (wrong.length) throw new Error(`${wrong.join('; ')}: open the failed step on the diagram.`);
});

/** A lab's flow with the person's sign-in first (labs 03 and 04), then `afterSignIn` with the connected client. */
function signedInFlow(afterSignIn: (ctx: CheckContext, client: McpClient) => Promise<void>): (ctx: CheckContext) => Promise<void> {
  return (ctx) => signInThen(ctx, afterSignIn);
}

async function signInThen(ctx: CheckContext, afterSignIn: (ctx: CheckContext, client: McpClient) => Promise<void>): Promise<void> {
  const since = await ctx.idp.lastEventId();
  const following = new AbortController();
  const app = { ...(ctx.env.TENANT_ID ? { tenantId: ctx.env.TENANT_ID } : {}), ...(ctx.env.CLIENT_ID ? { clientId: ctx.env.CLIENT_ID } : {}) };
  const trace = followTrace(ctx.idp.baseUrl, since, app, following.signal, (event) => emit({ type: 'flow', event: fromTrace(event) }));
  const exchanges = followExchanges(ctx, following.signal);
  const callback = await loopbackCallback(ctx.signal);
  try {
    try {
      await ctx.startServer();
    } catch (error) {
      serverDidNotStart(ctx, error);
      throw error;
    }
    const provider = new BrowserOAuthClient(callback.redirectUrl, (url) => {
      emit({ type: 'user-action', kind: 'browser', userCode: '', verificationUri: url.href });
      emit({ type: 'flow', event: runnerEvent('user.prompt', `Open ${url.origin}${url.pathname} in the browser`, { detail: { url: url.href } }) });
    });
    let client;
    try {
      client = await connectHttp(ctx.mcpUrl, { authProvider: provider });
    } catch (error) {
      if (!provider.asked) {
        problem('server', 'SIGN_IN_FAILED', `Connecting through the MCP client failed before any sign-in: ${(error as Error).message}`, 'Open the step that failed on the diagram: its answer says what the server refused.');
        throw error;
      }
    }
    if (!client) {
      const code = await callback.code;
      const result = await auth(provider, { serverUrl: ctx.mcpUrl, authorizationCode: code }).catch((error: unknown) => {
        problem('server', 'SIGN_IN_FAILED', `The server did not give the MCP client a token for the code: ${(error as Error).message}`, 'Open the POST /token step on the diagram: its answer says what the server refused.');
        throw error;
      });
      if (result !== 'AUTHORIZED') throw new Error(`the sign-in ended as ${result}`);
      client = await connectHttp(ctx.mcpUrl, { authProvider: provider });
    }
    await afterSignIn(ctx, client);
    await client.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    callback.close();
    following.abort();
    await Promise.all([trace, exchanges]);
  }
}

/** The MCP client as Entra needs it: a pre-registered client ID, and no RFC 8707 `resource` (Entra's v2.0 endpoints refuse it). */
class EntraBrowserOAuthClient extends BrowserOAuthClient {
  validateResourceURL(): Promise<URL | undefined> {
    return Promise.resolve(undefined);
  }
}

/**
 * Lab 05's flow, once, with the learner as the person: the MCP client
 * (the SDK's, with the lab's pre-registered public client ID) gets 401,
 * reads the server's protected-resource metadata and Entra's metadata, and
 * the page opens Entra's /authorize in the learner's browser. Back on the
 * loopback redirect, the client redeems the code for a token whose audience
 * is the server, and calls the tool; the server validates the token and
 * calls Graph on-behalf-of. The API's Graph permission gets admin consent
 * first, as an admin does once in the portal: without it on-behalf-of has
 * nobody's consent to act on.
 */
async function resourceServerFlow(ctx: CheckContext): Promise<void> {
  const since = await ctx.idp.lastEventId();
  const following = new AbortController();
  // The client (the lab's public client) and the server (the API) are two apps: follow the tenant, not one app.
  const trace = followTrace(ctx.idp.baseUrl, since, ctx.env.TENANT_ID ? { tenantId: ctx.env.TENANT_ID } : {}, following.signal, (event) => emit({ type: 'flow', event: fromTrace(event) }));
  const exchanges = followExchanges(ctx, following.signal);
  // The MCP client's own registration, made in advance: a public client of the tenant with Entra's loopback
  // redirect URI (the lab's seeded desktop client is the oldest such app).
  const desktopClient = ctx.info.apps.find((a) => a.tenantId === ctx.env.TENANT_ID && a.publicClient && a.redirectUris.includes('http://localhost'))?.clientId;
  if (!desktopClient) {
    problem('idp', 'NO_DESKTOP_CLIENT', 'The tenant has no public client with the redirect URI http://localhost for the MCP client to sign in with.', 'Register one (Mobile and desktop, http://localhost) in the lab portal, or reset the IdP to its seed.');
    throw new Error('no pre-registered MCP client');
  }
  const callback = await loopbackCallback(ctx.signal, { host: 'localhost', path: '/' });
  try {
    if (ctx.env.CLIENT_ID) await ctx.idp.admin('POST', `/apps/${ctx.env.CLIENT_ID}/admin-consent`);
    try {
      await ctx.startServer();
    } catch (error) {
      serverDidNotStart(ctx, error);
      throw error;
    }
    const provider = new EntraBrowserOAuthClient(
      callback.redirectUrl,
      (url) => {
        emit({ type: 'user-action', kind: 'browser', userCode: '', verificationUri: url.href });
        emit({ type: 'flow', event: runnerEvent('user.prompt', `Open ${url.origin}${url.pathname} in the browser`, { detail: { url: url.href } }) });
      },
      { client_id: desktopClient },
    );
    let client;
    try {
      client = await connectHttp(ctx.mcpUrl, { authProvider: provider });
    } catch (error) {
      if (!provider.asked) {
        problem('server', 'SIGN_IN_FAILED', `Connecting through the MCP client failed before any sign-in: ${(error as Error).message}`, 'Open the step that failed on the diagram: the server’s answer or the metadata says what is missing.');
        throw error;
      }
    }
    if (!client) {
      const code = await callback.code;
      const result = await auth(provider, { serverUrl: ctx.mcpUrl, authorizationCode: code }).catch((error: unknown) => {
        problem('idp', 'SIGN_IN_FAILED', `Entra did not give the MCP client a token for the code: ${(error as Error).message}`, 'Open the POST /token step on the diagram: Entra’s answer says why.');
        throw error;
      });
      if (result !== 'AUTHORIZED') throw new Error(`the sign-in ended as ${result}`);
      client = await connectHttp(ctx.mcpUrl, { authProvider: provider });
    }
    // A tool error ends the run as failed: "done" with the on-behalf-of step "skipped" would hide a server that never made it.
    if (!(await callToolLive(client, 'get_my_profile'))) throw new Error('get_my_profile answered with an error: open the failed step on the diagram.');
    await client.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    callback.close();
    following.abort();
    await Promise.all([trace, exchanges]);
  }
}

const FLOW_DRIVERS: Record<string, ((ctx: CheckContext) => Promise<void>) | undefined> = {
  '02-public-client': publicClientFlow,
  '03-confidential-client': confidentialClientFlow,
  '04-best-practices': bestPracticesFlow,
  '05-resource-server': resourceServerFlow,
};

/**
 * `live <lab> --source solution|work`: the lab's real flow, once, against the
 * learner's running IdP (they sign in there, in their own browser). The
 * server is started by the harness exactly as for a check (staged copy,
 * sandbox, the lab's environment), as a one-check lab of the site's own.
 */
export async function runLive(labName: string, source: 'solution' | 'work'): Promise<number> {
  const folder = findLab(labName);
  const lab = await loadLab(folder);
  const driver = FLOW_DRIVERS[folder.id];
  if (!driver) {
    emit({ type: 'problem', code: 'NO_LIVE_FLOW', message: `${folder.id} has no live flow yet.`, fix: 'Run its checks from the lab dashboard instead.' });
    return 2;
  }
  const dir = source === 'work' ? path.join(WORK_ROOT, folder.id) : path.join(folder.dir, 'solution');
  if (!fs.existsSync(dir)) {
    problem('server', 'NO_WORKING_COPY', `There is no working copy ${dir} yet.`, `Create it with \`npm run lab -- start ${folder.id}\` (or on the lab dashboard), or run the solution.`);
    return 2;
  }
  try {
    await fetchIdpInfo();
  } catch (error) {
    problem('idp', 'IDP_UNREACHABLE', (error as Error).message, error instanceof IdpUnreachableError ? error.fix : 'Restart the lab with `npm start`.');
    return 2;
  }
  const idp = runningIdpForSite();
  if (!idp) {
    problem('idp', 'IDP_NOT_THE_LABS', `The IdP at ${idpBaseUrl()} answers, but it is not the one this lab started (no admin token in .lab/idp for it).`, 'Start the lab with `npm start`, which runs the IdP and the site together.');
    return 2;
  }
  const live = defineLab({
    ...lab.manifest,
    timeouts: { checkMs: PERSON_MS + 60_000, labMs: PERSON_MS + 120_000 },
    checks: [{ id: 'live-flow', title: 'live flow', points: 0, hint: 'the live diagram shows where it stopped', lessonStep: '#live-flow', testCode: 'live', run: driver }],
  });
  emit({ type: 'run', lab: folder.id, dir, idp: { baseUrl: idp.baseUrl, private: false }, checks: ['live-flow'] });
  const result = await checkSubmission(live, dir, { idp });
  const check = result.checks[0];
  const ok = result.status === 'pass';
  if (!ok && !check) problem('server', 'RUN_FAILED', result.message ?? 'The flow could not be run.', 'See the site’s server output.');
  emit({ type: 'done', status: result.status, score: 0, maxScore: 0, ...(check?.message ? { message: check.message } : {}), recorded: false });
  return ok ? 0 : 1;
}
