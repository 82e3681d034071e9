import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { labHome } from '@mcp-lab/mock-idp';

/** The lab's dev CA: `<lab home>/certs/ca.pem`, the one the learner's IdP serves with. */
export function labCaPath(): string {
  return path.join(labHome(), 'certs', 'ca.pem');
}

/**
 * Makes this process trust the lab's dev CA, so MSAL (which uses Node's
 * fetch) can reach the mock IdP over HTTPS. Every verb that talks to an IdP
 * calls this before its first request (Node reads NODE_EXTRA_CA_CERTS only at
 * start-up, and a learner has no reason to set it). `tls.setDefaultCACertificates`
 * (Node ≥ 22.19 / 24.5) changes the default later; on an older Node the
 * caller is told to set the variable instead. Calling it twice is harmless.
 */
export function trustLabCa(caCertPath: string = labCaPath()): boolean {
  if (!fs.existsSync(caCertPath)) return false;
  const setDefault = (tls as { setDefaultCACertificates?: (certs: string[]) => void }).setDefaultCACertificates;
  if (typeof setDefault !== 'function') return process.env.NODE_EXTRA_CA_CERTS === caCertPath;
  const ca = fs.readFileSync(caCertPath, 'utf8');
  const current = tls.getCACertificates('default');
  if (!current.some((c) => c.trim() === ca.trim())) setDefault([...current, ca]);
  return true;
}
