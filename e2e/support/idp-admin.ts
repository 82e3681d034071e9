import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import type { E2eEnv } from './e2e-env.ts';

/**
 * The e2e IdP's admin API, over HTTPS as any tool on the machine uses it:
 * the admin token from the IdP's data folder, the throwaway CA trusted by
 * this test process (Node ≥ 22.19), never certificate checks switched off.
 */
export async function idpAdmin<T>(lab: E2eEnv, method: string, route: string, body?: unknown): Promise<T> {
  const ca = fs.readFileSync(path.join(lab.labHome, 'certs', 'ca.pem'), 'utf8');
  if (!tls.getCACertificates('default').includes(ca)) tls.setDefaultCACertificates([...tls.getCACertificates('default'), ca]);
  const token = fs.readFileSync(path.join(lab.labHome, 'idp', 'admin-token'), 'utf8').trim();
  const response = await fetch(`${lab.idpUrl}/_lab/admin${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`admin API ${method} ${route} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}
