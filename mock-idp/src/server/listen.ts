import { createServer, type Server } from 'node:https';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  port: number;
  /** Loopback addresses actually served. */
  hosts: string[];
  close(): Promise<void>;
}

export class PortBusyError extends Error {
  readonly code = 'IDP_PORT_BUSY';
  readonly port: number;
  constructor(port: number, host: string) {
    super(
      `Port ${port} is already in use on ${host}. Another mock IdP may be running (\`npm start\` or \`mcp-lab idp\` in another terminal), or another program holds the port. Stop it, or choose another port: \`mcp-lab idp --port ${port + 1}\`.`,
    );
    this.name = 'PortBusyError';
    this.port = port;
  }
}

function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(err.code === 'EADDRINUSE' ? new PortBusyError(port, host) : err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host, exclusive: true });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * HTTPS on 127.0.0.1 and ::1 with the same port, because `localhost`
 * resolves to either depending on the OS and Node version. Port 0 picks a
 * free one. A machine without IPv6 loopback is served on IPv4 alone.
 */
export async function listenOnLoopback(handler: RequestListener, tls: { cert: string; key: string }, port: number): Promise<Listening> {
  // A free IPv4 port may be taken on ::1; with port 0, try a few others.
  for (let attempt = 1; ; attempt++) {
    try {
      return await listenOnce(handler, tls, port);
    } catch (err) {
      if (!(port === 0 && err instanceof PortBusyError && attempt < 5)) throw err;
    }
  }
}

async function listenOnce(handler: RequestListener, tls: { cert: string; key: string }, port: number): Promise<Listening> {
  const v4 = createServer({ cert: tls.cert, key: tls.key }, handler);
  const actual = await listenOn(v4, port, '127.0.0.1');
  const servers = [v4];
  const hosts = ['127.0.0.1'];
  const v6 = createServer({ cert: tls.cert, key: tls.key }, handler);
  try {
    await listenOn(v6, actual, '::1');
    servers.push(v6);
    hosts.push('::1');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EADDRNOTAVAIL' && code !== 'EAFNOSUPPORT') {
      await closeServer(v4);
      throw err;
    }
  }
  return {
    port: actual,
    hosts,
    close: async () => {
      await Promise.all(servers.map(closeServer));
    },
  };
}
