import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { sqlite } from './sqlite.ts';
import { migrate } from './migrations.ts';
import { IdpStateError, RESET_HINT } from './errors.ts';

/** How long a statement waits for another process's write lock before failing. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) the IdP's state database and brings its schema
 * up to date. `':memory:'` gives a throw-away database.
 */
export function openDatabase(file: string): DatabaseSync {
  const inMemory = file === ':memory:';
  if (!inMemory) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    } catch (error) {
      throw unreadable(file, error, 'could not create its folder');
    }
  }

  let db: DatabaseSync | undefined;
  try {
    db = new sqlite.DatabaseSync(file);
    // busy_timeout first: switching to WAL itself needs the lock.
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.exec('PRAGMA foreign_keys = ON');
    // WAL: readers never block the writer, so the portal, the protocol and
    // `mcp-lab` commands can share the file. NORMAL sync is safe under WAL
    // (a power cut may lose the last commit, never corrupt the file).
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
  } catch (error) {
    db?.close();
    throw unreadable(file, error, 'it is not a readable SQLite database');
  }

  try {
    migrate(db, file);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function unreadable(file: string, error: unknown, what: string): IdpStateError {
  const detail = error instanceof Error ? error.message : String(error);
  return new IdpStateError(
    'IDP_STATE_UNREADABLE',
    file,
    `Could not open the mock IdP's state in ${file}: ${what} (${detail}). ` +
      `Check that the folder is writable and no other program holds the file, or ${RESET_HINT}.`,
    error,
  );
}
