import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/** One HTTP exchange between a client and the learner's server, as the proxy saw it. */
export interface Exchange {
  id: number;
  method: string;
  /** Path and query. */
  path: string;
  requestHeaders: http.IncomingHttpHeaders;
  requestBody: string;
  status: number;
  responseHeaders: http.IncomingHttpHeaders;
  /** Captured up to the cap (SSE streams too, as they arrive). */
  responseBody: string;
  startedAt: string;
  durationMs: number;
}

export interface RecordingProxy {
  /** Where clients (and browsers in a sign-in) talk to the server. */
  url: URL;
  exchanges: Exchange[];
  /** Sends what comes next to another server (the one the current check started). */
  retarget(target: URL): void;
  close(): Promise<void>;
}

const BODY_CAP = 64 * 1024;

function append(current: string, chunk: Buffer): string {
  return current.length >= BODY_CAP ? current : (current + chunk.toString('utf8')).slice(0, BODY_CAP);
}

/** A proxy that speaks TLS on both sides: to clients with this certificate, to the server trusting this CA. */
export interface ProxyTls {
  cert: string;
  key: string;
  ca: string;
}

/**
 * A reverse proxy in front of a learner's HTTP server that records every
 * exchange (headers, status, bodies up to a cap), so a check can assert on
 * what really crossed the wire — a 401's WWW-Authenticate, a redirect's
 * Location, a token in a response — without instrumenting the learner's code.
 * The Host header is passed through: the server is configured with the
 * proxy's origin as its PUBLIC_URL.
 */
export async function startRecordingProxy(firstTarget?: URL, options: { port?: number; tls?: ProxyTls } = {}): Promise<RecordingProxy> {
  const tls = options.tls;
  // Without a target yet (an HTTP lab's run before its first check starts a server), requests get a 502.
  let target = firstTarget ?? new URL('http://127.0.0.1:0');
  const exchanges: Exchange[] = [];
  let nextId = 1;
  const sockets = new Set<Socket>();
  const handler: http.RequestListener = (req, res) => {
    const started = Date.now();
    let requestBody = '';
    req.on('data', (chunk: Buffer) => (requestBody = append(requestBody, chunk)));
    const request = { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers };
    const onAnswer = (answer: http.IncomingMessage) => {
      const exchange: Exchange = {
        id: nextId++,
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        requestHeaders: req.headers,
        requestBody: '',
        status: answer.statusCode ?? 0,
        responseHeaders: answer.headers,
        responseBody: '',
        startedAt: new Date(started).toISOString(),
        durationMs: 0,
      };
      exchanges.push(exchange);
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.on('data', (chunk: Buffer) => {
        exchange.requestBody = requestBody;
        exchange.responseBody = append(exchange.responseBody, chunk);
        res.write(chunk);
      });
      answer.on('end', () => {
        exchange.requestBody = requestBody;
        exchange.durationMs = Date.now() - started;
        res.end();
      });
    };
    // The server's certificate names localhost (and the loopback addresses); it is checked against the lab's CA, never skipped.
    const upstream = tls ? https.request({ ...request, ca: tls.ca, servername: 'localhost' }, onAnswer) : http.request(request, onAnswer);
    upstream.on('error', (error) => {
      exchanges.push({
        id: nextId++,
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        requestHeaders: req.headers,
        requestBody,
        status: 502,
        responseHeaders: {},
        responseBody: `the server did not answer: ${error.message}`,
        startedAt: new Date(started).toISOString(),
        durationMs: Date.now() - started,
      });
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`The lab server did not answer: ${error.message}`);
    });
    req.pipe(upstream);
    res.on('close', () => upstream.destroy());
  };
  const server: http.Server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, handler) : http.createServer(handler);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`${tls ? 'https' : 'http'}://localhost:${port}`),
    exchanges,
    retarget: (next) => {
      target = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
