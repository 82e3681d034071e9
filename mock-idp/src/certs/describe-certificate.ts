/**
 * A human summary of a certificate for `mcp-lab doctor` and `mcp-lab trust`:
 * the SHA-256 fingerprint is what OS trust-store dialogs display, so the
 * learner can match the two.
 */
import { X509Certificate } from 'node:crypto';

export interface CertificateDescription {
  subject: string;
  notAfter: Date;
  /** Uppercase hex bytes separated by colons, as keychains and certmgr show it. */
  fingerprintSha256: string;
}

export function describeCertificate(pem: string): CertificateDescription {
  const cert = new X509Certificate(pem);
  return {
    // Node separates RDNs with newlines; one line reads better in a terminal.
    subject: cert.subject.split('\n').join(', '),
    notAfter: cert.validToDate,
    fingerprintSha256: cert.fingerprint256,
  };
}
