import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SEED } from '@mcp-lab/mock-idp';
import { freePort } from '../labs/harness/src/process/ports.ts';

/** What a test needs of a running mock IdP to point the lab 03 solution at it. */
export interface IdpForLab {
  baseUrl: string;
  caCertPath: string;
  /** The seeded web app's dev secret (from /_lab/info). */
  secret: string;
  /** The IdP's admin API (to register the server's callback for the test). */
  admin(method: string, route: string, body: unknown): Promise<unknown>;
}

/** An admin API caller from an admin token (a TestIdp has one). */
export function adminWithToken(baseUrl: string, adminToken: string): IdpForLab['admin'] {
  return async (method, route, body) => {
    const response = await fetch(`${baseUrl}/_lab/admin${route}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`admin ${method} ${route}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? undefined : ((await response.json()));
  };
}

export interface Lab03Server {
  origin: string;
  stop(): Promise<void>;
}

const SOLUTION = path.resolve(import.meta.dirname, '..', 'labs', '03-confidential-client', 'solution');


/**
 * Starts lab 03's solution on a free port against a test IdP, as a learner
 * would with `.env` (the seeded web app and its dev secret), with that
 * port's callback registered on the app. For tests that need a real lab 03
 * server (the CLI's `token --server`, the MCP Inspector smoke test).
 */
export async function startLab03Solution(idp: IdpForLab): Promise<Lab03Server> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const app = SEED.apps.webServer.appId;
  const callback = { platform: 'web', uri: `${origin}/auth/callback` };
  await idp.admin('POST', `/apps/${app}/redirect-uris`, callback);
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab03-cache-'));
  const child = spawn(process.execPath, ['src/server.ts'], {
    cwd: SOLUTION,
    env: {
      PATH: process.env.PATH,
      NODE_EXTRA_CA_CERTS: idp.caCertPath,
      AUTHORITY_HOST: idp.baseUrl,
      TENANT_ID: SEED.tenants.home.id,
      CLIENT_ID: app,
      CLIENT_SECRET: idp.secret,
      REDIRECT_URI: callback.uri,
      GRAPH_BASE_URL: `${idp.baseUrl}/graph/v1.0`,
      PORT: String(port),
      PUBLIC_URL: origin,
      LAB_CACHE_DIR: cacheDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`lab 03 did not start within 20 s:\n${output}`)), 20_000);
    const listen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', listen);
    child.stderr.on('data', listen);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`lab 03 exited (${String(code)}):\n${output}`));
    });
  });
  return {
    origin,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
      await idp.admin('DELETE', `/apps/${app}/redirect-uris`, callback);
      fs.rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}
