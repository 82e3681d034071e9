import type { SQLOutputValue } from 'node:sqlite';

/**
 * Typed reads from a result row. A column of the wrong type means the schema
 * and the code disagree, so it fails loudly instead of leaking `null` into a
 * token claim.
 */

export type Row = Record<string, SQLOutputValue>;

function wrongType(column: string, expected: string, value: unknown): Error {
  return new TypeError(`Column ${column} holds ${value === null ? 'NULL' : typeof value}, expected ${expected}.`);
}

export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw wrongType(column, 'text', value);
  return value;
}

export function int(row: Row, column: string): number {
  const value = row[column];
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw wrongType(column, 'integer', value);
}

export function intOrNull(row: Row, column: string): number | null {
  const value = row[column];
  return value === null || value === undefined ? null : int(row, column);
}

export function bool(row: Row, column: string): boolean {
  return int(row, column) !== 0;
}

export function blob(row: Row, column: string): Uint8Array {
  const value = row[column];
  if (!(value instanceof Uint8Array)) throw wrongType(column, 'blob', value);
  return value;
}

/** A JSON column; the schema's `json_valid` checks keep it parseable. */
export function json<T>(row: Row, column: string): T {
  return JSON.parse(text(row, column)) as T;
}
