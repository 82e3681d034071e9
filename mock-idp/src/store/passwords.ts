import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * User passwords as scrypt hashes, each with its own random salt. Stored as
 * `scrypt$N$r$p$salt$hash` (base64url), so the cost can be raised later
 * without invalidating existing hashes.
 *
 * N = 2^14, r = 8: about 16 MiB and a few tens of milliseconds per check —
 * enough for a local lab whose passwords are printed on the start screen,
 * and cheap enough that seeding and tests stay quick.
 */

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Buffer {
  return scryptSync(password.normalize('NFC'), salt, KEY_LENGTH, { N: n, r, p, maxmem: 256 * n * r });
}

export function hashPassword(password: string): string {
  const salt = randomBytes(SALT_LENGTH);
  const hash = derive(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export function verifyPasswordHash(password: string, stored: string): boolean {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  let actual: Buffer;
  try {
    actual = derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  } catch {
    return false; // unusable parameters in the stored hash: no password matches it
  }
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

// Compared against when the user does not exist, so that an unknown name
// costs the same scrypt as a wrong password and timing reveals nothing.
const DUMMY_HASH = hashPassword(randomBytes(16).toString('base64url'));

export function spendPasswordCheck(password: string): void {
  verifyPasswordHash(password, DUMMY_HASH);
}
