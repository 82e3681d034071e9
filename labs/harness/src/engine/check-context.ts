import type { Readable, Writable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { LabInfo, TraceEvent } from '@mcp-lab/mock-idp';
import type { LabEnv, LabManifest } from '../model.ts';
import { StreamTransport } from '../mcp/stream-transport.ts';
import { CheckCannotRun } from './check-outcomes.ts';
import { scanForLeaks, type Leak } from './token-scan.ts';
import path from 'node:path';
import type { GradingIdp } from './grading-idp.ts';

/** A learner's server started for a check (see ../process). */
export interface ServerProcess {
  stdin: Writable;
  stdout: Readable;
  /** stdout + stderr so far, capped. */
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: string | null }>;
  stop(): Promise<void>;
}

export interface ServerLauncher {
  start(env: LabEnv): Promise<ServerProcess>;
}

/**
 * What a check gets to work with: the learner's folder, the lab's
 * environment, the IdP (with its trace and admin API), and a way to start the
 * learner's server and talk MCP to it. Everything started through the
 * context is stopped when the check ends, whatever its outcome.
 */
export class CheckContext {
  readonly lab: LabManifest;
  readonly dir: string;
  readonly env: LabEnv;
  readonly idp: GradingIdp;
  readonly info: LabInfo;
  readonly signal: AbortSignal;
  readonly #launcher: ServerLauncher;
  readonly #cleanups: (() => Promise<unknown>)[] = [];
  readonly #servers: ServerProcess[] = [];
  readonly #startEventId: number;
  readonly #notes: string[] = [];
  /** Lines the server wrote to stdout that are not MCP messages (on stdio they corrupt the protocol). */
  readonly protocolViolations: string[] = [];

  constructor(options: { lab: LabManifest; dir: string; env: LabEnv; idp: GradingIdp; info: LabInfo; signal: AbortSignal; launcher: ServerLauncher; startEventId: number }) {
    this.lab = options.lab;
    this.dir = options.dir;
    this.env = options.env;
    this.idp = options.idp;
    this.info = options.info;
    this.signal = options.signal;
    this.#launcher = options.launcher;
    this.#startEventId = options.startEventId;
  }

  /** Starts the learner's server with the lab's environment (plus overrides); stopped when the check ends. */
  async startServer(overrides: LabEnv = {}): Promise<ServerProcess> {
    const server = await this.#launcher.start({ ...this.env, ...overrides });
    this.#servers.push(server);
    this.#cleanups.push(() => server.stop());
    return server;
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
      throw new CheckCannotRun(`the server exited (${signal ?? `code ${String(code)}`}) before it answered the MCP handshake.\n${server.output().slice(-2000)}`);
    });
    try {
      await Promise.race([client.connect(transport), exited]);
    } catch (error) {
      if (error instanceof CheckCannotRun) throw error;
      throw new CheckCannotRun(`the MCP handshake over stdio failed: ${(error as Error).message}`);
    }
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

  /** A line for the check's output (shown with a failure). */
  note(line: string): void {
    this.#notes.push(line);
  }

  /** Everything the servers of this check printed, and the check's notes. */
  output(): string {
    return [...this.#notes, ...this.#servers.map((s) => s.output())].filter(Boolean).join('\n');
  }

  /** Stops what the check started, in reverse order; never throws. */
  async dispose(): Promise<void> {
    for (const cleanup of this.#cleanups.reverse()) {
      await cleanup().catch(() => undefined);
    }
  }
}
