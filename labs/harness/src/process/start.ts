import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import fs from 'node:fs/promises';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { resolveCommand } from './command.ts';
import { diagnoseOutput } from './diagnose.ts';
import { assertSafeEnv } from './env.ts';
import { SubmissionError } from './errors.ts';
import { killTree, killTreeNow, type KillTarget } from './kill-tree.ts';
import { orphanGuardFlag } from './orphan-guard.ts';
import { umaskFlag } from './umask.ts';
import { CappedOutput } from './output.ts';
import { assertPortsFree, pollPort } from './ports.ts';
import { trackSubmission } from './registry.ts';
import { permissionFlags, sandboxGrants, type SandboxOptions } from './sandbox.ts';
import { ServerProbe, serverProbeFlag } from './server-probe.ts';
import { formatBytes } from './stage.ts';

/** Defaults: enough output to read a stack trace at both ends; a flood limit no honest server reaches in one check. */
export const RUNNER_DEFAULTS = { outputLimitBytes: 64 * 1024, floodLimitBytes: 16 * 1024 * 1024, stopGraceMs: 2_000 } as const;

/** Every process of one run inherits this variable: on Linux it finds children that escaped both group and parent. */
const RUN_MARKER_VAR = 'MCP_LAB_RUN';

export interface StartOptions {
  /** The manifest's start command, e.g. `['node', 'src/server.ts']`; relative to `cwd`. */
  command: readonly string[];
  /** The staged folder (stageSubmission().dir). */
  cwd: string;
  /** The whole environment (submissionEnv()): nothing of the grader's is added. */
  env: Readonly<Record<string, string>>;
  /** 'stdio': the MCP driver talks over `stdin`/`stdout` (the runner keeps a capped copy); 'http': the runner reads stdout itself. */
  protocol: 'stdio' | 'http';
  /** Node's permission model around the server (see sandbox.ts), or `false` to run it unconfined. */
  sandbox: SandboxOptions | false;
  /** Kept of stdout + stderr: the first and the last half. Default 64 KB. */
  outputLimitBytes?: number;
  /** More output than this and the server is stopped as a flood. Default 16 MB. */
  floodLimitBytes?: number;
  /** Between SIGTERM and SIGKILL. Default 2 s. */
  stopGraceMs?: number;
  /** Ports the job handed the server: checked free just before it starts, so a collision is reported as one. */
  ports?: readonly number[];
  /** For `node` commands: the preload that ends the server when the grader is gone (orphan-guard.ts). Default true. */
  orphanGuard?: boolean;
  /** For `node` commands: the umask set before the server's code runs (umask.ts). Default 022; `null` keeps the grader's. */
  umask?: number | null;
  /** For `node` commands: the preload that reports where the server listens and lets the grader move its clock (server-probe.ts). Default false. */
  probe?: boolean;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SubmissionProcess {
  readonly pid: number;
  /** What the server reads. */
  readonly stdin: Writable;
  /** What the server writes to stdout: for 'stdio' a tee of it (also captured); for 'http' an empty stream (all of it is in output()). */
  readonly stdout: Readable;
  /** stderr and stdout as they arrived, capped: "… [x KB cut] …" between the kept first and last halves. */
  output(): string;
  /** Resolves with the first match in the output (also in output that arrived earlier); rejects when the server exits, floods, or the time is up. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** Resolves once something accepts TCP connections on host:port; rejects when the server exits, floods, or the time is up. */
  waitForPort(port: number, host: string, timeoutMs: number): Promise<void>;
  /** When the server's own process ended. */
  readonly exited: Promise<ExitInfo>;
  /** The likeliest reason the server misbehaved (a flood, a sandbox denial, a port in use, a missing package), or undefined. */
  diagnosis(): string | undefined;
  /** Ends the whole process tree (SIGTERM, grace, SIGKILL / taskkill /T /F); idempotent; rejects with KILL_FAILED if anything survives. */
  stop(): Promise<void>;
  /** With `probe: true` and a `node` command: where the server listens, and its clock. */
  readonly probe: ServerProbe | undefined;
}

/**
 * Starts a learner's server. Resolves once the process is running; readiness
 * is the caller's to wait for (waitForOutput / waitForPort), each with its
 * own timeout. The server's tree is ended by stop(), when its own process
 * exits (anything it left behind is orphaned junk), when the grader
 * itself exits or is interrupted, and — for `node` commands, through a
 * preload — by the server itself within half a second of losing the grader.
 */
export async function startSubmission(options: StartOptions): Promise<SubmissionProcess> {
  assertSafeEnv(options.env);
  let flags: string[] | undefined;
  if (options.sandbox) {
    const grants = await sandboxGrants(options.sandbox, options.env);
    // Node takes a granted path that does not exist yet for a file: writes inside a folder made later would be denied.
    await Promise.all(grants.write.map((dir) => fs.mkdir(dir, { recursive: true })));
    flags = permissionFlags(grants);
  }
  const preloads = [...(options.umask === null ? [] : [umaskFlag(options.umask)]), ...(options.orphanGuard === false ? [] : [orphanGuardFlag()]), ...(options.probe ? [serverProbeFlag()] : [])];
  const { file, args } = resolveCommand(options.command, flags, process.execPath, preloads);
  // The probe talks over an IPC channel (fd 3); only a node process with the preload has anything to say on it.
  const probed = options.probe === true && args.includes(serverProbeFlag());
  if (options.ports) await assertPortsFree(options.ports);
  const marker = { name: RUN_MARKER_VAR, value: randomBytes(8).toString('hex') };
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: { ...options.env, [marker.name]: marker.value },
    stdio: probed ? ['pipe', 'pipe', 'pipe', 'ipc'] : ['pipe', 'pipe', 'pipe'],
    // POSIX: its own process group (and session), so one signal reaches every process it starts.
    detached: process.platform !== 'win32',
    windowsHide: true,
    shell: false,
  });
  try {
    await once(child, 'spawn');
  } catch (error) {
    throw new SubmissionError('START_FAILED', `could not start \`${options.command.join(' ')}\` in ${options.cwd}: ${(error as Error).message}. Check the lab manifest's start command.`, { cause: error });
  }
  return new RunningSubmission(child as ChildProcessWithoutNullStreams, marker, options, probed);
}

