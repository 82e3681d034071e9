import fs from 'node:fs';
import tls from 'node:tls';

/**
 * Makes this process trust the lab's dev CA, so MSAL (which uses Node's
 * fetch) can reach the mock IdP over HTTPS. Node reads NODE_EXTRA_CA_CERTS
 * only at start-up; `tls.setDefaultCACertificates` (Node ≥ 22.19 / 24.5)
 * changes the default later. On an older Node the caller is told to set
 * the variable instead.
 */
export function trustLabCa(caCertPath: string): boolean {
  if (!fs.existsSync(caCertPath)) return false;
  const setDefault = (tls as { setDefaultCACertificates?: (certs: string[]) => void }).setDefaultCACertificates;
  if (typeof setDefault !== 'function') return process.env.NODE_EXTRA_CA_CERTS === caCertPath;
  const ca = fs.readFileSync(caCertPath, 'utf8');
  const current = tls.getCACertificates('default');
  if (!current.includes(ca.trim()) && !current.some((c) => c.trim() === ca.trim())) setDefault([...current, ca]);
  return true;
}
