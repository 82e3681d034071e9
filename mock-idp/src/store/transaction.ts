import type { DatabaseSync } from 'node:sqlite';

// Open transactions per connection, so that a transaction started inside
// another (seeding calls createApp, which has its own) nests as a savepoint.
const depths = new WeakMap<DatabaseSync, number>();

/**
 * Runs `fn` in one transaction: all of its writes land, or none do.
 *
 * The outermost level is `BEGIN IMMEDIATE`, which takes the write lock up
 * front: with two processes on one file (the IdP and `mcp-lab` commands) a
 * deferred transaction could fail half-way when upgrading to a write, while an
 * immediate one simply waits out `busy_timeout`.
 */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  const depth = depths.get(db) ?? 0;
  const savepoint = `nested_${depth}`;
  db.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`);
  depths.set(db, depth + 1);
  try {
    const result = fn();
    if (isThenable(result)) {
      throw new TypeError('transaction() callbacks must be synchronous: node:sqlite cannot keep a transaction open across an await.');
    }
    db.exec(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`);
    return result;
  } catch (error) {
    rollback(db, depth, savepoint);
    throw error;
  } finally {
    depths.set(db, depth);
  }
}

function rollback(db: DatabaseSync, depth: number, savepoint: string): void {
  try {
    db.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
  } catch {
    // SQLite already rolled back on its own (some errors do); nothing left to undo.
  }
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
