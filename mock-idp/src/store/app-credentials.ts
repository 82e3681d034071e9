import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { StoreCore } from './store-core.ts';
import type { FederatedIdentityCredential, KeyCredential } from '../directory/types.ts';
import { DirectoryError } from './errors.ts';
import { blob, json, text, type Row } from './rows.ts';
import { nonEmpty } from './validate.ts';

/** A presented thumbprint, as a client assertion's header names it. */
export type Thumbprint = { x5t: string } | { x5tS256: string };

const KEY_COLUMNS = 'key_id, app_id, display_name, thumbprint_sha1, thumbprint_sha256, start_date_time, end_date_time';
const FEDERATED_COLUMNS = 'id, app_id, name, issuer, subject, audiences, description';

function keyFromRow(row: Row): KeyCredential {
  const sha1 = text(row, 'thumbprint_sha1');
  return {
    keyId: text(row, 'key_id'),
    appId: text(row, 'app_id'),
    displayName: text(row, 'display_name'),
    type: 'AsymmetricX509Cert',
    usage: 'Verify',
    customKeyIdentifier: Buffer.from(sha1, 'base64url').toString('hex').toUpperCase(),
    x5t: sha1,
    x5tS256: text(row, 'thumbprint_sha256'),
    startDateTime: text(row, 'start_date_time'),
    endDateTime: text(row, 'end_date_time'),
  };
}

function federatedFromRow(row: Row): FederatedIdentityCredential {
  return {
    id: text(row, 'id'),
    appId: text(row, 'app_id'),
    name: text(row, 'name'),
    issuer: text(row, 'issuer'),
    subject: text(row, 'subject'),
    audiences: json(row, 'audiences'),
    description: text(row, 'description'),
  };
}

/** A certificate from PEM (one `CERTIFICATE` block) or base64 DER, as Graph's `key` carries it; a clear refusal otherwise. */
export function parseCertificate(input: string): X509Certificate {
  const trimmed = input.trim();
  if (/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(trimmed)) {
    throw new DirectoryError('INVALID_INPUT', 'That is a private key. Upload only the certificate (the public part, "-----BEGIN CERTIFICATE-----"); the private key stays with the app.');
  }
  try {
    return new X509Certificate(trimmed.startsWith('-----BEGIN') ? trimmed : Buffer.from(trimmed, 'base64'));
  } catch {
    throw new DirectoryError('INVALID_INPUT', 'The certificate is not a PEM ("-----BEGIN CERTIFICATE-----") or base64 DER X.509 certificate (.cer, .pem or .crt).');
  }
}

/**
 * The credentials of app registrations other than secrets: certificates
 * (keyCredentials; only the public certificate is kept) and federated
 * identity credentials. It shares the directory's StoreCore on the same
 * connection, so a credential added or deleted here empties the directory's
 * cache too (an oidc-provider client is confidential while its app has any
 * credential), and what every token request asks (`hasAny`) is cached.
 */
export class AppCredentials {
  readonly #core: StoreCore;

  constructor(db: DatabaseSync) {
    this.#core = StoreCore.of(db);
  }