class RunningSubmission implements SubmissionProcess {
  readonly pid: number;
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly exited: Promise<ExitInfo>;
  readonly probe: ServerProbe | undefined;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #capture: CappedOutput;
  readonly #events = new EventEmitter();
  readonly #floodLimit: number;
  readonly #graceMs: number;
  readonly #target: KillTarget;
  readonly #untrack: () => void;
  /** Resolves when the root has exited and its output is read to the end (or one second later, if a stray child holds the pipes). */
  readonly #drained: Promise<void>;
  #exit: ExitInfo | undefined;
  #flood: string | undefined;
  #stopping: Promise<void> | undefined;

  constructor(child: ChildProcessWithoutNullStreams, marker: { name: string; value: string }, options: StartOptions, probed: boolean) {
    if (child.pid === undefined) throw new SubmissionError('START_FAILED', 'the server process has no pid');
    this.pid = child.pid;
    this.#child = child;
    this.probe = probed ? new ServerProbe(child) : undefined;
    this.#capture = new CappedOutput(options.outputLimitBytes ?? RUNNER_DEFAULTS.outputLimitBytes);
    this.#floodLimit = options.floodLimitBytes ?? RUNNER_DEFAULTS.floodLimitBytes;
    this.#graceMs = options.stopGraceMs ?? RUNNER_DEFAULTS.stopGraceMs;
    this.#target = { pid: this.pid, marker, rootRunning: () => this.#exit === undefined };
    this.#untrack = trackSubmission(() => killTreeNow(this.#target));
    this.#events.setMaxListeners(0);

    // Stream and process errors after the start (a write to a dead server's stdin, a failed signal) reach
    // the writer's callback or show in the outcome; as unhandled 'error' events they would crash the grader.
    child.on('error', () => undefined);
    child.stdin.on('error', () => undefined);
    this.stdin = child.stdin;
    if (options.protocol === 'stdio') {
      const tee = new PassThrough();
      tee.on('error', () => undefined);
      child.stdout.on('data', (chunk: Buffer) => {
        // A driver that closed its end, or lags this far behind, is gone; the flood limit stops the server anyway.
        if (!tee.destroyed && tee.writableLength < this.#floodLimit) tee.write(chunk);
      });
      child.stdout.once('end', () => {
        if (!tee.destroyed) tee.end();
      });
      this.stdout = tee;
    } else {
      this.stdout = Readable.from([]);
    }
    child.stdout.on('data', (chunk: Buffer) => this.#append(chunk));
    child.stderr.on('data', (chunk: Buffer) => this.#append(chunk));

    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        resolve(this.#exit);
        // Whatever it left running is orphaned: end it now rather than when someone remembers to.
        this.stop().catch(() => undefined);
      });
    });
    const closed = once(child, 'close').then(() => undefined);
    this.#drained = this.exited.then(() => Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref())]));
    void this.#drained.then(() => this.#events.emit('change'));
  }

