/**
 * Decides whether the PEMs found on disk can be reused. Uses node:crypto's
 * X509Certificate: its host/IP matching and issuer checks are the ones Node's
 * TLS client applies, so "reusable" here means "a Node client will accept it".
 * Every check answers with a reason, never throws: anything unusable is simply
 * regenerated.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { isComfortablyValid } from './certificate-policy.ts';
import { LEAF_DNS_NAMES, LEAF_IP_ADDRESSES } from './generate-leaf.ts';

/** undefined when usable, otherwise why not. */
export type Problem = string | undefined;

function parse(certPem: string): X509Certificate | string {
  try {
    return new X509Certificate(certPem);
  } catch {
    return 'certificate does not parse';
  }
}

function keyMatches(cert: X509Certificate, keyPem: string): boolean {
  try {
    // A crash between writing the key and the certificate could pair a new key with an old certificate.
    return cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

export function caProblem(certPem: string, keyPem: string, now: Date): Problem {
  const ca = parse(certPem);
  if (typeof ca === 'string') return ca;
  if (!ca.ca) return 'certificate is not a CA';
  if (!keyMatches(ca, keyPem)) return 'private key missing, unreadable or not matching';
  if (!isComfortablyValid(ca.validFromDate, ca.validToDate, now)) return 'not valid or expiring within 30 days';
  return undefined;
}

export function leafProblem(certPem: string, keyPem: string, caPem: string, now: Date): Problem {
  const leaf = parse(certPem);
  if (typeof leaf === 'string') return leaf;
  const ca = new X509Certificate(caPem);
  if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) return 'not signed by the current CA';
  if (!keyMatches(leaf, keyPem)) return 'private key missing, unreadable or not matching';
  if (!isComfortablyValid(leaf.validFromDate, leaf.validToDate, now)) return 'not valid or expiring within 30 days';
  for (const name of LEAF_DNS_NAMES) {
    if (leaf.checkHost(name, { subject: 'never' }) === undefined) return `no subjectAltName for ${name}`;
  }
  for (const ip of LEAF_IP_ADDRESSES) {
    if (leaf.checkIP(ip) === undefined) return `no subjectAltName for ${ip}`;
  }
  return undefined;
}
