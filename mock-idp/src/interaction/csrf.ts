import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A form token bound to one interaction. The interaction cookie already ties
 * the form to this browser; the token adds that the post came from a page
 * this IdP rendered (a cross-site form cannot read it).
 */
export function csrfToken(key: string, interactionUid: string): string {
  return createHmac('sha256', key).update(`csrf|${interactionUid}`).digest('base64url');
}

export function csrfValid(key: string, interactionUid: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(csrfToken(key, interactionUid));
  const actual = Buffer.from(presented);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
