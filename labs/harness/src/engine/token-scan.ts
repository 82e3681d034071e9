import fs from 'node:fs';
import path from 'node:path';
import { fingerprint, type TraceEvent } from '@mcp-lab/mock-idp';

/** A token, code or refresh token the IdP issued, found where it must not be. */
export interface Leak {
  /** What it is, from the trace event that issued it. */
  kind: 'access token' | 'refresh token' | 'ID token' | 'authorization code' | 'device code';
  /** Where: `output` (the server's stdout/stderr) or a file path relative to the scanned folder. */
  where: string;
  fingerprint: string;
}

const KINDS: [keyof NonNullable<TraceEvent['fingerprints']>, Leak['kind']][] = [
  ['accessToken', 'access token'],
  ['refreshToken', 'refresh token'],
  ['idToken', 'ID token'],
  ['code', 'authorization code'],
  ['deviceCode', 'device code'],
];

// Every token the IdP issues is base64url (JWTs: three such runs joined by dots).
const CANDIDATE = /[A-Za-z0-9_-]{20,}(?:\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})?/g;
const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** The fingerprints of what the IdP issued in these events, by kind. */
export function issuedFingerprints(events: readonly TraceEvent[]): Map<string, Leak['kind']> {
  const issued = new Map<string, Leak['kind']>();
  for (const event of events) {
    for (const [key, kind] of KINDS) {
      const value = event.fingerprints?.[key];
      if (value) issued.set(value, kind);
    }
  }
  return issued;
}

/** Token-shaped runs in a text whose fingerprint is one of `issued`. */
export function leaksIn(text: string, where: string, issued: Map<string, Leak['kind']>): Leak[] {
  const found = new Map<string, Leak>();
  for (const match of text.matchAll(CANDIDATE)) {
    const fp = fingerprint(match[0]);
    const kind = issued.get(fp);
    if (kind && !found.has(fp)) found.set(fp, { kind, where, fingerprint: fp });
  }
  return [...found.values()];
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isSymbolicLink()) return [];
    return e.isDirectory() ? filesUnder(full) : [full];
  });
}

/**
 * Scans a server's output and folders (its token cache, say) for any token
 * the IdP issued: the trace holds only fingerprints, so each token-shaped
 * run found is fingerprinted and looked up. An encrypted cache yields nothing.
 */
export function scanForLeaks(events: readonly TraceEvent[], output: string, dirs: readonly string[]): Leak[] {
  const issued = issuedFingerprints(events);
  if (issued.size === 0) return [];
  const leaks = leaksIn(output, 'output', issued);
  for (const dir of dirs) {
    for (const file of filesUnder(dir)) {
      const stat = fs.statSync(file);
      if (stat.size > MAX_FILE_BYTES) continue;
      leaks.push(...leaksIn(fs.readFileSync(file).toString('latin1'), path.relative(dir, file) || path.basename(file), issued));
    }
  }
  return leaks;
}
