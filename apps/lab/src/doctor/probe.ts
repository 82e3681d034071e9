import http from 'node:http';
import https from 'node:https';
import { execFile } from 'node:child_process';

export type ProbeResult = { ok: true; status: number; body: string } | { ok: false; code: string; message: string };

export interface ProbeOptions {
  /** Trusted roots for this request; Node's defaults when absent. */
  ca?: string[];
  /**
   * false only to ask "who holds this port?" on loopback: nothing is sent and
   * the answer is not trusted for anything else.
   */
  verify?: boolean;
  timeoutMs?: number;
}

/** One GET in this process; never throws. No keep-alive, so nothing lingers after the answer. */
export function probe(url: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const isHttps = url.startsWith('https:');
    const tlsOptions = isHttps ? { rejectUnauthorized: options.verify ?? true, ...(options.ca ? { ca: options.ca } : {}) } : {};
    const request = (isHttps ? https : http).get(url, { agent: false, timeout: options.timeoutMs ?? 5000, ...tlsOptions }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 1_000_000) body += chunk;
      });
      res.on('end', () => resolve({ ok: true, status: res.statusCode ?? 0, body }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code ?? 'ERROR', message: error.message }));
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs ?? 5000} ms`), { code: 'ETIMEDOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code ?? 'ERROR', message: error.message }));
  });
}

// Runs in a fresh `node`: whatever CA store that process starts with is what a learner's MCP server gets.
const CHILD_PROBE = `
const https = require('node:https');
const done = (r) => process.stdout.write(JSON.stringify(r));
const req = https.get(process.argv[1], { agent: false, timeout: 5000 }, (res) => { res.resume(); done({ ok: true, status: res.statusCode, body: '' }); });
req.on('timeout', () => req.destroy(Object.assign(new Error('no answer within 5000 ms'), { code: 'ETIMEDOUT' })));
req.on('error', (e) => done({ ok: false, code: e.code || 'ERROR', message: e.message }));
`;

/**
 * One GET from a child `node` with exactly `env`: the only honest way to
 * learn what a process started without (or with) NODE_EXTRA_CA_CERTS trusts,
 * because this process may already have been taught the lab CA.
 */
export function probeInChild(url: string, env: NodeJS.ProcessEnv): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', CHILD_PROBE, url], { env, timeout: 15_000, windowsHide: true }, (error, stdout, stderr) => {
      try {
        resolve(JSON.parse(stdout) as ProbeResult);
      } catch {
        resolve({ ok: false, code: 'PROBE_FAILED', message: `the test process failed: ${error?.message ?? ''} ${stderr}`.trim() });
      }
    });
  });
}
