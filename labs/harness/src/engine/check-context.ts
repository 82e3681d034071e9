import type { Readable, Writable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { playDeviceCode, type LabInfo, type ListedDeviceCode, type TraceEvent } from '@mcp-lab/mock-idp';
import type { LabEnv, LabManifest } from '../model.ts';
import { StreamTransport } from '../mcp/stream-transport.ts';
import { CheckCannotRun, ServerDidNotStart } from './check-outcomes.ts';
import { scanForLeaks, type Leak } from './token-scan.ts';
import { scanHome, type StrayCopy } from './home-scan.ts';
import path from 'node:path';
import type { LabIdp } from './lab-idp.ts';
import type { Exchange, RecordingProxy } from '../mcp/recording-proxy.ts';
import { LabOAuthClient, connectWithOAuth, type LabOAuthClientOptions } from '../oauth/lab-oauth-client.ts';
import type { ListenAddress } from '../process/server-probe.ts';
import { advanceClocks } from './server-probe-verbs.ts';

/** A JSON-RPC message on a stdio server's stdout: the protocol itself, not something a person needs to read. */
function isJsonRpc(line: string): boolean {
  if (!line.startsWith('{')) return false;
  try {
    return (JSON.parse(line) as { jsonrpc?: unknown }).jsonrpc === '2.0';
  } catch {
    return false;
  }
}

/** A server's output as shown with a failed check: its logs, without the MCP traffic between them. */
export function withoutProtocol(output: string): string {
  const lines = output.split('\n');
  const kept = lines.filter((line) => !isJsonRpc(line.trim()));
  const dropped = lines.length - kept.length;
  return dropped ? `${kept.join('\n')}\n[${dropped} MCP message line${dropped === 1 ? '' : 's'} left out]` : output;
}

/** How long a stdio server may take to answer `initialize` (an HTTP server's ready line has as long: submission-launcher.ts). */
const HANDSHAKE_BUDGET_MS = 15_000;

/** A test user the checks sign in as (the seeded users of /_lab/info). */
export interface LabUser {
  username: string;
  password: string;
  /** As Graph's /me and the tokens' `name` give it, e.g. `Alice Jansen`. */
  displayName: string;
}

/** A device code this check's app asked for, waiting for a person (the IdP's admin API, docs/admin-api.md). */
export type DeviceCode = ListedDeviceCode;

/** A learner's server started for a check (see ../process). */
export interface ServerProcess {
  stdin: Writable;
  stdout: Readable;
  /** stdout + stderr so far, capped. */
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: string | null }>;
  /** Ends the server. Started through a check's context, its home stays until the check ends (see `home`). */
  stop(): Promise<void>;
  /** The server's own home folder (HOME; TMPDIR is `<home>/tmp`): where it may write besides LAB_CACHE_DIR. */
  readonly home?: string;
  /** Ends the server but leaves its home for a look at what it wrote there; a later stop() removes the home. */
  stopProcess?(): Promise<void>;
  /** Every address the server listened on, as its own process reported it (server-probe-verbs.ts). */
  listeningAddresses?(): Promise<ListenAddress[]>;
  /** Moves the server's wall clock `seconds` further ahead of real time (server-probe-verbs.ts). */
  advanceClock?(seconds: number): Promise<void>;
}

/** How a server is started, besides its environment. */
export interface LaunchOptions {
  /**
   * `false`: without the lab CA (NODE_EXTRA_CA_CERTS), so the IdP's
   * certificate is one the server cannot verify — as a man in the middle's
   * would be. Default true.
   */
  trustIdp?: boolean;
}

export interface ServerLauncher {
  start(env: LabEnv, options?: LaunchOptions): Promise<ServerProcess>;
  /** The server consecutive checks of one group share (warm-launcher.ts); the launcher stops it, not the check. */
  startShared?(env: LabEnv, group: string): Promise<ServerProcess>;
}

/**
 * What a check gets to work with: the learner's folder, the lab's
 * environment, the IdP (with its trace and admin API), and a way to start the
 * learner's server and talk MCP to it. Everything started through the
 * context is stopped when the check ends, whatever its outcome.
 */
export class CheckContext {
  readonly lab: LabManifest;
  /** The submission as the check sees it: a staged copy (process/stage.ts), so read its files here. */
  readonly dir: string;
  /**
   * The folder that copy was made from (the learner's own; `dir` when nothing
   * was staged): for what only that folder can answer, such as what git
   * tracks there. Read it, never write to it.
   */
  readonly sourceDir: string;
  readonly env: LabEnv;
  readonly idp: LabIdp;
  readonly info: LabInfo;
  readonly signal: AbortSignal;
  readonly #launcher: ServerLauncher;
  readonly #cleanups: (() => Promise<unknown>)[] = [];
  readonly #servers: ServerProcess[] = [];
  /** Those of #servers this check shares with the checks around it: used, never stopped, by this check. */
  readonly #shared = new Set<ServerProcess>();
  readonly #startEventId: number;
  readonly #notes: string[] = [];
  readonly #proxy: RecordingProxy | undefined;
  readonly #firstExchange: number;
  readonly #onHandshake: (() => void) | undefined;
  /** Lines the server wrote to stdout that are not MCP messages (on stdio they corrupt the protocol). */
  readonly protocolViolations: string[] = [];

