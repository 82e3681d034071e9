/**
 * The live trace under load: `node mock-idp/bench/trace-fanout.bench.ts`.
 * Against a fresh IdP on loopback (temporary CA and data, removed at the end;
 * nothing but loopback is contacted), alternating rounds of:
 *
 *  - 0 subscribers: a fixed number of client-credentials token requests (the
 *    seeded web-server app, its dev secret, scope api://{protected API}/.default)
 *    at a fixed concurrency, from a worker thread (`token-load.ts`);
 *  - N subscribers (default 20): the same load while N real Server-Sent Events
 *    connections read `GET /_lab/events` (node:https, keep-alive agent) in a
 *    second worker thread, which parses every `data:` line.
 *
 * Printed: tokens per second and IdP main-thread CPU per token with 0 and
 * with N subscribers (the cost of fan-out); events per second delivered to
 * each subscriber; the delay from an event's `time` to its arrival at a
 * subscriber (median, p95, max; `time` has millisecond resolution); and
 * whether every subscriber received every event of the round exactly once.
 * Lost or duplicated events, or failed token requests, make the run fail;
 * slow figures never do.
 *
 * Options: --exchanges N (default 500), --concurrency N (default 4),
 * --subscribers N (default 20), --rounds N (default 3 of each).
 */
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { LoadJob, LoadResult } from './token-load.ts';

const WARMUP_REQUESTS = 200;
const LOAD_TIME_LIMIT_MS = 60_000;
/** After the load, how long subscribers may take to receive the last event before the rest counts as lost. */
const DRAIN_LIMIT_MS = 10_000;
const CONNECT_LIMIT_MS = 10_000;

// ── the subscribers (worker thread) ────────────────────────────────────────

interface SubscriberJob {
  eventsUrl: string;
  subscribers: number;
  caPem: string;
}

/** Parent → worker: 'finish' once the load is done, with the round's id range. */
interface FinishMessage {
  firstId: number;
  lastId: number;
}

interface SubscriberReport {
  /** Events of the round received (ids in range), counting duplicates. */
  received: number;
  distinct: number;
  /** Milliseconds from the round's first event's `time` to this subscriber's last arrival. */
  spanMs: number;
  /** Arrival − `time` for each event in range, milliseconds. */
  delays: number[];
  errors: string[];
}

