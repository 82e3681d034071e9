import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { transaction } from './transaction.ts';

export interface StoreCoreOptions {
  /** How often to look for other connections' commits (default 100 ms). */
  externalWritesCheckMs?: number;
}

// One core per connection, so that every store on it (the directory's and
// the app credentials') shares one cache and one rule for emptying it.
const cores = new WeakMap<DatabaseSync, StoreCore>();

/**
 * What the directory's stores share on one SQLite connection: prepared
 * statements, transactions, and a cache of what the token endpoint reads on
 * every request (app rows, tenants, settings, secrets' hashes, role
 * assignments, …).
 *
 * The cache never shows an edit late. Any statement that is not a read,
 * through any store on this connection, empties it before it runs (so a
 * portal, admin API or CLI edit shows in the very next token); so does a
 * rolled-back transaction (what was read inside it may never have been
 * committed), and so does a commit by another connection (SQLite's
 * `data_version`, looked at no more than every `externalWritesCheckMs`: the
 * look costs as much as a lookup).
 */
export class StoreCore {
  readonly db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  readonly #memo = new Map<string, unknown>();
  readonly #dataVersionIntervalMs: number;
  #dataVersion = -1;
  #dataVersionCheckedAt = -Infinity;

  private constructor(db: DatabaseSync, options: StoreCoreOptions) {
    this.db = db;
    this.#dataVersionIntervalMs = options.externalWritesCheckMs ?? 100;
  }

  /** The connection's core; `options` apply when it is made (the first store on a connection). */
  static of(db: DatabaseSync, options: StoreCoreOptions = {}): StoreCore {
    let core = cores.get(db);
    if (!core) {
      core = new StoreCore(db, options);
      cores.set(db, core);
    }
    return core;
  }

  /** Runs `fn` in one transaction (nested calls become savepoints). `fn` must be synchronous. */
  transaction<T>(fn: () => T): T {
    try {
      return transaction(this.db, fn);
    } catch (error) {
      this.forget();
      throw error;
    }
  }

  /** The statement for this SQL text, prepared once. A statement that is not a read empties the cache before it runs. */
  sql(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    if (!/^\s*(SELECT|PRAGMA)\b/i.test(sql)) this.forget();
    return statement;
  }

  /**
   * `load()`'s value, kept under `key` until the next write. The value is
   * shared by every caller: treat it as read-only. `undefined` is not kept
   * (use null for "none").
   */
  memo<T>(key: string, load: () => T): T {
    this.#checkDataVersion();
    if (this.#memo.has(key)) return this.#memo.get(key) as T;
    const value = load();
    if (value !== undefined) this.#memo.set(key, value);
    return value;
  }

  forget(): void {
    this.#memo.clear();
  }

  #checkDataVersion(): void {
    const now = performance.now();
    if (now - this.#dataVersionCheckedAt < this.#dataVersionIntervalMs) return;
    this.#dataVersionCheckedAt = now;
    const row = this.sql('PRAGMA data_version').get();
    const version = Number(row?.data_version ?? -1);
    if (version !== this.#dataVersion) {
      this.forget();
      this.#dataVersion = version;
    }
  }
}
