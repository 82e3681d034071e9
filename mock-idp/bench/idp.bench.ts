/**
 * `npm run bench` for the mock IdP (see docs/performance.md). One run measures:
 *
 *  (a) client-credentials tokens per second from the real token endpoint over
 *      HTTPS on loopback (seeded web-server app, its dev secret, scope
 *      api://{protected API}/.default): a fixed number of requests at a fixed
 *      concurrency, in 3 rounds (the median round is reported), sent from a
 *      worker thread so the client does not share the IdP's event loop;
 *  (b) jose's raw RS256 signing rate (RSA 2048) over the same number of
 *      signatures, one at a time and at the same concurrency (best of 3
 *      rounds); the ratio tokens/s ÷ signs/s says how much the IdP adds on
 *      top of signing, and CPU time per token vs per signature says it
 *      without depending on how many cores the machine has free;
 *  (c) time from the startIdp() call to the first successful /_lab/health:
 *      with a fresh data directory (first start: seeding, key generation)
 *      and with existing data (a restart), both with an existing dev CA;
 *      and from spawning a new Node process to /_lab/health (what a person
 *      waits for after `npm start`).
 *
 * Everything lives in a temporary folder (CA, data) removed at the end;
 * nothing but loopback is contacted. Options: --requests N, --concurrency N,
 * --profile FILE (after the measured run, one more run of the load under the
 * inspector's CPU profiler, main thread only, written as a .cpuprofile: the
 * load phase alone, without start-up or the signing rounds).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Session } from 'node:inspector/promises';
import { Worker } from 'node:worker_threads';
import { generateKeyPair, SignJWT } from 'jose';
import type { LoadJob, LoadResult } from './token-load.ts';

const AIM_RATIO = 0.5;
const AIM_READY_MS = 1500;
/** Issue #13: the IdP's main thread may spend at most twice the CPU of the token's own signature. */
const AIM_MAIN_CPU_PER_SIGN = 2;
const RESTARTS = 5;
const FRESH_STARTS = 3;
const COLD_STARTS = 3;
const SIGN_ROUNDS = 3;
/** Load rounds, like the signing rounds: the round with the median main-thread CPU per token is reported. */
const LOAD_ROUNDS = 3;
const WARMUP_REQUESTS = 500;
const LOAD_TIME_LIMIT_MS = 120_000;
const HEALTH_TIMEOUT_MS = 15_000;

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '8' },
    profile: { type: 'string' },
  },
});
const REQUESTS = positiveInt(args.requests, 'requests');
const CONCURRENCY = positiveInt(args.concurrency, 'concurrency');

