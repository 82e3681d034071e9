import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Adapter, AdapterConstructor, AdapterPayload } from 'oidc-provider';
import { DirectoryError } from './errors.ts';
import { intOrNull, text, type Row } from './rows.ts';
import { transaction } from './transaction.ts';

/**
 * oidc-provider's storage (sessions, interactions, codes, refresh tokens,
 * grants, device codes…) in the `oidc_models` table, so a restart of the IdP
 * does not sign everybody out or break their refresh tokens.
 *
 * Behaviour follows oidc-provider's reference memory adapter, with two
 * differences that make it Entra-like (see `Client` and `RefreshToken` below).
 */

export interface AdapterOptions {
  /** Client metadata built from the app registration; clients live in the Directory. */
  findClient: (id: string) => Record<string, unknown> | undefined;
  /** Entra semantics (true) or strict OAuth 2.1 reuse detection (false), per client; read on every use. */
  rotatedRefreshTokensStayValid: (clientId: string | undefined) => boolean;
  /**
   * Keeps one provider's rows apart from another's when several providers
   * (one per tenant) share the database. Default: one shared partition.
   */
  partition?: string;
  /** Epoch milliseconds; replaceable for tests. */
  now?: () => number;
}

/** How long an expired device code is still found, so that polling it gets `expired_token`. */
const EXPIRED_DEVICE_CODE_GRACE_MS = 30 * 60 * 1000;

/** Expired rows are deleted during writes, at most this often: no timer keeps the process alive. */
const PURGE_INTERVAL_MS = 60_000;

function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function optionalText(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The SQL shared by every model's adapter on one factory. */
class ModelStore {
  readonly #db: DatabaseSync;
  readonly #partition: string;
  readonly #now: () => number;
  readonly #statements = new Map<string, StatementSync>();
  #lastPurge = 0;

  constructor(db: DatabaseSync, partition: string, now: () => number) {
    this.#db = db;
    this.#partition = partition;
    this.#now = now;
  }

  #sql(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  upsert(model: string, id: string, payload: AdapterPayload, expiresIn: number | undefined): void {
    const now = this.#now();
    const expiresAt = typeof expiresIn === 'number' && Number.isFinite(expiresIn) ? now + expiresIn * 1000 : null;
    // oidc-provider stores `consumed` as epoch seconds; keep it in its column.
    const consumed = typeof payload.consumed === 'number' ? payload.consumed : payload.consumed ? Math.floor(now / 1000) : null;
    transaction(this.#db, () => {
      this.#purgeExpired(now);
      this.#sql(
        `INSERT INTO oidc_models (partition, model, id, payload, grant_id, user_code, uid, expires_at, consumed)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (partition, model, id) DO UPDATE SET
           payload = excluded.payload, grant_id = excluded.grant_id, user_code = excluded.user_code,
           uid = excluded.uid, expires_at = excluded.expires_at, consumed = excluded.consumed`,
      ).run(
        this.#partition,
        model,
        id,
        JSON.stringify(payload),
        optionalText(payload.grantId),
        optionalText(payload.userCode),
        optionalText(payload.uid),
        expiresAt,
        consumed,
      );
    });
  }

  #purgeExpired(now: number): void {
    if (now - this.#lastPurge < PURGE_INTERVAL_MS) return;
    this.#lastPurge = now;
    this.#sql("DELETE FROM oidc_models WHERE expires_at <= ? AND (model <> 'DeviceCode' OR expires_at <= ?)").run(now, now - EXPIRED_DEVICE_CODE_GRACE_MS);
  }

  #fromRow(row: Row | undefined): AdapterPayload | undefined {
    if (!row) return undefined;
    const payload = JSON.parse(text(row, 'payload')) as AdapterPayload;
    const consumed = intOrNull(row, 'consumed');
    if (consumed !== null) payload.consumed = consumed;
    return payload;
  }

  find(model: string, id: string): AdapterPayload | undefined {
    // A device polling with an expired code must hear "expired" (Entra: AADSTS70019),
    // not "unknown": oidc-provider tells the two apart only if it still sees the row.
    const grace = model === 'DeviceCode' ? EXPIRED_DEVICE_CODE_GRACE_MS : 0;
    return this.#fromRow(
      this.#sql(
        'SELECT payload, consumed FROM oidc_models WHERE partition = ? AND model = ? AND id = ? AND (expires_at IS NULL OR expires_at > ?)',
      ).get(this.#partition, model, id, this.#now() - grace),
    );
  }

  findBy(model: string, column: 'uid' | 'user_code', value: string): AdapterPayload | undefined {
    return this.#fromRow(
      this.#sql(
        `SELECT payload, consumed FROM oidc_models
         WHERE partition = ? AND model = ? AND ${column} = ? AND (expires_at IS NULL OR expires_at > ?)
         ORDER BY rowid DESC LIMIT 1`,
      ).get(this.#partition, model, value, this.#now()),
    );
  }

  markConsumed(model: string, id: string): void {
    this.#sql('UPDATE oidc_models SET consumed = ? WHERE partition = ? AND model = ? AND id = ?').run(Math.floor(this.#now() / 1000), this.#partition, model, id);
  }

  markRotated(model: string, id: string): void {
    this.#sql('UPDATE oidc_models SET rotated_at = ? WHERE partition = ? AND model = ? AND id = ?').run(this.#now(), this.#partition, model, id);
  }

  destroy(model: string, id: string): void {
    this.#sql('DELETE FROM oidc_models WHERE partition = ? AND model = ? AND id = ?').run(this.#partition, model, id);
  }

  revokeByGrantId(grantId: string): void {
    this.#sql('DELETE FROM oidc_models WHERE partition = ? AND grant_id = ?').run(this.#partition, grantId);
  }
}

