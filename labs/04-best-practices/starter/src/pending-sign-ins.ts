import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntraSignIn } from './entra.ts';

const PENDING_MS = 10 * 60 * 1000;

/** An MCP client's authorization request, from /authorize until /auth/callback answers it. */
export interface PendingSignIn {
  id: string;
  clientId: string;
  clientName: string;
  redirectUri: string;
  /** The MCP client's own state and PKCE challenge, returned and checked later. */
  clientState?: string;
  codeChallenge: string;
  scopes: string[];
  resource?: string;
  /** Ties the consent form to the browser that was shown it (double-submit: cookie + form field). */
  csrf: string;
  /** Set once the person consents: what Entra's answer must match, and the browser it must arrive in. */
  entra?: EntraSignIn;
  browserKey?: string;
  expiresAt: number;
}

const random = () => randomBytes(32).toString('base64url');

export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class PendingSignIns {
  readonly #byId = new Map<string, PendingSignIn>();

  create(request: Omit<PendingSignIn, 'id' | 'csrf' | 'expiresAt'>): PendingSignIn {
    const now = Date.now();
    for (const [id, p] of this.#byId) if (p.expiresAt <= now) this.#byId.delete(id);
    const pending = { ...request, id: random(), csrf: random(), expiresAt: now + PENDING_MS };
    this.#byId.set(pending.id, pending);
    return pending;
  }

  /** A request still waiting for the person's decision. */
  awaitingConsent(id: string): PendingSignIn | undefined {
    const pending = this.#byId.get(id);
    return pending && !pending.entra && pending.expiresAt > Date.now() ? pending : undefined;
  }

  /** Removes a request (the person said no). */
  drop(id: string): void {
    this.#byId.delete(id);
  }

  /** Records the Entra sign-in started for a request; returns the key the browser must present at the callback. */
  startEntraSignIn(pending: PendingSignIn, signIn: EntraSignIn): string {
    pending.entra = signIn;
    pending.browserKey = random();
    return pending.browserKey;
  }

  /** Takes (once) the request whose Entra sign-in used this state. A state we did not issue, or one already used, finds nothing. */
  takeByEntraState(state: string): PendingSignIn | undefined {
    for (const [id, pending] of this.#byId) {
      if (pending.entra && sameSecret(pending.entra.state, state)) {
        this.#byId.delete(id);
        return pending.expiresAt > Date.now() ? pending : undefined;
      }
    }
    return undefined;
  }
}
