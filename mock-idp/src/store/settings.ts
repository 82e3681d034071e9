import type { DatabaseSync } from 'node:sqlite';
import { transaction } from './transaction.ts';

/**
 * The `settings` table: small named values such as persisted key material.
 * Raw functions on the connection, because the client-secret pepper must be
 * read before a `Directory` (which needs it) can exist.
 */

function readSetting(db: DatabaseSync, name: string): string | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE name = ?').get(name);
  return typeof row?.value === 'string' ? row.value : undefined;
}

/**
 * Stores `value` unless the setting already exists, and returns what is stored.
 * Two processes starting at once on a fresh file thus agree on one value.
 */
export function settingOrInsert(db: DatabaseSync, name: string, value: string): string {
  return transaction(db, () => {
    db.prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(name, value);
    return readSetting(db, name) ?? value;
  });
}
