import { randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Directory } from './directory.ts';
import { IdpStateError, RESET_HINT } from './errors.ts';
import { settingOrInsert } from './settings.ts';
import { withCertificate } from './signing-certificate.ts';

/**
 * Key material generated on first start and kept in the state database, so
 * that tokens, sessions and stored secret hashes stay valid across restarts.
 * Each value is written only if absent and then read back: two processes
 * starting on a fresh file end up with the same keys.
 */

const PEPPER = 'keys.client-secret-pepper';
export const SIGNING_KEYS = 'keys.signing';
const COOKIE_KEYS = 'keys.cookies';

function corrupt(name: string, what: string): IdpStateError {
  return new IdpStateError('IDP_STATE_CORRUPT', undefined, `The mock IdP's stored ${what} (setting ${name}) is unreadable; ${RESET_HINT}.`);
}

/** The key for client-secret hashes: 32 random bytes. Needed before a Directory can be built. */
export function loadOrCreatePepper(db: DatabaseSync): Buffer {
  const stored = settingOrInsert(db, PEPPER, randomBytes(32).toString('base64url'));
  const pepper = Buffer.from(stored, 'base64url');
  if (pepper.length !== 32) throw corrupt(PEPPER, 'client-secret key');
  return pepper;
}

/** Stores `fresh` unless a value exists, atomically, and returns what is stored. */
function storeIfAbsent(directory: Directory, name: string, fresh: () => string): string {
  return directory.transaction(() => {
    const existing = directory.getSetting(name);
    if (existing !== undefined) return existing;
    const value = fresh();
    directory.setSetting(name, value);
    return value;
  });
}

export function parseSigningKeys(value: string): JWK[] {
  let keys: unknown;
  try {
    keys = JSON.parse(value);
  } catch {
    throw corrupt(SIGNING_KEYS, 'token signing key');
  }
  const valid =
    Array.isArray(keys) &&
    keys.length > 0 &&
    keys.every((k: Partial<JWK> | null) => typeof k === 'object' && k !== null && k.kty === 'RSA' && typeof k.kid === 'string' && typeof k.d === 'string');
  if (!valid) throw corrupt(SIGNING_KEYS, 'token signing key');
  return keys as JWK[];
}

export async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  // kid = RFC 7638 thumbprint: derived from the public key, so it is stable
  // and anyone holding the JWKS can recompute it.
  return withCertificate({ ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' });
}

/** The private JWKs tokens are signed with (one RSA 2048 key), created on first call. */
export async function ensureSigningKeys(directory: Directory): Promise<JWK[]> {
  const stored = directory.getSetting(SIGNING_KEYS);
  if (stored !== undefined) {
    // Keys made before the JWKS carried certificates get theirs now (same key, same kid).
    const keys = parseSigningKeys(stored);
    if (keys.every((k) => Array.isArray(k.x5c))) return keys;
    const upgraded = await Promise.all(keys.map(withCertificate));
    directory.setSetting(SIGNING_KEYS, JSON.stringify(upgraded));
    return upgraded;
  }
  // Generated outside the transaction (it is async); if another process won
  // the race meanwhile, its key is kept and this one discarded.
  const fresh = JSON.stringify([await newSigningKey()]);
  return parseSigningKeys(storeIfAbsent(directory, SIGNING_KEYS, () => fresh));
}

/** Keys for oidc-provider's signed cookies: two random 32-byte base64url strings. */
export function ensureCookieKeys(directory: Directory): string[] {
  const stored = storeIfAbsent(directory, COOKIE_KEYS, () => JSON.stringify([0, 1].map(() => randomBytes(32).toString('base64url'))));
  let keys: unknown;
  try {
    keys = JSON.parse(stored);
  } catch {
    throw corrupt(COOKIE_KEYS, 'cookie signing keys');
  }
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'string' && k.length >= 43)) {
    throw corrupt(COOKIE_KEYS, 'cookie signing keys');
  }
  return keys as string[];
}