  constructor(options: { lab: LabManifest; dir: string; sourceDir?: string; env: LabEnv; idp: LabIdp; info: LabInfo; signal: AbortSignal; launcher: ServerLauncher; startEventId: number; proxy?: RecordingProxy; onHandshake?: () => void }) {
    this.lab = options.lab;
    this.dir = options.dir;
    this.sourceDir = options.sourceDir ?? options.dir;
    this.env = options.env;
    this.idp = options.idp;
    this.info = options.info;
    this.signal = options.signal;
    this.#launcher = options.launcher;
    this.#startEventId = options.startEventId;
    this.#proxy = options.proxy;
    this.#firstExchange = options.proxy?.exchanges.length ?? 0;
    this.#onHandshake = options.onHandshake;
  }

  /** HTTP labs: the server's public origin (the recording proxy in front of it). */
  get publicUrl(): URL {
    if (!this.#proxy) throw new CheckCannotRun(`${this.lab.id} is not an HTTP lab: it has no public URL`);
    return new URL(this.#proxy.url.origin);
  }

  /** HTTP labs: the MCP endpoint, through the recording proxy. */
  get mcpUrl(): URL {
    return new URL('/mcp', this.publicUrl);
  }

  /** HTTP labs: every HTTP exchange with the server since this check began, as the proxy recorded it. */
  exchanges(): Exchange[] {
    return this.#proxy ? this.#proxy.exchanges.slice(this.#firstExchange) : [];
  }

  /**
   * Switches on an IdP fault for this lab's app (its scope is the app, so
   * parallel jobs are not touched); switched off again when the check ends,
   * or earlier through the function it returns.
   */
  async fault(fault: Record<string, unknown> & { kind: string }): Promise<() => Promise<void>> {
    if (!this.env.CLIENT_ID) throw new CheckCannotRun('a fault needs the app the server signs in with (CLIENT_ID)');
    const created = await this.idp.admin<{ id: string }>('POST', '/faults', { fault, scope: { clientId: this.env.CLIENT_ID } });
    let off: Promise<unknown> | undefined;
    const switchOff = () => (off ??= this.idp.admin('DELETE', `/faults/${created.id}`));
    this.#cleanups.push(switchOff);
    return async () => {
      await switchOff();
    };
  }

  /** A test user from the IdP's seed (alice, bob, …) with their password and display name. */
  user(name: string): LabUser {
    const found = this.info.users.find((u) => u.username.split('@')[0] === name || u.username === name);
    if (!found?.password) throw new CheckCannotRun(`the IdP has no test user ${name} with a known password`);
    return { username: found.username, password: found.password, displayName: found.displayName };
  }

  /**
   * Device codes this check's app (its CLIENT_ID) has asked for that nobody
   * has entered yet, oldest first: found through the IdP, never by reading
   * the server's output. A code pending before the check began belongs to
   * someone else (an earlier check's abandoned sign-in): compare with a list
   * taken at the start.
   */
  async deviceCodes(): Promise<DeviceCode[]> {
    if (!this.env.CLIENT_ID) throw new CheckCannotRun('device codes are found by the app that asked for them, and this lab has no CLIENT_ID');
    const { value } = await this.idp.admin<{ value: DeviceCode[] }>('GET', `/device-codes?${new URLSearchParams({ client: this.env.CLIENT_ID }).toString()}`);
    return value;
  }

  /**
   * Plays `user` at the device: opens the code's verification page, enters
   * the code, signs in and consents — or, with `consent: 'cancel'`, declines,
   * as a person who did not start this sign-in would.
   */
  async completeDeviceCode(code: DeviceCode, user: LabUser, options: { consent?: 'accept' | 'cancel' } = {}): Promise<void> {
    await playDeviceCode(code.verificationUri, { username: user.username, password: user.password, userCode: code.userCode, ...(options.consent ? { consent: options.consent } : {}) });
  }

  /** An OAuth client (the SDK's OAuthClientProvider) that signs in as `user` when the server asks. */
  oauthClient(user: LabUser, options: Partial<Omit<LabOAuthClientOptions, 'username' | 'password'>> = {}): LabOAuthClient {
    return new LabOAuthClient({ idpOrigin: new URL(this.info.baseUrl).origin, ...options, username: user.username, password: user.password });
  }

  /** Connects an MCP client over Streamable HTTP, signing in through `oauth` when the server answers 401; closed when the check ends. */
  async connectHttp(oauth: LabOAuthClient): Promise<Client> {
    const { client } = await connectWithOAuth(this.mcpUrl, oauth, this.signal);
    this.#cleanups.push(() => client.close());
    return client;
  }

  /**
   * Starts the learner's server with the lab's environment (plus overrides);
   * stopped when the check ends. Its home outlives a stop() in the check until
   * the check ends, so leaksOutside() can still look at what it left there.
   */
  async startServer(overrides: LabEnv = {}, options: LaunchOptions = {}): Promise<ServerProcess> {
    const launched = await this.#launcher.start({ ...this.env, ...overrides }, options);
    // Everything the launcher gave (home, probe verbs…) passes through; only stop() changes: it ends the process, the home stays.
    const server: ServerProcess = { ...launched, stop: () => (launched.stopProcess ? launched.stopProcess() : launched.stop()) };
    this.#servers.push(server);
    this.#cleanups.push(() => launched.stop());
    return server;
  }

  /**
   * A server this check may share with the checks right before and after it
   * that name the same `group`: for checks that neither move its clock nor
   * need a server nobody has used (a consent remembered, a count of
   * registered clients). Keep groups small: rate limits count per server.
   * Saves a server start per check. Where the launcher cannot share (stdio
   * labs), the check gets a server of its own.
   */
  async sharedServer(group: string): Promise<ServerProcess> {
    if (!this.#launcher.startShared) return this.startServer();
    const server = await this.#launcher.startShared(this.env, group);
    this.#servers.push(server);
    this.#shared.add(server);
    return server;
  }

  /**
   * Moves the wall clock of every server this check started `seconds`
   * forward (on top of earlier moves), as if that much time had passed:
   * tokens and codes the server issued reach their expiry. Requests sent
   * after it resolves see the new time.
   */
  async advanceServerClock(seconds: number): Promise<void> {
    if (this.#shared.size) throw new CheckCannotRun("a check that shares its server cannot move that server's clock (the checks after it would see the moved time): start a server of its own with ctx.startServer()");
    await advanceClocks(this.#servers, seconds);
  }

  /** An MCP client connected over the server's stdin/stdout (the lab 02 transport). */
  async connectStdio(server: ServerProcess): Promise<Client> {
    const client = new Client({ name: 'mcp-lab-checks', version: '1.0.0' });
    const transport = new StreamTransport(server.stdout, server.stdin);
    transport.onerror = (error) => {
      this.protocolViolations.push(error.message);
      this.note(`protocol: ${error.message}`);
    };
    const exited = server.exited.then(({ code, signal }) => {
      throw new ServerDidNotStart(`the server exited (${signal ?? `code ${String(code)}`}) before it answered the MCP handshake.\n${server.output().slice(-2000)}`);
    });
    // The same start budget an HTTP server has to say it is ready: a server that never answers
    // `initialize` is reported as not started, not as a check that ran out of time.
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new ServerDidNotStart(`the server did not answer the MCP handshake (initialize) within ${HANDSHAKE_BUDGET_MS / 1000} s. Does it connect its StdioServerTransport at start, before anything that waits (a sign-in, a network call)?\n${server.output().slice(-2000)}`)), HANDSHAKE_BUDGET_MS);
    });
    try {
      await Promise.race([client.connect(transport), exited, silent]);
    } catch (error) {
      if (error instanceof CheckCannotRun) throw error;
      // The transport sees the closed pipe a moment before the exit is reported: a server that died is one that did not start.
      const exit = await Promise.race([server.exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1_000).unref())]);
      if (exit) throw new ServerDidNotStart(`the server exited (${exit.signal ?? `code ${String(exit.code)}`}) before it answered the MCP handshake.\n${server.output().slice(-2000)}`);
      throw new CheckCannotRun(`the MCP handshake over stdio failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
      exited.catch(() => undefined);
      silent.catch(() => undefined);
    }
    this.#onHandshake?.();
    this.#cleanups.push(() => client.close());
    return client;
  }

  /** Trace events of the IdP since this check began (for this lab's app when given). */
  trace(clientId?: string): Promise<TraceEvent[]> {
    return this.idp.events(this.#startEventId, clientId);
  }

  /**
   * Tokens issued during this check found in the servers' output or in the
   * given folders (relative to the submission, e.g. its token cache).
   */
  async leaks(dirs: readonly string[] = []): Promise<Leak[]> {
    const events = await this.trace();
    return scanForLeaks(events, this.#servers.map((s) => s.output()).join('\n'), dirs.map((d) => path.resolve(this.dir, d)));
  }

  /**
   * What the servers of this check left in their own home and temp folder —
   * everywhere they may write besides the token cache folder: tokens issued
   * during the check, and copies of the files in `cacheDirs` (relative to the
   * submission). Call it after stopping them, so what they write on the way
   * out is there too.
   */
  async leaksOutside(cacheDirs: readonly string[] = []): Promise<StrayCopy[]> {
    const events = await this.trace();
    const caches = cacheDirs.map((d) => path.resolve(this.dir, d));
    return this.#servers.flatMap((s) => (s.home ? scanHome(events, s.home, caches) : []));
  }

  /** A line for the check's output (shown with a failure). */
  note(line: string): void {
    this.#notes.push(line);
  }

  /** Everything the servers of this check printed, and the check's notes. */
  output(): string {
    return [...this.#notes, ...this.#servers.map((s) => withoutProtocol(s.output()))].filter(Boolean).join('\n');
  }

  /** Stops what the check started, in reverse order; never throws. */
  async dispose(): Promise<void> {
    for (const cleanup of this.#cleanups.reverse()) {
      await cleanup().catch(() => undefined);
    }
  }
}
