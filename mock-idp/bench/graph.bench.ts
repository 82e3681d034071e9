/**
 * The mock Microsoft Graph under load: `node mock-idp/bench/graph.bench.ts`.
 * One run measures, against a fresh IdP on loopback (temporary CA and data,
 * removed at the end; nothing but loopback is contacted):
 *
 *  (a) `GET /graph/v1.0/me` per second over HTTPS with a real delegated token
 *      (Alice, User.Read, from the authorization code flow with PKCE): a fixed
 *      number of requests at a fixed concurrency over keep-alive connections,
 *      sent from a worker thread so the client does not share the IdP's event
 *      loop. Every answer must be a 200 with Alice's object ID;
 *  (b) the same load on `GET /_lab/health` (HTTPS + Express, no token): the
 *      floor under (a), so that (a) − (b) is what Graph itself costs;
 *  (c) jose's `jwtVerify` of the same token with the same checks, no HTTP:
 *      the token validation every Graph call does.
 *
 * Options: --requests N (default 2000), --concurrency N (default 8).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const WARMUP_REQUESTS = 200;
const TIME_LIMIT_MS = 120_000;

interface LoadJob {
  url: string;
  headers: Record<string, string>;
  /** The object ID every answer must carry (`id`); undefined: any 200 will do. */
  expectId?: string;
  count: number;
  concurrency: number;
  deadline: number;
  caPem: string;
}

interface LoadResult {
  ok: number;
  failed: number;
  firstFailure?: string;
  elapsedMs: number;
  latencies: number[];
  clientCpuMicros: number;
  timedOut: boolean;
}

interface ServerSide {
  mainCpuMicros: number;
  eventLoopUtilization: number;
}

// ── the load generator (worker thread) ─────────────────────────────────────

