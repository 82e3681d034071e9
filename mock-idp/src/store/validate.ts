import { DirectoryError } from './errors.ts';

/** Input checks shared by the directory's write methods; each names the field and the fix. */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A GUID in Entra's canonical (lower-case) form. */
export function guid(value: unknown, field: string): string {
  if (typeof value !== 'string' || !GUID.test(value)) {
    throw new DirectoryError('INVALID_INPUT', `${field} must be a GUID such as 1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b; got ${JSON.stringify(value)}.`);
  }
  return value.toLowerCase();
}

export function nonEmpty(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new DirectoryError('INVALID_INPUT', `${field} must be a non-empty string.`);
  }
  return value.trim();
}

/** An ISO 8601 timestamp, normalised to `toISOString()` form. */
export function isoDate(value: unknown, field: string): string {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new DirectoryError('INVALID_INPUT', `${field} must be an ISO 8601 date such as 2027-01-31T00:00:00Z; got ${JSON.stringify(value)}.`);
  }
  return date.toISOString();
}

export function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new DirectoryError('INVALID_INPUT', `${field} must be a list of strings.`);
  }
  return [...(value as string[])];
}

/** Sorted, de-duplicated union. */
export function sortedUnion(...lists: readonly string[][]): string[] {
  return [...new Set(lists.flat())].sort();
}