  #sql(sql: string): StatementSync {
    return this.#core.sql(sql);
  }

  // ── Certificates ─────────────────────────────────────────────────────

  /** Adds a certificate; refused when it has expired or the app already has it. */
  addCertificate(appId: string, input: { certificate: string; displayName?: string | undefined }, now = new Date()): KeyCredential {
    const cert = parseCertificate(input.certificate);
    const notAfter = new Date(cert.validTo);
    if (notAfter.getTime() <= now.getTime()) {
      throw new DirectoryError('INVALID_INPUT', `The certificate expired on ${notAfter.toISOString()}; Entra refuses expired certificates. Make a new one (mcp-lab app cert add ${appId} --create).`);
    }
    const der = cert.raw;
    const sha1 = createHash('sha1').update(der).digest('base64url');
    const sha256 = createHash('sha256').update(der).digest('base64url');
    if (this.certificateByThumbprint(appId, { x5tS256: sha256 })) {
      throw new DirectoryError('CREDENTIAL_EXISTS', `The app already has this certificate (thumbprint ${Buffer.from(sha1, 'base64url').toString('hex').toUpperCase()}).`);
    }
    const subject = /CN=([^\n,]+)/.exec(cert.subject)?.[1] ?? cert.subject;
    const keyId = randomUUID();
    this.#sql(`INSERT INTO key_credentials (${KEY_COLUMNS}, certificate) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(
      keyId,
      appId,
      input.displayName?.trim() || `CN=${subject}`,
      sha1,
      sha256,
      new Date(cert.validFrom).toISOString(),
      notAfter.toISOString(),
      der,
    );
    return this.certificates(appId).find((c) => c.keyId === keyId)!;
  }

  certificates(appId: string): KeyCredential[] {
    return this.#sql(`SELECT ${KEY_COLUMNS} FROM key_credentials WHERE app_id = ? ORDER BY start_date_time, rowid`).all(appId).map(keyFromRow);
  }

  /** The certificate a client assertion names, with its DER to verify the signature. */
  certificateByThumbprint(appId: string, thumbprint: Thumbprint): { credential: KeyCredential; der: Uint8Array } | undefined {
    const row =
      'x5t' in thumbprint
        ? this.#sql(`SELECT ${KEY_COLUMNS}, certificate FROM key_credentials WHERE app_id = ? AND thumbprint_sha1 = ?`).get(appId, thumbprint.x5t)
        : this.#sql(`SELECT ${KEY_COLUMNS}, certificate FROM key_credentials WHERE app_id = ? AND thumbprint_sha256 = ?`).get(appId, thumbprint.x5tS256);
    return row ? { credential: keyFromRow(row), der: blob(row, 'certificate') } : undefined;
  }

  /** The certificate (public part only) as base64 DER: Graph's `key` of a keyCredential, and what a manifest upload carries. */
  certificateKey(appId: string, keyId: string): string | undefined {
    const row = this.#sql('SELECT certificate FROM key_credentials WHERE app_id = ? AND key_id = ?').get(appId, keyId);
    return row ? Buffer.from(blob(row, 'certificate')).toString('base64') : undefined;
  }

  /** The app's certificates with their public certificate (base64 DER) in `key`: what a manifest export lists. */
  certificatesWithKeys(appId: string): (KeyCredential & { key: string | undefined })[] {
    return this.certificates(appId).map((c) => ({ ...c, key: this.certificateKey(appId, c.keyId) }));
  }

  deleteCertificate(appId: string, keyId: string): boolean {
    return Number(this.#sql('DELETE FROM key_credentials WHERE app_id = ? AND key_id = ?').run(appId, keyId).changes) > 0;
  }

  // ── Federated identity credentials ───────────────────────────────────

  addFederated(appId: string, input: Omit<FederatedIdentityCredential, 'id' | 'appId'>): FederatedIdentityCredential {
    const credential: FederatedIdentityCredential = {
      id: randomUUID(),
      appId,
      name: nonEmpty(input.name, 'name'),
      issuer: nonEmpty(input.issuer, 'issuer'),
      subject: nonEmpty(input.subject, 'subject'),
      audiences: [...input.audiences],
      description: input.description,
    };
    const clash = this.federated(appId).find((f) => f.name === credential.name || (f.issuer === credential.issuer && f.subject === credential.subject));
    if (clash) {
      throw new DirectoryError('CREDENTIAL_EXISTS', `The app already has a federated credential "${clash.name}" (same name, or the same issuer and subject).`);
    }
    this.#sql(`INSERT INTO federated_credentials (${FEDERATED_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
      credential.id,
      appId,
      credential.name,
      credential.issuer,
      credential.subject,
      JSON.stringify(credential.audiences),
      credential.description,
    );
    return credential;
  }

  federated(appId: string): FederatedIdentityCredential[] {
    return this.#sql(`SELECT ${FEDERATED_COLUMNS} FROM federated_credentials WHERE app_id = ? ORDER BY rowid`).all(appId).map(federatedFromRow);
  }

  deleteFederated(appId: string, id: string): boolean {
    return Number(this.#sql('DELETE FROM federated_credentials WHERE app_id = ? AND id = ?').run(appId, id).changes) > 0;
  }

  /** Whether the app can authenticate as a confidential client without a secret. */
  hasAny(appId: string): boolean {
    return this.#core.memo(
      `has-credentials\0${appId}`,
      () => this.#sql('SELECT 1 FROM key_credentials WHERE app_id = ?1 UNION ALL SELECT 1 FROM federated_credentials WHERE app_id = ?1 LIMIT 1').get(appId) !== undefined,
    );
  }
}