  #append(chunk: Buffer): void {
    this.#capture.append(chunk);
    if (this.#flood === undefined && this.#capture.totalBytes > this.#floodLimit) {
      this.#flood = `the server wrote more than ${formatBytes(this.#floodLimit)} of output and was stopped: print less (no logging inside loops, no dumping of whole responses or tokens).`;
      this.stop().catch(() => undefined);
    }
    this.#events.emit('change');
  }

  output(): string {
    return this.#capture.text();
  }

  diagnosis(): string | undefined {
    return this.#flood ?? diagnoseOutput(this.#capture.text());
  }

  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    // Without g/y a RegExp keeps no state between exec() calls.
    const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
    const what = `a line matching ${String(pattern)}`;
    return this.#waitFor(timeoutMs, {
      // The kept head too on the first look (the line may be older than the recent window); then what arrives.
      poll: (first) => re.exec(this.#capture.recent) ?? (first ? re.exec(this.#capture.text()) : null) ?? undefined,
      timedOut: (s) =>
        new SubmissionError('READY_TIMEOUT', `the server did not print ${what} within ${s} (it is still running)${this.#because() ?? '. Does it print that line once it is ready?'}`),
      ended: (exit) => this.#endedError(exit, `before printing ${what}`),
    });
  }

  async waitForPort(port: number, host: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const ok = await pollPort(port, host, deadline, () => this.#exit !== undefined || this.#flood !== undefined);
    if (ok) return;
    if (this.#flood) throw new SubmissionError('OUTPUT_FLOOD', this.#flood);
    if (this.#exit) {
      await this.#drained;
      throw this.#endedError(this.#exit, `before anything listened on ${host}:${port}`);
    }
    throw new SubmissionError(
      'PORT_TIMEOUT',
      `nothing accepted connections on ${host}:${port} within ${seconds(timeoutMs)}, although the server is running${this.#because() ?? `. Does it listen on the port in process.env.PORT (${port})?`}`,
    );
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    try {
      await killTree(this.#target, { graceMs: this.#graceMs });
      await this.#drained;
    } finally {
      // Our ends of the pipes: a stray child (Windows orphans) must not keep the grader's event loop alive.
      this.#child.stdout.destroy();
      this.#child.stderr.destroy();
      this.#child.stdin.destroy();
      if (this.#child.connected) this.#child.disconnect();
      this.#untrack();
    }
  }

  #because(): string | undefined {
    const diagnosis = this.diagnosis();
    return diagnosis ? `: ${diagnosis}` : undefined;
  }

  #endedError(exit: ExitInfo, when: string): SubmissionError {
    if (this.#flood) return new SubmissionError('OUTPUT_FLOOD', this.#flood);
    const how = exit.signal ? `on signal ${exit.signal}` : `with code ${String(exit.code)}`;
    const last = telltaleLine(this.#capture.text());
    const detail = this.#because() ?? (last ? `; its last output: ${last}` : ' without any output');
    return new SubmissionError('EXITED', `the server exited ${how} ${when}${detail}`);
  }

  /** Re-checks `poll` on every output chunk and at the end, until it yields, the server ends, or the time is up. */
  #waitFor<T>(timeoutMs: number, how: { poll: (first: boolean) => T | undefined; timedOut: (s: string) => Error; ended: (exit: ExitInfo) => Error }): Promise<T> {
    return new Promise((resolve, reject) => {
      let drained = false;
      let done = false;
      const finish = (settle: () => void): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.#events.off('change', check);
        settle();
      };
      const check = (first = false): void => {
        const found = how.poll(first || drained);
        if (found !== undefined) finish(() => resolve(found));
        else if (this.#flood) finish(() => reject(new SubmissionError('OUTPUT_FLOOD', this.#flood ?? '')));
        else if (drained && this.#exit) {
          const exit = this.#exit;
          finish(() => reject(how.ended(exit)));
        }
      };
      const timer = setTimeout(() => finish(() => reject(how.timedOut(seconds(timeoutMs)))), timeoutMs);
      void this.#drained.then(() => {
        drained = true;
        check();
      });
      this.#events.on('change', check);
      check(true);
    });
  }
}

/** The line that says what went wrong: Node's "Error: …" line of an uncaught error, else the last line (not Node's version footer). */
export function telltaleLine(text: string): string | undefined {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^Node\.js v\d/.test(l));
  const line = lines.findLast((l) => /^[A-Za-z]*Error\b[^:]*:/.test(l)) ?? lines.at(-1);
  return line && line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
