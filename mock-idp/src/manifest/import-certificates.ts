import { createHash, createPrivateKey } from 'node:crypto';
import { parseCertificate } from '../store/app-credentials.ts';
import { DirectoryError } from '../store/errors.ts';
import type { ParsedManifest } from './manifest-schema.ts';

/** A certificate to add to the imported app (its public part, base64 DER or PEM). */
export interface CertificateToImport {
  certificate: string;
  displayName: string | undefined;
}

/** What to do with a manifest's keyCredentials: add these, tell the learner about those. */
export interface CertificatePlan {
  certificates: CertificateToImport[];
  warnings: string[];
}

/** A refusal of the whole import: the manifest holds something that must never be in one, or is broken. */
export class CertificateImportError extends Error {
  readonly code: 'PRIVATE_KEY_IN_MANIFEST' | 'INVALID_MANIFEST';
  readonly path: string;
  readonly fix: string;

  constructor(code: CertificateImportError['code'], path: string, message: string, fix: string) {
    super(message);
    this.code = code;
    this.path = path;
    this.fix = fix;
  }
}

function isPrivateKey(key: string): boolean {
  if (/PRIVATE KEY-----/.test(key)) return true;
  try {
    createPrivateKey({ key: Buffer.from(key, 'base64'), format: 'der', type: 'pkcs8' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a manifest's `keyCredentials` as Entra's manifest upload does: an
 * entry whose `key` holds a certificate (base64 DER, Graph's format) adds
 * that certificate. An entry with `key: null` (every certificate in a
 * manifest downloaded from the Entra admin center) cannot be re-created
 * and is reported, with how to upload it; so are expired certificates
 * (Entra refuses them too) and keys that are not certificates for client
 * assertions. A private key anywhere refuses the import.
 */
export function planCertificateImport(manifest: ParsedManifest, appId: string, now = new Date()): CertificatePlan {
  const plan: CertificatePlan = { certificates: [], warnings: [] };
  const seen = new Set<string>();
  manifest.keyCredentials.forEach((entry, i) => {
    const path = `keyCredentials[${i}]`;
    const name = entry.displayName ? `"${entry.displayName}"` : entry.customKeyIdentifier ? `thumbprint ${entry.customKeyIdentifier}` : `key ${entry.keyId ?? i}`;
    if (typeof entry.key === 'string' && entry.key.trim() !== '' && isPrivateKey(entry.key.trim())) {
      throw new CertificateImportError(
        'PRIVATE_KEY_IN_MANIFEST',
        `${path}.key`,
        `The manifest holds a private key at ${path}.key; a manifest carries only the public certificate.`,
        'Treat that key as leaked: make a new certificate (mcp-lab app cert add <appId> --create), put only its public part (base64 DER) in key, or set key to null and upload the certificate after importing.',
      );
    }
    if ((entry.type ?? 'AsymmetricX509Cert') !== 'AsymmetricX509Cert' || (entry.usage ?? 'Verify') !== 'Verify') {
      plan.warnings.push(`${path} (${name}) is a ${entry.type ?? '?'} key for ${entry.usage ?? '?'}, not a certificate that verifies client assertions (AsymmetricX509Cert, Verify); skipped.`);
      return;
    }
    if (typeof entry.key !== 'string' || entry.key.trim() === '') {
      plan.warnings.push(
        `${path} (${name}) has no certificate data (key: null, as in a manifest downloaded from the Entra admin center), so it was not imported. ` +
          `Upload the certificate's public part: mcp-lab app cert add ${appId} --pem FILE, or the portal's Certificates & secrets blade.`,
      );
      return;
    }
    let der: Buffer;
    let validTo: Date;
    try {
      const cert = parseCertificate(entry.key);
      der = cert.raw;
      validTo = new Date(cert.validTo);
    } catch (error) {
      const reason = error instanceof DirectoryError ? error.message : 'It is not an X.509 certificate.';
      throw new CertificateImportError('INVALID_MANIFEST', `${path}.key`, `${path}.key is not a certificate: ${reason}`, 'Put the certificate as base64 DER (a .cer file\'s bytes in base64) in key, or set key to null and upload the certificate after importing.');
    }
    const thumbprint = createHash('sha1').update(der).digest('hex').toUpperCase();
    if (validTo.getTime() <= now.getTime()) {
      plan.warnings.push(`${path} (${name}) expired on ${validTo.toISOString()}; Entra refuses expired certificates, so it was not imported. Make a new one: mcp-lab app cert add ${appId} --create.`);
      return;
    }
    if (entry.customKeyIdentifier && entry.customKeyIdentifier.toUpperCase() !== thumbprint) {
      plan.warnings.push(`${path}: customKeyIdentifier ${entry.customKeyIdentifier} is not the certificate's thumbprint; the certificate was imported under its own thumbprint ${thumbprint}.`);
    }
    if (seen.has(thumbprint)) {
      plan.warnings.push(`${path} (${name}) repeats a certificate listed earlier (thumbprint ${thumbprint}); imported once.`);
      return;
    }
    seen.add(thumbprint);
    plan.certificates.push({ certificate: entry.key.trim(), displayName: entry.displayName ?? undefined });
  });
  return plan;
}
