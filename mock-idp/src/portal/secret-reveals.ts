import { randomBytes } from 'node:crypto';
import type { SecretCredential } from '../directory/types.ts';

export interface Reveal {
  sid: string;
  appId: string;
  credential: SecretCredential;
  secretText: string;
  expires: number;
}

const LIFETIME_MS = 5 * 60_000;

/**
 * A new client secret's value between the POST that made it and the one page
 * that shows it (POST/redirect/GET, so reloading that page cannot make a
 * second secret). Kept in memory only, for the admin session that made it,
 * handed out once, gone after five minutes — never written, never traced.
 */
export class SecretReveals {
  readonly #byId = new Map<string, Reveal>();

  put(reveal: Omit<Reveal, 'expires'>, now = Date.now()): string {
    for (const [id, old] of this.#byId) if (old.expires <= now) this.#byId.delete(id);
    const id = randomBytes(16).toString('base64url');
    this.#byId.set(id, { ...reveal, expires: now + LIFETIME_MS });
    return id;
  }

  /** The value once, to the session that made it, on its app's page; undefined otherwise (shown, expired, or not yours). */
  take(id: unknown, sid: string, appId: string, now = Date.now()): Reveal | undefined {
    if (typeof id !== 'string') return undefined;
    const reveal = this.#byId.get(id);
    if (!reveal || reveal.sid !== sid || reveal.appId !== appId) return undefined;
    this.#byId.delete(id);
    return reveal.expires > now ? reveal : undefined;
  }
}
