import { createHash } from 'node:crypto';

/**
 * What the trace shows of a token, code or secret: the first 8 characters of
 * the base64url SHA-256. Enough to match a leaked value against the trace
 * (compute the same fingerprint of what leaked), useless to replay.
 */
export function fingerprint(secretValue: string): string {
  return createHash('sha256').update(secretValue).digest('base64url').slice(0, 8);
}