function subscriberMain(job: SubscriberJob): void {
  const port = parentPort;
  if (!port) return;
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), job.caPem]);
  const agent = new https.Agent({ keepAlive: true, maxSockets: job.subscribers });
  const seen = Array.from({ length: job.subscribers }, () => ({ events: [] as { id: number; time: number; arrival: number }[], lastId: 0, errors: [] as string[] }));
  const requests: ReturnType<typeof https.request>[] = [];
  let connected = 0;
  let stopping = false;
  let onProgress: (() => void) | undefined;

  seen.forEach((state, index) => {
    const request = https.request(job.eventsUrl, { agent, headers: { accept: 'text/event-stream' } }, (response) => {
      if (response.statusCode !== 200) {
        state.errors.push(`subscriber ${index}: HTTP ${response.statusCode}`);
        response.resume();
        return;
      }
      response.setEncoding('utf8');
      let buffer = '';
      let counted = false;
      response.on('data', (chunk: string) => {
        const arrival = Date.now();
        buffer += chunk;
        const blocks = buffer.split('\n\n');
        buffer = blocks.pop() ?? '';
        for (const block of blocks) {
          for (const line of block.split('\n')) {
            if (!line.startsWith('data:')) continue;
            try {
              const event = JSON.parse(line.slice(5).trim()) as { id?: unknown; time?: unknown };
              if (typeof event.id !== 'number' || typeof event.time !== 'string') throw new Error('no id or time');
              state.events.push({ id: event.id, time: Date.parse(event.time), arrival });
              state.lastId = Math.max(state.lastId, event.id);
            } catch (err) {
              state.errors.push(`subscriber ${index}: unreadable data line (${err instanceof Error ? err.message : String(err)})`);
            }
          }
        }
        // The route writes `retry:` first: the subscription is live once it arrives.
        if (!counted) {
          counted = true;
          if (++connected === job.subscribers) {
            clearTimeout(connectTimer);
            port.postMessage('connected');
          }
        }
        onProgress?.();
      });
      response.on('error', (err) => state.errors.push(`subscriber ${index}: ${err.message}`));
    });
    request.on('error', (err) => {
      if (!stopping) state.errors.push(`subscriber ${index}: ${err.message}`);
    });
    request.end();
    requests.push(request);
  });

  const connectTimer = setTimeout(() => port.postMessage(`only ${connected} of ${job.subscribers} subscribers connected within ${CONNECT_LIMIT_MS} ms`), CONNECT_LIMIT_MS);

  port.once('message', ({ firstId, lastId }: FinishMessage) => {
    const report = (): void => {
      stopping = true;
      clearTimeout(drainTimer);
      onProgress = undefined;
      for (const request of requests) request.destroy();
      agent.destroy();
      const reports: SubscriberReport[] = seen.map((state) => {
        const inRange = state.events.filter((e) => e.id >= firstId && e.id <= lastId);
        const firstTime = Math.min(...inRange.map((e) => e.time));
        const lastArrival = Math.max(...inRange.map((e) => e.arrival));
        return {
          received: inRange.length,
          distinct: new Set(inRange.map((e) => e.id)).size,
          spanMs: inRange.length ? lastArrival - firstTime : NaN,
          delays: inRange.map((e) => e.arrival - e.time),
          errors: state.errors,
        };
      });
      port.postMessage(reports);
    };
    const drainTimer = setTimeout(report, DRAIN_LIMIT_MS);
    onProgress = () => {
      if (seen.every((s) => s.lastId >= lastId)) report();
    };
    onProgress();
  });
}

/** Opens the subscribers in a worker; resolves with a function that ends the round and returns the reports. */
function openSubscribers(job: SubscriberJob): Promise<{ finish(range: FinishMessage): Promise<SubscriberReport[]> }> {
  return new Promise((resolveOpen, rejectOpen) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    let resolveReports: ((reports: SubscriberReport[]) => void) | undefined;
    let rejectReports: ((err: Error) => void) | undefined;
    const fail = (err: Error): void => {
      if (rejectReports) rejectReports(err);
      else rejectOpen(err);
      void worker.terminate();
    };
    worker.on('message', (message: string | SubscriberReport[]) => {
      if (message === 'connected') {
        resolveOpen({
          finish: (range) =>
            new Promise((resolve, reject) => {
              resolveReports = resolve;
              rejectReports = reject;
              worker.postMessage(range);
            }),
        });
      } else if (typeof message === 'string') {
        fail(new Error(message));
      } else {
        resolveReports?.(message);
        void worker.terminate();
      }
    });
    worker.once('error', fail);
  });
}

// ── the token load (token-load.ts in a worker), with the IdP's side of it ──

interface Round extends LoadResult {
  mainCpuMicros: number;
  eventLoopUtilization: number;
}

function runLoad(job: LoadJob): Promise<Round> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./token-load.ts', import.meta.url), { workerData: job });
    let start: { main: NodeJS.CpuUsage; elu: ReturnType<typeof performance.eventLoopUtilization> } | undefined;
    worker.on('message', (message: 'ready' | LoadResult) => {
      if (message === 'ready') {
        start = { main: process.threadCpuUsage(), elu: performance.eventLoopUtilization() };
        worker.postMessage('go');
        return;
      }
      if (!start) return reject(new Error('the load worker answered before it was started'));
      const main = process.threadCpuUsage(start.main);
      resolve({ ...message, mainCpuMicros: main.user + main.system, eventLoopUtilization: performance.eventLoopUtilization(start.elu).utilization });
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load worker exited with code ${code}`));
    });
  });
}

// ── report helpers ─────────────────────────────────────────────────────────

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const median = (values: number[]): number => percentile(values, 50);
const rate = (v: number): string => `${v.toFixed(0)} /s`;

function table(rows: [string, string][]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}

function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, not ${value}`);
  return n;
}

