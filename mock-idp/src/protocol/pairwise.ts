import { createHash } from 'node:crypto';

/**
 * Entra's `sub` differs per application for the same user, so two apps
 * cannot correlate a user by `sub`; `oid` is the stable ID across apps.
 * Same shape as Entra's: 43 characters of base64url.
 */
export function pairwiseSubject(objectId: string, appId: string): string {
  return createHash('sha256').update(`${objectId.toLowerCase()}|${appId.toLowerCase()}`).digest('base64url');
}
