import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { SubmissionError } from './errors.ts';

/**
 * Ports this process handed out recently. The OS may give the same
 * ephemeral port to two quick `freePort()` calls once the first probe is
 * closed; parallel jobs in one grader must never share a port.
 */
const handedOut = new Map<number, number>();
const HANDED_OUT_MEMORY_MS = 10 * 60_000;

/** A TCP port on loopback that nothing listens on now and that this process has not handed out in the last 10 minutes. */
export async function freePort(): Promise<number> {
  const now = Date.now();
  for (const [port, at] of handedOut) if (now - at > HANDED_OUT_MEMORY_MS) handedOut.delete(port);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = await ephemeralPort();
    if (handedOut.has(port) || !(await isPortFree(port))) continue;
    handedOut.set(port, Date.now());
    return port;
  }
  throw new SubmissionError('PORT_IN_USE', 'could not find a free TCP port on 127.0.0.1 after 50 tries: is the machine out of ports?');
}

function ephemeralPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port bound'))));
    });
  });
}

/**
 * Nothing listens on `port` on loopback. Two probes, because either alone
 * misses a case: binding fails on Linux when any listener holds the port,
 * but BSD/macOS let a specific-address bind share a wildcard listener's
 * port (SO_REUSEADDR); a connect is refused unless something listens.
 */
export async function isPortFree(port: number): Promise<boolean> {
  if (!(await canBind(port, '127.0.0.1'))) return false;
  if (!(await canBind(port, '::1'))) return false;
  return !(await accepts(port, '127.0.0.1', 500));
}

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      // No IPv6 loopback on this machine: nothing can hold the port there either.
      resolve(error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT');
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** One TCP connect attempt: true when something accepted it. */
export function accepts(port: number, host: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Before a server starts: each port the job gave it must be free, or the
 * collision is reported as what it is — not as the learner's server failing
 * to start or, worse, another program answering in its place.
 */
export async function assertPortsFree(ports: readonly number[]): Promise<void> {
  for (const port of ports) {
    if (!(await isPortFree(port))) {
      throw new SubmissionError(
        'PORT_IN_USE',
        `port ${port} is already in use by another process, so the server was not started on it. ` +
          `Stop the program that listens on ${port} (another copy of your server in a terminal?) and run again; when grading, run the job again — it gets a new port.`,
      );
    }
  }
}

/** Polls with TCP connects until something accepts on host:port; false when `deadline` passes or `stopped()` says to give up. */
export async function pollPort(port: number, host: string, deadline: number, stopped: () => boolean): Promise<boolean> {
  while (!stopped()) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    if (await accepts(port, host, Math.min(1_000, left))) return true;
    await sleep(Math.min(100, Math.max(0, deadline - Date.now())));
  }
  return false;
}