function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, not ${value}`);
  return n;
}

// ── small helpers ──────────────────────────────────────────────────────────

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const ms = (v: number): string => `${v.toFixed(v < 10 ? 2 : 0)} ms`;
const rate = (v: number): string => `${v.toFixed(0)} /s`;

function table(rows: [string, string][]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}

function heading(text: string): void {
  console.log(`\n${text}`);
}

if (typeof tls.setDefaultCACertificates !== 'function') {
  console.error('error BENCH_NODE_TOO_OLD: the bench trusts its temporary CA with tls.setDefaultCACertificates (Node ≥ 22.19; the project develops on Node 24).');
  console.error('fix: run it with Node 24 (see docs/architecture.md, Runtime).');
  process.exit(2);
}

// ── setup ──────────────────────────────────────────────────────────────────

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-bench-'));
const certDir = path.join(root, 'certs');

console.log('mock IdP benchmark');
table([
  ['node', process.version],
  ['cpu', `${os.cpus()[0]?.model ?? 'unknown'} × ${os.availableParallelism()}`],
  ['requests / signatures', String(REQUESTS)],
  ['concurrency', String(CONCURRENCY)],
]);

try {
  // Loading the IdP's modules (express, oidc-provider, …) is part of a
  // process start but not of startIdp(); shown separately.
  let t0 = performance.now();
  const idpModule = await import('../src/index.ts');
  const importMs = performance.now() - t0;
  const { startIdp, ensureCertificates, SEED } = idpModule;
  type RunningIdp = Awaited<ReturnType<typeof startIdp>>;

  t0 = performance.now();
  const certs = await ensureCertificates(certDir);
  const caMs = performance.now() - t0;
  const caPem = fs.readFileSync(certs.caCertPath, 'utf8');
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), caPem]);

  /** startIdp() → first 200 from /_lab/health, in milliseconds. */
  async function timedStart(dataDir: string): Promise<{ idp: RunningIdp; readyMs: number }> {
    const begin = performance.now();
    const idp = await startIdp({ port: 0, dataDir, certDir });
    for (;;) {
      try {
        const response = await fetch(`${idp.baseUrl}/_lab/health`);
        await response.arrayBuffer();
        if (response.ok) return { idp, readyMs: performance.now() - begin };
      } catch {
        // not accepting yet: poll again
      }
      if (performance.now() - begin > HEALTH_TIMEOUT_MS) {
        await idp.close();
        throw new Error(`/_lab/health did not answer within ${HEALTH_TIMEOUT_MS} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  // (c) start-up times
  const freshMs: number[] = [];
  const dataDir = path.join(root, 'data-0');
  for (let i = 0; i < FRESH_STARTS; i++) {
    const { idp, readyMs } = await timedStart(path.join(root, `data-${i}`));
    freshMs.push(readyMs);
    await idp.close();
  }
  const restartMs: number[] = [];
  for (let i = 0; i < RESTARTS; i++) {
    const { idp, readyMs } = await timedStart(dataDir);
    restartMs.push(readyMs);
    await idp.close();
  }

  // (c) again, as a person sees it: a new Node process (boot, loading the
  // sources, startIdp) until /_lab/health answers.
  const coldMs: number[] = [];
  for (let i = 0; i < COLD_STARTS; i++) coldMs.push(await coldStart(dataDir, certDir));

  // (a) client-credentials throughput, against a restarted IdP (existing data)
  const { idp } = await timedStart(dataDir);
  let load: LoadResult & ServerSide;
  let mainCpuRounds: number[] = [];
  let tokenUrl: string;
  try {
    const home = idp.info().tenants.find((t) => t.home);
    const web = idp.info().apps.find((a) => a.clientId === SEED.apps.webServer.appId);
    if (!home || !web?.devSecret) throw new Error('the seeded home tenant or web-server app (with its dev secret) is missing');
    tokenUrl = `${idp.baseUrl}/${home.id}/oauth2/v2.0/token`;
    const form = {
      grant_type: 'client_credentials',
      client_id: web.clientId,
      client_secret: web.devSecret,
      scope: `api://${SEED.apps.protectedApi.appId}/.default`,
    };
    const job = (count: number): LoadJob => ({ tokenUrl, form, count, concurrency: CONCURRENCY, deadline: Date.now() + LOAD_TIME_LIMIT_MS, caPem });
    const warm = await runLoad(job(WARMUP_REQUESTS));
    if (warm.failed) throw new Error(`warm-up requests failed: ${warm.firstFailure}`);
    // Other work on a shared machine adds CPU time to a round (cache misses, a
    // busy sibling core), so one round says little: as for the signatures,
    // the median of the rounds is the figure, and the round it comes from is
    // the one reported in full.
    const rounds: (LoadResult & ServerSide)[] = [];
    for (let round = 0; round < LOAD_ROUNDS; round++) rounds.push(await runLoad(job(REQUESTS)));
    rounds.sort((x, y) => x.mainCpuMicros / x.ok - y.mainCpuMicros / y.ok);
    load = rounds[Math.floor(rounds.length / 2)]!;
    mainCpuRounds = rounds.map((r) => r.mainCpuMicros / r.ok);
    if (rounds.some((r) => r.failed > 0 || r.timedOut)) load = rounds.find((r) => r.failed > 0 || r.timedOut)!;
    if (args.profile) await profileLoad(args.profile, () => runLoad(job(REQUESTS)));
    if (load.samplePayload?.aud !== SEED.apps.protectedApi.appId || load.samplePayload.idtyp !== 'app') {
      throw new Error(`unexpected token: ${JSON.stringify(load.samplePayload)}`);
    }
  } finally {
    await idp.close();
  }
  const tokensPerSecond = load.ok / (load.elapsedMs / 1000);

  // (b) raw RS256 signing with jose, with the IdP stopped
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const sign = (i: number): Promise<string> =>
    new SignJWT({
      aud: SEED.apps.protectedApi.appId,
      iss: 'https://localhost:8443/b3d1f0a2-6c4e-4f8a-9d2b-5e7c1a3f9d01/v2.0',
      azp: SEED.apps.webServer.appId,
      azpacr: '1',
      oid: SEED.apps.webServer.servicePrincipalId,
      sub: SEED.apps.webServer.servicePrincipalId,
      idtyp: 'app',
      roles: ['Tools.Read'],
      tid: 'b3d1f0a2-6c4e-4f8a-9d2b-5e7c1a3f9d01',
      uti: `bench-${i}`,
      ver: '2.0',
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'bench' })
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime('1h')
      .sign(privateKey);
  for (let i = 0; i < 50; i++) await sign(i); // warm-up
  // Best of a few rounds: other work on the machine only ever slows a round down.
  let signSequentialPerSecond = 0;
  let signConcurrentPerSecond = 0;
  const cpuPerSignRounds: number[] = [];
  for (let round = 0; round < SIGN_ROUNDS; round++) {
    t0 = performance.now();
    for (let i = 0; i < REQUESTS; i++) await sign(i);
    signSequentialPerSecond = Math.max(signSequentialPerSecond, REQUESTS / ((performance.now() - t0) / 1000));
    let next = 0;
    const cpu0 = process.cpuUsage();
    t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < REQUESTS) await sign(next++);
      }),
    );
    signConcurrentPerSecond = Math.max(signConcurrentPerSecond, REQUESTS / ((performance.now() - t0) / 1000));
    const cpu = process.cpuUsage(cpu0);
    cpuPerSignRounds.push((cpu.user + cpu.system) / REQUESTS);
  }
  const cpuPerSign = median(cpuPerSignRounds);

  // ── report ───────────────────────────────────────────────────────────────
  const ratio = tokensPerSecond / signConcurrentPerSecond;
  const perToken = (micros: number): string => `${(micros / load.ok).toFixed(0)} µs`;
  const idpCpuPerToken = (load.processCpuMicros - load.clientCpuMicros) / load.ok;
  heading(`(a) client-credentials tokens over HTTPS (keep-alive, ${CONCURRENCY} in flight, client in a worker thread)`);
  table([
    ['requests', `${load.ok} ok, ${load.failed} failed${load.timedOut ? ` (stopped at the ${LOAD_TIME_LIMIT_MS / 1000} s limit)` : ''}`],
    ['elapsed', ms(load.elapsedMs)],
    ['tokens per second', rate(tokensPerSecond)],
    ['latency p50 / p95 / p99', [50, 95, 99].map((p) => ms(percentile(load.latencies, p))).join(' / ')],
    ['IdP event loop busy', `${(load.eventLoopUtilization * 100).toFixed(0)} %`],
    ['CPU used by the process', `${(load.processCpuMicros / 1000 / load.elapsedMs).toFixed(2)} of ${os.availableParallelism()} cores`],
    ['CPU per token: IdP main thread', `${perToken(load.mainCpuMicros)} (median of ${LOAD_ROUNDS} rounds: ${mainCpuRounds.map((v) => v.toFixed(0)).join(', ')})`],
    ['CPU per token: IdP other threads', `${perToken(load.processCpuMicros - load.mainCpuMicros - load.clientCpuMicros)} (libuv pool: RSA signing; GC helpers)`],
    ['CPU per token: load generator', perToken(load.clientCpuMicros)],
  ]);
  if (load.firstFailure) console.log(`  first failure: ${load.firstFailure}`);

  heading(`(b) jose RS256 signing, RSA 2048 (no HTTP, no IdP; best of ${SIGN_ROUNDS} rounds)`);
  table([
    ['one at a time', rate(signSequentialPerSecond)],
    [`${CONCURRENCY} in flight`, rate(signConcurrentPerSecond)],
    ['CPU per signature', `${cpuPerSign.toFixed(0)} µs (median of the rounds)`],
    [`ratio tokens/s ÷ signs/s (${CONCURRENCY} in flight)`, ratio.toFixed(2)],
    ['ratio tokens/s ÷ signs/s (one at a time)', (tokensPerSecond / signSequentialPerSecond).toFixed(2)],
    ['CPU per signature ÷ IdP CPU per token', (cpuPerSign / idpCpuPerToken).toFixed(2)],
    ['IdP main-thread CPU per token ÷ CPU per signature', (load.mainCpuMicros / load.ok / cpuPerSign).toFixed(2)],
  ]);

  heading('(c) startIdp() → first /_lab/health 200 (existing dev CA)');
  table([
    [`fresh data dir, median of ${FRESH_STARTS}`, `${ms(median(freshMs))}  (${freshMs.map((v) => v.toFixed(0)).join(', ')})`],
    [`existing data, median of ${RESTARTS}`, `${ms(median(restartMs))}  (${restartMs.map((v) => v.toFixed(0)).join(', ')})`],
    [`new process, existing data, median of ${COLD_STARTS}`, `${ms(median(coldMs))}  (${coldMs.map((v) => v.toFixed(0)).join(', ')})`],
    ['not included above: dev CA + certificate, first time', ms(caMs)],
    ['not included above: importing the IdP modules', ms(importMs)],
  ]);

  heading('aims');
  const ratioOk = ratio >= AIM_RATIO;
  const mainCpuRatio = load.mainCpuMicros / load.ok / cpuPerSign;
  const readyOk = median(restartMs) <= AIM_READY_MS;
  const coldOk = median(coldMs) <= AIM_READY_MS;
  table([
    [`tokens/s ≥ ${AIM_RATIO} × signs/s (${CONCURRENCY} in flight)`, `${ratioOk ? 'met' : 'NOT MET'} (${ratio.toFixed(2)})`],
    [`IdP main-thread CPU per token ≤ ${AIM_MAIN_CPU_PER_SIGN} × CPU per signature`, `${mainCpuRatio <= AIM_MAIN_CPU_PER_SIGN ? 'met' : 'NOT MET'} (${mainCpuRatio.toFixed(2)})`],
    [`ready ≤ ${AIM_READY_MS} ms with an existing CA (startIdp)`, `${readyOk ? 'met' : 'NOT MET'} (${median(restartMs).toFixed(0)} ms)`],
    [`ready ≤ ${AIM_READY_MS} ms with an existing CA (new process)`, `${coldOk ? 'met' : 'NOT MET'} (${median(coldMs).toFixed(0)} ms)`],
  ]);
  // Figures below the aims are a finding, not a failure of the bench; failed requests are.
  if (load.failed > 0 || load.timedOut) process.exitCode = 1;
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}