/**
 * A class for oidc-provider's `adapter` option (`adapter: Adapter`, or
 * `adapter: (name) => new Adapter(name)`).
 */
export function createAdapterFactory(db: DatabaseSync, options: AdapterOptions): AdapterConstructor {
  const store = new ModelStore(db, options.partition ?? '', options.now ?? (() => Date.now()));

  return class SqliteAdapter implements Adapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    // Clients are app registrations: the Directory owns them and oidc-provider
    // only reads them. A write would mean dynamic registration or a static
    // `clients` list was switched on by mistake.
    #refuseClientWrite(operation: string): void {
      if (this.model === 'Client') {
        throw new DirectoryError(
          'CLIENT_READ_ONLY',
          `oidc-provider tried to ${operation} a client; clients are app registrations managed through the Directory (portal, admin API, CLI). ` +
            'Keep dynamic client registration and static `clients` off in the provider configuration.',
        );
      }
    }

    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      return settle(() => {
        this.#refuseClientWrite('store');
        store.upsert(this.model, id, payload, expiresIn);
      });
    }

    find(id: string): Promise<AdapterPayload | undefined> {
      return settle(() => (this.model === 'Client' ? options.findClient(id) : store.find(this.model, id)));
    }

    findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return settle(() => store.findBy(this.model, 'user_code', userCode));
    }

    findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return settle(() => store.findBy(this.model, 'uid', uid));
    }

    /**
     * Marks a one-time artefact (code, device code, refresh token) as used.
     *
     * Refresh tokens are the exception. oidc-provider consumes the old refresh
     * token when it rotates it, and a consumed one that comes back counts as
     * reuse: the whole grant is revoked (OAuth 2.1 / RFC 9700 reuse
     * detection). Entra does not do that: a refresh token used to get a new
     * one stays valid until it expires or the session is revoked, and clients
     * such as MSAL rely on it (two requests racing with the same cached token
     * must both succeed). So with `rotatedRefreshTokensStayValid()` the
     * rotation is only recorded (rotated_at) and the token keeps working;
     * when the strict OAuth 2.1 fault turns it off, the token is consumed as
     * usual and oidc-provider's reuse detection applies.
     */
    consume(id: string): Promise<void> {
      return settle(() => {
        this.#refuseClientWrite('consume');
        const clientId = this.model === 'RefreshToken' ? store.find(this.model, id)?.clientId : undefined;
        if (this.model === 'RefreshToken' && options.rotatedRefreshTokensStayValid(typeof clientId === 'string' ? clientId : undefined)) {
          store.markRotated(this.model, id);
        } else {
          store.markConsumed(this.model, id);
        }
      });
    }

    destroy(id: string): Promise<void> {
      return settle(() => {
        this.#refuseClientWrite('delete');
        store.destroy(this.model, id);
      });
    }

    /** Deletes everything issued under a grant, whatever the model (as the memory adapter does). */
    revokeByGrantId(grantId: string): Promise<void> {
      return settle(() => store.revokeByGrantId(grantId));
    }
  };
}
