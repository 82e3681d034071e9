import fs from 'node:fs';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { describeCertificate, labHome } from '@mcp-lab/mock-idp';
import { CliError } from '../cli-error.ts';

/** Every NSS nickname mcp-lab writes starts with this, so its entries are recognisable in `certutil -L`. */
export const NSS_NICKNAME_PREFIX = 'mcp-lab dev CA';

/** The lab's dev CA as the trust stores need to see it. */
export interface LabCa {
  path: string;
  pem: string;
  subject: string;
  notAfter: Date;
  /** Colon-separated uppercase hex, as keychains and certificate viewers show it. */
  sha256: string;
  /** Uppercase hex without separators: the "thumbprint" macOS `security -Z` and Windows `certutil` take. */
  sha1: string;
  /** The NSS nickname: includes the fingerprint so untrust removes exactly this CA and not another lab's. */
  nickname: string;
}

/** `<labHome>/certs/ca.pem`, where `npm start` and `mcp-lab idp` keep the CA. */
export function labCaPath(): string {
  return path.join(labHome(), 'certs', 'ca.pem');
}

export function nssNickname(sha256: string): string {
  return `${NSS_NICKNAME_PREFIX} ${sha256.replaceAll(':', '').slice(0, 8)}`;
}

/** The SHA-256 fingerprint of a PEM certificate, or undefined when it is not one. */
export function sha256Of(pem: string): string | undefined {
  try {
    return new X509Certificate(pem).fingerprint256;
  } catch {
    return undefined;
  }
}

export function labCaFromPem(caPath: string, pem: string): LabCa {
  const described = describeCertificate(pem);
  return {
    path: caPath,
    pem,
    subject: described.subject,
    notAfter: described.notAfter,
    sha256: described.fingerprintSha256,
    sha1: new X509Certificate(pem).fingerprint.replaceAll(':', ''),
    nickname: nssNickname(described.fingerprintSha256),
  };
}

export function readLabCa(caPath: string): LabCa {
  let pem: string;
  try {
    pem = fs.readFileSync(caPath, 'utf8');
  } catch {
    throw new CliError('CA_MISSING', `There is no lab CA at ${caPath}.`, 'Start the IdP once (`npm start`) or run `mcp-lab trust`, which creates it.');
  }
  try {
    return labCaFromPem(caPath, pem);
  } catch (error) {
    throw new CliError('CA_UNREADABLE', `${caPath} is not a PEM certificate (${(error as Error).message}).`, 'Delete the certs folder and start the IdP again: it makes a new CA (then run `mcp-lab trust` again).');
  }
}