// ── the run ────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      exchanges: { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '4' },
      subscribers: { type: 'string', default: '20' },
      rounds: { type: 'string', default: '3' },
    },
  });
  const exchanges = positiveInt(args.exchanges, 'exchanges');
  const concurrency = positiveInt(args.concurrency, 'concurrency');
  const subscribers = positiveInt(args.subscribers, 'subscribers');
  const rounds = positiveInt(args.rounds, 'rounds');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-trace-bench-'));

  console.log('mock IdP trace fan-out benchmark');
  table([
    ['node', process.version],
    ['cpu', `${os.cpus()[0]?.model ?? 'unknown'} × ${os.availableParallelism()}`],
    ['token requests per round', String(exchanges)],
    ['concurrency', String(concurrency)],
    ['subscribers', String(subscribers)],
    ['rounds', `${rounds} with 0 and ${rounds} with ${subscribers} subscribers, alternating`],
  ]);

  try {
    const { startIdp, ensureCertificates, SEED } = await import('../src/index.ts');
    const certDir = path.join(root, 'certs');
    const certs = await ensureCertificates(certDir);
    const caPem = fs.readFileSync(certs.caCertPath, 'utf8');
    tls.setDefaultCACertificates([...tls.getCACertificates('default'), caPem]);

    const idp = await startIdp({ port: 0, dataDir: path.join(root, 'data'), certDir });
    try {
      const home = idp.info().tenants.find((t) => t.home);
      const web = idp.info().apps.find((a) => a.clientId === SEED.apps.webServer.appId);
      if (!home || !web?.devSecret) throw new Error('the seeded home tenant or web-server app (with its dev secret) is missing');
      const job = (count: number): LoadJob => ({
        tokenUrl: `${idp.baseUrl}/${home.id}/oauth2/v2.0/token`,
        form: { grant_type: 'client_credentials', client_id: web.clientId, client_secret: web.devSecret!, scope: `api://${SEED.apps.protectedApi.appId}/.default` },
        count,
        concurrency,
        deadline: Date.now() + LOAD_TIME_LIMIT_MS,
        caPem,
      });
      const lastId = (): number => idp.trace.history().at(-1)?.id ?? 0;

      const warm = await runLoad(job(WARMUP_REQUESTS));
      if (warm.failed) throw new Error(`warm-up requests failed: ${warm.firstFailure ?? ''}`);

      const bare: Round[] = [];
      const fanned: Round[] = [];
      const reports: SubscriberReport[][] = [];
      const problems: string[] = [];
      for (let round = 0; round < rounds; round++) {
        bare.push(await runLoad(job(exchanges)));

        const subs = await openSubscribers({ eventsUrl: `${idp.baseUrl}/_lab/events`, subscribers, caPem });
        if (idp.trace.subscriberCount !== subscribers) problems.push(`round ${round + 1}: the bus has ${idp.trace.subscriberCount} subscribers, expected ${subscribers}`);
        const firstId = lastId() + 1;
        const load = await runLoad(job(exchanges));
        const range = { firstId, lastId: lastId() };
        fanned.push(load);
        const roundReports = await subs.finish(range);
        reports.push(roundReports);

        const expected = range.lastId - range.firstId + 1;
        if (expected < load.ok) problems.push(`round ${round + 1}: ${load.ok} tokens but only ${expected} trace events`);
        roundReports.forEach((r, i) => {
          if (r.distinct < expected) problems.push(`round ${round + 1}, subscriber ${i}: ${expected - r.distinct} of ${expected} events lost`);
          if (r.received > r.distinct) problems.push(`round ${round + 1}, subscriber ${i}: ${r.received - r.distinct} events delivered twice`);
          problems.push(...r.errors.map((e) => `round ${round + 1}: ${e}`));
        });
      }
      // Let the server notice the closed SSE connections before it is closed.
      await new Promise((resolve) => setTimeout(resolve, 100));

      const tokensPerSecond = (r: Round): number => r.ok / (r.elapsedMs / 1000);
      const cpuPerToken = (r: Round): number => r.mainCpuMicros / Math.max(1, r.ok);
      const all = reports.flat();
      const delays = all.flatMap((r) => r.delays);
      const perSubscriberRate = all.map((r) => r.distinct / (r.spanMs / 1000));
      const events = reports.map((rs, i) => `${rs[0]?.distinct ?? 0}/${fanned[i]!.ok}`).join(', ');
      const medianOf = (rs: Round[], f: (r: Round) => number): number => median(rs.map(f));
      const bareRate = medianOf(bare, tokensPerSecond);
      const fanRate = medianOf(fanned, tokensPerSecond);
      const bareCpu = medianOf(bare, cpuPerToken);
      const fanCpu = medianOf(fanned, cpuPerToken);
      const failedRequests = [...bare, ...fanned].reduce((n, r) => n + r.failed, 0);
      const firstFailure = [...bare, ...fanned].find((r) => r.firstFailure)?.firstFailure;
      const timedOut = [...bare, ...fanned].some((r) => r.timedOut);

      console.log(`\n(a) client-credentials tokens over HTTPS, ${concurrency} in flight (median of ${rounds} rounds each)`);
      table([
        ['tokens per second, 0 subscribers', `${rate(bareRate)}  (${bare.map((r) => tokensPerSecond(r).toFixed(0)).join(', ')})`],
        [`tokens per second, ${subscribers} subscribers`, `${rate(fanRate)}  (${fanned.map((r) => tokensPerSecond(r).toFixed(0)).join(', ')})`],
        ['ratio', (fanRate / bareRate).toFixed(2)],
        ['IdP main-thread CPU per token, 0 subscribers', `${bareCpu.toFixed(0)} µs`],
        [`IdP main-thread CPU per token, ${subscribers} subscribers`, `${fanCpu.toFixed(0)} µs  (+${(fanCpu - bareCpu).toFixed(0)} µs, ≈ ${((fanCpu - bareCpu) / subscribers).toFixed(1)} µs per subscriber per event)`],
        ['IdP event loop busy, 0 / N subscribers', `${(medianOf(bare, (r) => r.eventLoopUtilization) * 100).toFixed(0)} % / ${(medianOf(fanned, (r) => r.eventLoopUtilization) * 100).toFixed(0)} %`],
        ['token requests', `${[...bare, ...fanned].reduce((n, r) => n + r.ok, 0)} ok, ${failedRequests} failed${timedOut ? ` (stopped at the ${LOAD_TIME_LIMIT_MS / 1000} s limit)` : ''}`],
      ]);
      if (firstFailure) console.log(`  first failure: ${firstFailure}`);

      console.log(`\n(b) GET /_lab/events to ${subscribers} SSE subscribers (keep-alive, client in a worker thread)`);
      table([
        ['events per round (subscriber 0 received / tokens issued)', events],
        ['every subscriber received every event once', problems.length ? 'NO' : `yes (${all.length} subscriber-rounds, ${all.reduce((n, r) => n + r.received, 0)} deliveries)`],
        ['events per second per subscriber, min / median / max', [Math.min(...perSubscriberRate), median(perSubscriberRate), Math.max(...perSubscriberRate)].map((v) => v.toFixed(0)).join(' / ')],
        ['deliveries per second, all subscribers', rate(median(perSubscriberRate) * subscribers)],
        ['delay event time → arrival, median / p95 / p99 / max', `${[50, 95, 99].map((p) => percentile(delays, p)).join(' / ')} / ${Math.max(...delays)} ms (1 ms resolution)`],
      ]);
      for (const problem of problems.slice(0, 20)) console.log(`  problem: ${problem}`);
      if (problems.length > 20) console.log(`  … and ${problems.length - 20} more problems`);

      // Lost events or failed requests fail the run; slow figures are a finding, not a failure.
      if (problems.length || failedRequests > 0 || timedOut) process.exitCode = 1;
    } finally {
      await idp.close();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (isMainThread) await main();
else subscriberMain(workerData as SubscriberJob);
