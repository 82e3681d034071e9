import { hash } from 'node:crypto';

/**
 * What the trace shows of a token, code or secret: the first 8 characters of
 * the base64url SHA-256. Enough to match a leaked value against the trace
 * (compute the same fingerprint of what leaked), useless to replay.
 */
export function fingerprint(secretValue: string): string {
  // One-shot hash: no Hash object per call (the trace takes several fingerprints per token).
  return hash('sha256', secretValue, 'base64url').slice(0, 8);
}
