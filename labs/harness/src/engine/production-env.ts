import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SEED } from '@mcp-lab/mock-idp';
import type { ProxyTls } from '../mcp/recording-proxy.ts';
import type { LabEnv, LabManifest } from '../model.ts';

/**
 * What a lab that runs its server as in production (lab 04) needs besides
 * the lab configuration of labs 02–03: a TLS certificate for localhost, the
 * API whose app roles govern the tools, and a key for the session store.
 *
 * The certificate is the lab's existing localhost certificate (issued by
 * the dev CA that `npm start` and `mcp-lab trust` set up), copied into the
 * server's cache folder, the one place the sandboxed server may read it
 * from; the recording proxy presents the same one to clients. The store
 * key is new for each run, so no run can open another's sessions.
 */
export interface ProductionEnv {
  env: LabEnv;
  tls?: ProxyTls;
}

export function productionEnv(manifest: LabManifest, options: { caCertPath: string; stagedDir: string; cacheDir: string }): ProductionEnv {
  const wants = (name: (typeof manifest.env)[number]) => manifest.env.includes(name);
  const env: LabEnv = {};
  let tls: ProxyTls | undefined;
  if (wants('TLS_CERT_FILE')) {
    const certs = path.dirname(options.caCertPath);
    const cert = fs.readFileSync(path.join(certs, 'localhost.pem'), 'utf8');
    const key = fs.readFileSync(path.join(certs, 'localhost-key.pem'), 'utf8');
    const dir = path.join(options.cacheDir, 'tls');
    fs.mkdirSync(path.join(options.stagedDir, dir), { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(options.stagedDir, dir, 'localhost.pem'), cert, { mode: 0o644 });
    fs.writeFileSync(path.join(options.stagedDir, dir, 'localhost-key.pem'), key, { mode: 0o600 });
    env.TLS_CERT_FILE = path.join(dir, 'localhost.pem');
    env.TLS_KEY_FILE = path.join(dir, 'localhost-key.pem');
    tls = { cert, key, ca: fs.readFileSync(options.caCertPath, 'utf8') };
  }
  if (wants('ROLES_SCOPE')) env.ROLES_SCOPE = `api://${SEED.apps.protectedApi.appId}/${SEED.scopes.userImpersonation.value}`;
  // Where the grader reads the audit log from (the server's own default would do, but a check must know it).
  if (wants('AUDIT_LOG')) env.AUDIT_LOG = path.join(options.cacheDir, 'audit.log');
  // Small, so a check reaches the bound with a few dozen lines (a server's own default is megabytes).
  if (wants('AUDIT_LOG_MAX_BYTES')) env.AUDIT_LOG_MAX_BYTES = '8192';
  if (wants('TOKEN_STORE_KEY')) env.TOKEN_STORE_KEY = randomBytes(32).toString('base64');
  return { env, ...(tls ? { tls } : {}) };
}
