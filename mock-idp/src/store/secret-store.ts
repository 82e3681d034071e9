import { randomUUID } from 'node:crypto';
import type { SecretCredential } from '../directory/types.ts';
import type { AppStore } from './app-store.ts';
import { generateSecretText, hashSecret, sameHash, secretHint } from './client-secrets.ts';
import { blob, text, type Row } from './rows.ts';
import type { StoreCore } from './store-core.ts';
import { isoDate, nonEmpty } from './validate.ts';

export type SecretCheck = { result: 'valid'; keyId: string } | { result: 'expired'; keyId: string } | { result: 'invalid' };

const DAY_MS = 24 * 60 * 60 * 1000;
/** Entra's recommended (and the portal's default) client secret lifetime. */
const DEFAULT_SECRET_LIFETIME_DAYS = 180;

const SECRET_COLUMNS = 'key_id, app_id, display_name, hint, start_date_time, end_date_time';

function secretFromRow(row: Row): SecretCredential {
  return {
    keyId: text(row, 'key_id'),
    appId: text(row, 'app_id'),
    displayName: text(row, 'display_name'),
    hint: text(row, 'hint'),
    startDateTime: text(row, 'start_date_time'),
    endDateTime: text(row, 'end_date_time'),
  };
}

interface StoredHash {
  keyId: string;
  endDateTime: string;
  hmac: Uint8Array;
}

/**
 * Client secrets (only their keyed hashes are stored) and the seeded apps'
 * dev secrets. Every confidential token request reads the app's secrets
 * (oidc-provider's client lookup asks whether it has any; the secret check
 * compares against each), so both reads are cached.
 */
export class SecretStore {
  readonly #core: StoreCore;
  readonly #apps: AppStore;
  readonly #pepper: Buffer;

  constructor(core: StoreCore, apps: AppStore, pepper: Buffer) {
    this.#core = core;
    this.#apps = apps;
    this.#pepper = pepper;
  }

  /** Creates a secret; its value is returned once and never stored. */
  add(appId: string, options: { displayName: string; endDateTime?: string }): { credential: SecretCredential; secretText: string } {
    return this.#core.transaction(() => {
      const app = this.#apps.require(appId);
      const start = new Date();
      const secretText = generateSecretText();
      const credential: SecretCredential = {
        keyId: randomUUID(),
        appId: app.appId,
        displayName: typeof options.displayName === 'string' ? options.displayName.trim() : '',
        hint: secretHint(secretText),
        startDateTime: start.toISOString(),
        endDateTime:
          options.endDateTime === undefined
            ? new Date(start.getTime() + DEFAULT_SECRET_LIFETIME_DAYS * DAY_MS).toISOString()
            : isoDate(options.endDateTime, 'endDateTime'),
      };
      this.#core
        .sql(`INSERT INTO app_secrets (${SECRET_COLUMNS}, secret_hmac) VALUES (?, ?, ?, ?, ?, ?, ?)`)
        .run(credential.keyId, credential.appId, credential.displayName, credential.hint, credential.startDateTime, credential.endDateTime, hashSecret(this.#pepper, secretText));
      return { credential, secretText };
    });
  }

  /** The app's secrets (without values), oldest first. A fresh list each call; its entries are shared. */
  list(appId: string): SecretCredential[] {
    return [
      ...this.#core.memo(`secrets\0${appId}`, () =>
        this.#core.sql(`SELECT ${SECRET_COLUMNS} FROM app_secrets WHERE app_id = ? ORDER BY start_date_time, rowid`).all(appId).map(secretFromRow),
      ),
    ];
  }

  /** Deletes a secret; when it was the seeded dev secret, /_lab/info stops showing that (now useless) value too. */
  delete(appId: string, keyId: string): boolean {
    return this.#core.transaction(() => {
      const dev = this.devSecret(appId);
      const check = dev === undefined ? undefined : this.verify(appId, dev);
      if (check && check.result !== 'invalid' && check.keyId.toLowerCase() === keyId.toLowerCase()) {
        this.#core.sql('DELETE FROM dev_secrets WHERE app_id = ?').run(appId);
      }
      return Number(this.#core.sql('DELETE FROM app_secrets WHERE app_id = ? AND key_id = ?').run(appId, keyId).changes) > 0;
    });
  }

  /** Removes every secret of an app (the app is being deleted). */
  deleteForApp(appId: string): void {
    this.#core.sql('DELETE FROM app_secrets WHERE app_id = ?').run(appId);
    this.#core.sql('DELETE FROM dev_secrets WHERE app_id = ?').run(appId);
  }

  /**
   * Checks a presented secret against every secret of the app (no early exit,
   * constant-time comparisons). `expired` lets the caller answer as Entra
   * does (AADSTS7000222) instead of a generic "invalid secret".
   */
  verify(appId: string, secretText: string, now: Date = new Date()): SecretCheck {
    if (typeof secretText !== 'string' || secretText === '') return { result: 'invalid' };
    const presented = hashSecret(this.#pepper, secretText);
    const stored = this.#core.memo<StoredHash[]>(`secret-hashes\0${appId}`, () =>
      this.#core
        .sql('SELECT key_id, end_date_time, secret_hmac FROM app_secrets WHERE app_id = ?')
        .all(appId)
        .map((row) => ({ keyId: text(row, 'key_id'), endDateTime: text(row, 'end_date_time'), hmac: blob(row, 'secret_hmac') })),
    );
    let match: StoredHash | undefined;
    for (const candidate of stored) {
      if (sameHash(presented, candidate.hmac)) match = candidate;
    }
    if (!match) return { result: 'invalid' };
    return now.getTime() >= Date.parse(match.endDateTime) ? { result: 'expired', keyId: match.keyId } : { result: 'valid', keyId: match.keyId };
  }

  // ── Dev secrets (seeded confidential apps only; valid only in this mock) ──

  setDevSecret(appId: string, secretText: string): void {
    const app = this.#apps.require(appId);
    this.#core
      .sql('INSERT INTO dev_secrets (app_id, secret_text) VALUES (?, ?) ON CONFLICT (app_id) DO UPDATE SET secret_text = excluded.secret_text')
      .run(app.appId, nonEmpty(secretText, 'secretText'));
  }

  devSecret(appId: string): string | undefined {
    const row = this.#core.sql('SELECT secret_text FROM dev_secrets WHERE app_id = ?').get(appId);
    return row ? text(row, 'secret_text') : undefined;
  }
}
