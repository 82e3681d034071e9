import { CsvError, parseCsv } from './csv.ts';

/** A roster row (docs/design.md §3): `username` matches the learner's folder name; the rest is optional. */
export interface RosterEntry {
  username: string;
  name: string;
  email: string;
  section: string;
  /** The roster line the entry came from, for messages. */
  line: number;
}

export class RosterError extends Error {
  override name = 'RosterError';
}

const KNOWN = ['username', 'name', 'email', 'section'] as const;

/**
 * Parses a roster CSV. Column names are matched without regard to case or
 * surrounding spaces; other columns are ignored; blank lines are skipped.
 * Every problem is an error naming its line: a gradebook built on a
 * half-read roster would silently drop learners.
 */
export function parseRoster(text: string): RosterEntry[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvError) throw new RosterError(`the roster is not valid CSV: ${error.message}`);
    throw error;
  }
  const nonBlank = records.filter((r) => r.fields.some((f) => f.trim() !== ''));
  const header = nonBlank[0];
  if (!header) throw new RosterError('the roster is empty: it needs a header line with a "username" column');

  const names = header.fields.map((f) => f.trim().toLowerCase());
  const column: Partial<Record<(typeof KNOWN)[number], number>> = {};
  for (const known of KNOWN) {
    const at = names.flatMap((n, i) => (n === known ? [i] : []));
    if (at.length > 1) throw new RosterError(`the roster has ${at.length} "${known}" columns; keep one`);
    if (at.length === 1) column[known] = at[0];
  }
  const usernameAt = column.username;
  if (usernameAt === undefined) {
    const has = header.fields.map((f) => JSON.stringify(f.trim())).join(', ');
    throw new RosterError(
      `the roster has no "username" column (its columns are: ${has}); add one holding each learner's folder name`,
    );
  }

  const entries: RosterEntry[] = [];
  const seen = new Map<string, number>();
  for (const record of nonBlank.slice(1)) {
    const get = (at: number | undefined) => (at === undefined ? '' : (record.fields[at] ?? '').trim());
    const username = get(usernameAt);
    if (username === '') throw new RosterError(`roster line ${record.line}: the username is empty`);
    const earlier = seen.get(username);
    if (earlier !== undefined)
      throw new RosterError(`roster line ${record.line}: username "${username}" is also on line ${earlier}`);
    seen.set(username, record.line);
    entries.push({ username, name: get(column.name), email: get(column.email), section: get(column.section), line: record.line });
  }
  return entries;
}
