import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';

/**
 * The grader's view into a running server that needs no cooperation from
 * the learner's code: a preload (server-probe-preload.js) reports over an
 * IPC channel where the server listens, and moves its wall clock when asked.
 * Checks reach it through the check context (advanceServerClock) and the
 * server (listeningAddresses).
 */

/** An address a server listened on, as its own process saw it: an IP and port, or a pipe's path. */
export interface ListenAddress {
  address: string;
  /** 'IPv4', 'IPv6', or 'pipe' (a Unix socket or Windows named pipe). */
  family: string;
  port?: number;
}

export type ServerProbeErrorCode =
  /** The server was not started with the probe (not a `node` command). */
  | 'PROBE_ABSENT'
  /** The probe did not answer in time: the server has exited or blocks its event loop. */
  | 'PROBE_NO_ANSWER';

export class ServerProbeError extends Error {
  readonly code: ServerProbeErrorCode;
  constructor(code: ServerProbeErrorCode, message: string) {
    super(message);
    this.name = 'ServerProbeError';
    this.code = code;
  }
}

let flag: string | undefined;

/** The node flag that loads the preload: a `data:` URL, so the sandbox needs no read grant for it. */
export function serverProbeFlag(): string {
  flag ??= `--import=data:text/javascript;base64,${fs.readFileSync(new URL('./server-probe-preload.js', import.meta.url)).toString('base64')}`;
  return flag;
}

interface ProbeMessage {
  mcpLab: 'probe';
  kind: string;
  address?: unknown;
  family?: unknown;
  port?: unknown;
  offsetMs?: unknown;
}

const isProbeMessage = (value: unknown): value is ProbeMessage =>
  typeof value === 'object' && value !== null && (value as { mcpLab?: unknown }).mcpLab === 'probe' && typeof (value as { kind?: unknown }).kind === 'string';

/** The grader's end of the IPC channel of one server started with serverProbeFlag(). */
export class ServerProbe {
  readonly #child: ChildProcess;
  readonly #events = new EventEmitter();
  readonly #listening: ListenAddress[] = [];
  #offsetMs = 0;
  #attached = false;

  constructor(child: ChildProcess) {
    this.#child = child;
    this.#events.setMaxListeners(0);
    child.on('message', (message) => this.#receive(message));
    child.on('disconnect', () => this.#events.emit('change'));
    // The grader's side must not keep the grader running either (a stray server is ended by the runner).
    child.channel?.unref();
  }

  /** Whether the preload has spoken: false for a process that ignores it, or before it started. */
  get attached(): boolean {
    return this.#attached;
  }

  /** Every address the server has listened on so far (also those it closed again: it was exposed there). */
  listening(): ListenAddress[] {
    return [...this.#listening];
  }

  /** The addresses, once at least one was reported (or what there is after `timeoutMs`: possibly none). */
  async waitForListening(timeoutMs = 2_000): Promise<ListenAddress[]> {
    await this.#until(() => this.#listening.length > 0, timeoutMs).catch(() => undefined);
    return this.listening();
  }

  /** How far the server's clock is ahead of the real one, in milliseconds. */
  get clockOffsetMs(): number {
    return this.#offsetMs;
  }

  /** Sets the server's clock to real time + `offsetMs`; resolves once the server has applied it (requests sent after see the new time). */
  async setClockOffset(offsetMs: number, timeoutMs = 5_000): Promise<void> {
    if (!this.#child.connected) throw new ServerProbeError('PROBE_ABSENT', 'the server has no probe channel: its clock cannot be moved (is it started with `node …`, and still running?)');
    const applied = this.#until(() => this.#offsetMs === offsetMs, timeoutMs);
    this.#child.send({ mcpLab: 'probe', kind: 'set-clock', offsetMs }, (error) => {
      if (error) this.#events.emit('change');
    });
    try {
      await applied;
    } catch {
      throw new ServerProbeError(
        'PROBE_NO_ANSWER',
        `the server did not take the new clock within ${timeoutMs / 1000} s: it has exited, or something blocks its event loop (a synchronous loop, a blocking call).`,
      );
    }
  }

  #receive(message: unknown): void {
    if (!isProbeMessage(message)) return;
    this.#attached = true;
    if (message.kind === 'listening' && typeof message.address === 'string' && typeof message.family === 'string') {
      this.#listening.push({ address: message.address, family: message.family, ...(typeof message.port === 'number' ? { port: message.port } : {}) });
    } else if (message.kind === 'clock' && typeof message.offsetMs === 'number') {
      this.#offsetMs = message.offsetMs;
    }
    this.#events.emit('change');
  }

  /** Resolves once `done()` holds; rejects after `timeoutMs` or when the channel closes first. */
  #until(done: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (done()) finish(resolve);
        else if (!this.#child.connected) finish(() => reject(new Error('the probe channel closed')));
      };
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.#events.off('change', check);
        settle();
      };
      const timer = setTimeout(() => finish(() => reject(new Error('timed out'))), timeoutMs);
      this.#events.on('change', check);
      check();
    });
  }
}

/** BlockList also matches IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) against the IPv4 range. */
const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * Whether an address a server listened on is reachable from this machine
 * only: 127.0.0.0/8, ::1 (and IPv4-mapped loopback), or a pipe. `0.0.0.0`
 * and `::` are every interface.
 */
export function isLoopbackAddress(listen: Pick<ListenAddress, 'address' | 'family'>): boolean {
  if (listen.family === 'pipe') return true;
  const address = listen.address.replace(/^\[|\]$/g, '');
  const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : undefined;
  return family !== undefined && LOOPBACK.check(address, family);
}
