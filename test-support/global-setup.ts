/**
 * Runs once before the test workers start. Tests start real HTTPS identity
 * providers and call them with real clients (MSAL uses Node's fetch), so the
 * workers must trust the lab's dev CA from their first line — which only
 * NODE_EXTRA_CA_CERTS at process start achieves. Workers are forked after
 * this and inherit the variable.
 */
import path from 'node:path';
import { ensureCertificates } from '../mock-idp/src/certs/ensure-certificates.ts';
import { TEST_CERT_DIR } from './paths.ts';

export default async function setup(): Promise<void> {
  const certs = await ensureCertificates(TEST_CERT_DIR);
  process.env.NODE_EXTRA_CA_CERTS = path.resolve(certs.caCertPath);
  process.env.MCP_LAB_TEST_CERT_DIR = TEST_CERT_DIR;
}
