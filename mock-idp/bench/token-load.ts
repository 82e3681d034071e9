/**
 * The load generator of `idp.bench.ts`, run in a worker thread so that the
 * client's own work (fetch, TLS, JSON) does not share the IdP's event loop.
 * Sends `count` client-credentials requests, at most `concurrency` at a
 * time, over keep-alive HTTPS connections, and stops
 * early at `deadline` (epoch ms).
 */
import https from 'node:https';
import tls from 'node:tls';
import { parentPort, workerData } from 'node:worker_threads';

export interface LoadJob {
  tokenUrl: string;
  form: Record<string, string>;
  count: number;
  concurrency: number;
  /** Epoch milliseconds after which no new request is started. */
  deadline: number;
  caPem: string;
}

export interface LoadResult {
  ok: number;
  failed: number;
  firstFailure?: string;
  elapsedMs: number;
  /** Latency of each successful request, milliseconds. */
  latencies: number[];
  /** CPU time of this (client) thread during the run, microseconds. */
  clientCpuMicros: number;
  /** Decoded payload of the last token, to check it is what the bench meant to ask for. */
  samplePayload?: Record<string, unknown>;
  timedOut: boolean;
}

async function run(job: LoadJob): Promise<LoadResult> {
  // Trust is per thread: the worker needs the lab CA as well.
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), job.caPem]);
  const result: LoadResult = { ok: 0, failed: 0, elapsedMs: 0, latencies: [], timedOut: false, clientCpuMicros: 0 };
  let started = 0;
  let lastToken: string | undefined;

  // node:https with a keep-alive agent rather than fetch: it costs the client
  // about half the CPU per request, which leaves more of a small machine to the IdP.
  const agent = new https.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const payload = new URLSearchParams(job.form).toString();
  const post = (): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const request = https.request(
        job.tokenUrl,
        { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(payload) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });

  const one = async (): Promise<void> => {
    const t0 = performance.now();
    try {
      const response = await post();
      const body = JSON.parse(response.text) as { access_token?: unknown; error_description?: unknown };
      if (response.status === 200 && typeof body.access_token === 'string') {
        result.ok++;
        result.latencies.push(performance.now() - t0);
        lastToken = body.access_token;
      } else {
        result.failed++;
        result.firstFailure ??= `${response.status} ${typeof body.error_description === 'string' ? body.error_description : response.text.slice(0, 300)}`;
      }
    } catch (err) {
      result.failed++;
      result.firstFailure ??= err instanceof Error ? err.message : String(err);
    }
  };

  const lane = async (): Promise<void> => {
    while (started < job.count) {
      if (Date.now() > job.deadline) {
        result.timedOut = true;
        return;
      }
      started++;
      await one();
    }
  };

  const t0 = performance.now();
  const cpu0 = process.threadCpuUsage();
  await Promise.all(Array.from({ length: job.concurrency }, lane));
  const cpu = process.threadCpuUsage(cpu0);
  result.elapsedMs = performance.now() - t0;
  result.clientCpuMicros = cpu.user + cpu.system;
  agent.destroy();
  const claims = lastToken?.split('.')[1];
  if (claims) result.samplePayload = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as Record<string, unknown>;
  return result;
}

// Protocol: the worker says 'ready' once loaded, the parent answers 'go'
// when it has taken its own measurements, the worker answers with the result.
if (parentPort) {
  const port = parentPort;
  port.once('message', () => {
    run(workerData as LoadJob).then(
      (result) => port.postMessage(result),
      (err: unknown) => {
        throw err;
      },
    );
  });
  port.postMessage('ready');
}