/** Spawns `start-once.ts` on existing data; milliseconds from spawn to the first 200 from /_lab/health. */
function coldStart(dataDir: string, certDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const begin = performance.now();
    const child = spawn(process.execPath, [fileURLToPath(new URL('./start-once.ts', import.meta.url)), dataDir, certDir], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => fail(new Error(`the IdP child process was not ready within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill();
      reject(err);
    };
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) fail(new Error(`the IdP child process exited with code ${code}: ${stderr.trim()}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const baseUrl = /^ready (\S+)$/m.exec(stdout)?.[1];
      if (!baseUrl) return;
      child.stdout.removeAllListeners('data');
      void (async () => {
        for (;;) {
          try {
            const response = await fetch(`${baseUrl}/_lab/health`);
            await response.arrayBuffer();
            if (response.ok) break;
          } catch {
            // not accepting yet: poll again
          }
          await new Promise((r) => setTimeout(r, 5));
        }
        const readyMs = performance.now() - begin;
        clearTimeout(timer);
        child.once('exit', () => resolve(readyMs));
        child.stdin.end();
      })();
    });
  });
}

/** Runs `run` under the inspector's CPU profiler (this thread: the IdP's) and writes the profile; not part of the measured figures. */
async function profileLoad(file: string, run: () => Promise<unknown>): Promise<void> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    await run();
    const { profile } = await session.post('Profiler.stop');
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(profile));
    console.log(`profile of one more load run (main thread): ${path.resolve(file)}`);
  } finally {
    session.disconnect();
  }
}