async function runLoad(job: LoadJob): Promise<LoadResult> {
  // Trust is per thread: the worker needs the lab CA as well.
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), job.caPem]);
  const result: LoadResult = { ok: 0, failed: 0, elapsedMs: 0, latencies: [], clientCpuMicros: 0, timedOut: false };
  let started = 0;

  const one = async (): Promise<void> => {
    const t0 = performance.now();
    try {
      const response = await fetch(job.url, { headers: job.headers });
      const body = (await response.json()) as { id?: unknown; error?: { code?: unknown; message?: unknown } };
      if (response.status === 200 && (job.expectId === undefined || body.id === job.expectId)) {
        result.ok++;
        result.latencies.push(performance.now() - t0);
      } else {
        result.failed++;
        result.firstFailure ??= `${response.status} ${JSON.stringify(body.error ?? body)}`;
      }
    } catch (err) {
      result.failed++;
      result.firstFailure ??= err instanceof Error ? `${err.message} ${err.cause instanceof Error ? err.cause.message : ''}` : String(err);
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
  return result;
}

// Protocol: the worker says 'ready' once loaded, the parent answers 'go' after
// taking its own measurements, the worker answers with the result.
function workerMain(): void {
  const port = parentPort;
  if (!port) return;
  port.once('message', () => {
    runLoad(workerData as LoadJob).then(
      (result) => port.postMessage(result),
      (err: unknown) => {
        throw err;
      },
    );
  });
  port.postMessage('ready');
}

/** Runs a load in a worker; the IdP's CPU and event-loop figures cover the worker's run only. */
function load(job: LoadJob): Promise<LoadResult & ServerSide> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
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

const ms = (v: number): string => `${v.toFixed(v < 10 ? 2 : 0)} ms`;
const rate = (v: number): string => `${v.toFixed(0)} /s`;

function table(rows: [string, string][]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}

function loadRows(result: LoadResult & ServerSide): [string, string][] {
  return [
    ['requests', `${result.ok} ok, ${result.failed} failed${result.timedOut ? ` (stopped at the ${TIME_LIMIT_MS / 1000} s limit)` : ''}`],
    ['elapsed', ms(result.elapsedMs)],
    ['requests per second', rate(result.ok / (result.elapsedMs / 1000))],
    ['latency p50 / p95 / p99', [50, 95, 99].map((p) => ms(percentile(result.latencies, p))).join(' / ')],
    ['IdP event loop busy', `${(result.eventLoopUtilization * 100).toFixed(0)} %`],
    ['IdP main-thread CPU per request', `${(result.mainCpuMicros / Math.max(1, result.ok)).toFixed(0)} µs`],
    ['load generator CPU per request', `${(result.clientCpuMicros / Math.max(1, result.ok)).toFixed(0)} µs`],
  ];
}

function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, not ${value}`);
  return n;
}

// ── the run ────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: { requests: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '8' } } });
  const requests = positiveInt(args.requests, 'requests');
  const concurrency = positiveInt(args.concurrency, 'concurrency');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-graph-bench-'));

  console.log('mock Microsoft Graph benchmark');
  table([
    ['node', process.version],
    ['cpu', `${os.cpus()[0]?.model ?? 'unknown'} × ${os.availableParallelism()}`],
    ['requests', String(requests)],
    ['concurrency', String(concurrency)],
  ]);

  try {
    const { startIdp, ensureCertificates, playUser, SEED, SEED_PASSWORDS } = await import('../src/index.ts');
    const { createHash, randomBytes } = await import('node:crypto');
    const { createLocalJWKSet, jwtVerify } = await import('jose');

    const certDir = path.join(root, 'certs');
    const certs = await ensureCertificates(certDir);
    const caPem = fs.readFileSync(certs.caCertPath, 'utf8');
    tls.setDefaultCACertificates([...tls.getCACertificates('default'), caPem]);

    const idp = await startIdp({ port: 0, dataDir: path.join(root, 'data'), certDir });
    try {
      const home = idp.info().tenants.find((t) => t.home);
      if (!home) throw new Error('the seeded home tenant is missing');
      const alice = SEED.users.alice;

      // A real delegated Graph token: authorization code + PKCE, Alice signs in on the IdP's pages.
      const clientId = SEED.apps.publicClient.appId;
      const redirectUri = 'http://localhost:47999';
      const scope = 'User.Read openid profile';
      const verifier = randomBytes(32).toString('base64url');
      const authorize = new URL(`${idp.baseUrl}/${home.id}/oauth2/v2.0/authorize`);
      authorize.search = new URLSearchParams({
        client_id: clientId,
        response_type: 'code',
        redirect_uri: redirectUri,
        scope,
        state: randomBytes(8).toString('hex'),
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      }).toString();
      const delivery = await playUser(authorize, { username: alice.userPrincipalName, password: SEED_PASSWORDS[alice.userPrincipalName] ?? '', consent: 'accept' });
      const code = delivery.params.get('code');
      if (!code) throw new Error(`sign-in gave no code: ${delivery.params.toString()}`);
      const tokenResponse = await fetch(`${idp.baseUrl}/${home.id}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: redirectUri, code_verifier: verifier, scope }),
      });
      const { access_token: token } = (await tokenResponse.json()) as { access_token?: string };
      if (!token) throw new Error(`the token request failed with ${tokenResponse.status}`);

      const job = (url: string, count: number, withToken: boolean): LoadJob => ({
        url,
        headers: withToken ? { authorization: `Bearer ${token}` } : {},
        ...(withToken ? { expectId: alice.id } : {}),
        count,
        concurrency,
        deadline: Date.now() + TIME_LIMIT_MS,
        caPem,
      });
      const meUrl = `${idp.baseUrl}/graph/v1.0/me`;
      const healthUrl = `${idp.baseUrl}/_lab/health`;

      const warm = await load(job(meUrl, WARMUP_REQUESTS, true));
      if (warm.failed) throw new Error(`warm-up requests failed: ${warm.firstFailure ?? ''}`);
      const me = await load(job(meUrl, requests, true));
      await load(job(healthUrl, WARMUP_REQUESTS, false));
      const health = await load(job(healthUrl, requests, false));

      // (c) the validation alone: same key set, same checks as verify-graph-token.ts.
      const keys = createLocalJWKSet({ keys: idp.keys.publicKeys() });
      // Graph tokens are v1.0, as on Entra: issuer sts.windows.net/{tid}/, audience Graph's resource URI.
      const options = { algorithms: ['RS256'], audience: [SEED.graph.appId, 'https://graph.microsoft.com'], issuer: `https://sts.windows.net/${home.id}/`, clockTolerance: 300 };
      for (let i = 0; i < 200; i++) await jwtVerify(token, keys, options);
      const t0 = performance.now();
      for (let i = 0; i < requests; i++) await jwtVerify(token, keys, options);
      const verifyPerSecond = requests / ((performance.now() - t0) / 1000);

      const mePerSecond = me.ok / (me.elapsedMs / 1000);
      const healthPerSecond = health.ok / (health.elapsedMs / 1000);
      console.log(`\n(a) GET /graph/v1.0/me over HTTPS (delegated token, keep-alive, ${concurrency} in flight, client in a worker thread)`);
      table(loadRows(me));
      if (me.firstFailure) console.log(`  first failure: ${me.firstFailure}`);
      console.log('\n(b) GET /_lab/health, the same load (HTTPS + Express, no token)');
      table(loadRows(health));
      console.log('\n(c) jose jwtVerify of the same token (RS256, issuer, audience, lifetime), one at a time, no HTTP');
      table([
        ['verifications per second', rate(verifyPerSecond)],
        ['µs per verification', `${(1e6 / verifyPerSecond).toFixed(0)} µs`],
      ]);
      console.log('\nsummary');
      table([
        ['/me ÷ /_lab/health', (mePerSecond / healthPerSecond).toFixed(2)],
        ['IdP CPU per /me beyond /_lab/health', `${((me.mainCpuMicros / me.ok - health.mainCpuMicros / health.ok) || 0).toFixed(0)} µs (of which validation ≈ ${(1e6 / verifyPerSecond).toFixed(0)} µs)`],
      ]);
      // Failed requests make the run fail; slow figures are a finding, not a failure.
      if (me.failed > 0 || me.timedOut || health.failed > 0) process.exitCode = 1;
    } finally {
      await idp.close();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (isMainThread) await main();
else workerMain();
