/**
 * The numbers behind the dev CA, in one place so generation and the reuse
 * check cannot drift apart.
 */
import { randomBytes } from 'node:crypto';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** Backdate notBefore so a client whose clock runs slightly behind still accepts a fresh certificate. */
export const CLOCK_SKEW_MS = MINUTE_MS;

/** Renew this long before expiry, so a long-running lab never hits an expired certificate mid-session. */
const RENEW_BEFORE_MS = 30 * DAY_MS;

export const CA_VALIDITY_YEARS = 10;

/** Browsers (and Apple's TLS stack) reject leaf certificates valid for more than 398 days. */
export const LEAF_VALIDITY_MS = 397 * DAY_MS;

/**
 * 16 random bytes as hex, positive (top bit clear) as RFC 5280 requires. The
 * 0x40 bit is forced on so the first byte is never zero: the encoder would
 * otherwise strip it, leaving a serial shorter than 16 bytes.
 */
export function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes.toString('hex');
}

/** True if the certificate is in force at `now` and stays so for at least RENEW_BEFORE_MS. */
export function isComfortablyValid(validFrom: Date, validTo: Date, now: Date): boolean {
  return validFrom.getTime() <= now.getTime() && validTo.getTime() - now.getTime() >= RENEW_BEFORE_MS;
}