/** What the IdP's side of the process spent while the worker sent the load. */
interface ServerSide {
  mainCpuMicros: number;
  processCpuMicros: number;
  eventLoopUtilization: number;
}

/** Runs the load in a worker thread; the IdP's CPU and event loop figures are taken around the worker's run only (not its start-up). */
function runLoad(job: LoadJob): Promise<LoadResult & ServerSide> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./token-load.ts', import.meta.url), { workerData: job });
    let start: { main: NodeJS.CpuUsage; process: NodeJS.CpuUsage; elu: ReturnType<typeof performance.eventLoopUtilization> } | undefined;
    worker.on('message', (message: 'ready' | LoadResult) => {
      if (message === 'ready') {
        start = { main: process.threadCpuUsage(), process: process.cpuUsage(), elu: performance.eventLoopUtilization() };
        worker.postMessage('go');
        return;
      }
      if (!start) return reject(new Error('the load worker answered before it was started'));
      const main = process.threadCpuUsage(start.main);
      const all = process.cpuUsage(start.process);
      resolve({
        ...message,
        mainCpuMicros: main.user + main.system,
        processCpuMicros: all.user + all.system,
        eventLoopUtilization: performance.eventLoopUtilization(start.elu).utilization,
      });
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load worker exited with code ${code}`));
    });
  });
}
