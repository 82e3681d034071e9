import fs from 'node:fs';
import path from 'node:path';
import type { TraceEvent } from '@mcp-lab/mock-idp';
import { issuedFingerprints, leaksIn, type Leak } from './token-scan.ts';

/** Something of the token cache's found in a server's own home or temp folder. */
export interface StrayCopy {
  /** Where, as the server would name it: `~/…` in its HOME (its temp folder is `~/tmp`). */
  where: string;
  /** A token kind (`refresh token`), or `a copy of <file>` for the content of a file in the cache folder. */
  what: Leak['kind'] | `a copy of ${string}`;
}

// Shorter files (an empty JSON object, a newline) would match by accident; a key or an encrypted cache is longer.
const MIN_COPY_BYTES = 16;
const MAX_FILE_BYTES = 2 * 1024 * 1024;

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isSymbolicLink()) return [];
    return e.isDirectory() ? filesUnder(full) : e.isFile() ? [full] : [];
  });
}

function readSmall(file: string): Buffer | undefined {
  const size = fs.statSync(file).size;
  return size <= MAX_FILE_BYTES ? fs.readFileSync(file) : undefined;
}

/**
 * Looks through a server's home (its temp folder is inside it) for what must
 * stay in the token cache folder: any token the IdP issued (by fingerprint,
 * as the token scan does) and the content of any file of `cacheDirs` — the
 * encrypted cache or its key written, or left behind, somewhere else.
 */
export function scanHome(events: readonly TraceEvent[], home: string, cacheDirs: readonly string[]): StrayCopy[] {
  const issued = issuedFingerprints(events);
  const originals = cacheDirs.flatMap((dir) =>
    filesUnder(dir).flatMap((file) => {
      const bytes = readSmall(file);
      return bytes && bytes.length >= MIN_COPY_BYTES ? [{ name: path.relative(dir, file), bytes }] : [];
    }),
  );
  const inCache = (file: string) => cacheDirs.some((dir) => !path.relative(dir, file).startsWith('..') && !path.isAbsolute(path.relative(dir, file)));
  const found: StrayCopy[] = [];
  for (const file of filesUnder(home)) {
    // A cache folder the check put inside the home is where the cache belongs, not a copy.
    if (inCache(file)) continue;
    const bytes = readSmall(file);
    if (!bytes) continue;
    const where = `~/${path.relative(home, file).split(path.sep).join('/')}`;
    if (issued.size) for (const leak of leaksIn(bytes.toString('latin1'), where, issued)) found.push({ where, what: leak.kind });
    for (const original of originals) if (bytes.includes(original.bytes)) found.push({ where, what: `a copy of ${original.name}` });
  }
  return found;
}
