import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hmacKey } from './hmac-key.ts';

/**
 * Client secret values and their stored form.
 *
 * A value looks like one from Entra: three random characters, `8Q~`, then
 * random characters from `[A-Za-z0-9_.~-]`. 43 random characters from that
 * 66-character alphabet carry 43 × log2(66) ≈ 260 bits.
 *
 * Only HMAC-SHA256(pepper, value) is stored. A slow password hash protects
 * guessable, human-chosen passwords; these values are 256-bit random, so no
 * amount of hashing speed helps an attacker, and a fast keyed hash keeps every
 * token request cheap. The pepper (a per-installation key) makes a copied
 * hash useless against any other lab.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~-';
const PREFIX_LENGTH = 3;
const BODY_LENGTH = 40;
const MARKER = '8Q~';

/** `length` characters drawn uniformly from ALPHABET (rejection sampling, no modulo bias). */
function randomChars(length: number): string {
  const limit = 256 - (256 % ALPHABET.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= limit) continue;
      out += ALPHABET[byte % ALPHABET.length];
      if (out.length === length) break;
    }
  }
  return out;
}

export function generateSecretText(): string {
  return randomChars(PREFIX_LENGTH) + MARKER + randomChars(BODY_LENGTH);
}

/** The portal shows the first three characters of a secret. */
export function secretHint(secretText: string): string {
  return secretText.slice(0, PREFIX_LENGTH);
}

export function hashSecret(pepper: Buffer, secretText: string): Buffer {
  return createHmac('sha256', hmacKey(pepper)).update(secretText, 'utf8').digest();
}

export function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
