import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { csrfToken, csrfValid } from '../interaction/csrf.ts';

/** The portal session cookie. Scoped to /portal: the protocol endpoints never see it. */
const SESSION_COOKIE = 'mcp_lab_portal';
/** A pre-session nonce that binds the sign-in form's CSRF token to this browser (login CSRF). */
const SIGN_IN_COOKIE = 'mcp_lab_portal_signin';

const SESSION_HOURS = 8;
const SESSION_MS = SESSION_HOURS * 60 * 60 * 1000;
const SIGN_IN_FORM_SECONDS = 60 * 60;

export interface PortalSession {
  /** Random per sign-in: CSRF tokens are bound to it, and sign-out revokes it. */
  sid: string;
  /** The admin's object ID. */
  userId: string;
  tenantId: string;
  /** Expiry, epoch ms. */
  exp: number;
}

/**
 * The portal's own key, derived from the IdP's cookie key with a label, so
 * a value signed for the sign-in pages (or oidc-provider's cookies) can
 * never pass as a portal session or form token, and the other way round.
 */
export function portalKey(cookieKey: string): string {
  // An empty or short key would make sessions forgeable; the IdP always has a 256-bit one.
  if (cookieKey.length < 32) throw new Error('The portal needs the IdP cookie key (ensureCookieKeys) to sign its sessions.');
  return createHmac('sha256', cookieKey).update('mcp-lab portal session and form key v1').digest('base64url');
}

function sign(key: string, payload: string): string {
  return createHmac('sha256', key).update(`portal-session|${payload}`).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `name=value` pairs of the Cookie header (no cookie-parser dependency for two cookies). */
function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Every portal cookie: not readable by scripts, HTTPS only, not sent on cross-site subrequests or posts. */
function cookieAttributes(path: string, maxAgeSeconds: number): string {
  return `Path=${path}; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Lax`;
}

/**
 * Signed, stateless sessions (HMAC over the payload, with an expiry), plus
 * an in-memory list of sessions signed out before their expiry, so "Sign
 * out" ends a session even if a copy of the cookie survives. That list is
 * lost on a restart; a session then lasts at most until its expiry, which
 * is short (8 hours) for that reason.
 */
export class PortalSessions {
  readonly #key: string;
  readonly #signedOut = new Map<string, number>();

  constructor(key: string) {
    this.#key = key;
  }

  start(res: Response, userId: string, tenantId: string, now = Date.now()): PortalSession {
    const session: PortalSession = { sid: randomBytes(16).toString('base64url'), userId, tenantId, exp: now + SESSION_MS };
    const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
    res.append('Set-Cookie', `${SESSION_COOKIE}=${payload}.${sign(this.#key, payload)}; ${cookieAttributes('/portal', SESSION_MS / 1000)}`);
    return session;
  }

  /** The session the request carries, if its signature holds and it has neither expired nor been signed out. */
  read(req: Request, now = Date.now()): PortalSession | undefined {
    const cookie = readCookie(req, SESSION_COOKIE);
    const [payload, mac, extra] = cookie?.split('.') ?? [];
    if (!payload || !mac || extra !== undefined || !sameText(mac, sign(this.#key, payload))) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const s = parsed as Partial<PortalSession>;
    if (typeof s.sid !== 'string' || typeof s.userId !== 'string' || typeof s.tenantId !== 'string' || typeof s.exp !== 'number') return undefined;
    if (s.exp <= now || this.#signedOut.has(s.sid)) return undefined;
    return { sid: s.sid, userId: s.userId, tenantId: s.tenantId, exp: s.exp };
  }

  end(res: Response, session: PortalSession | undefined, now = Date.now()): void {
    for (const [sid, exp] of this.#signedOut) if (exp <= now) this.#signedOut.delete(sid);
    if (session) this.#signedOut.set(session.sid, session.exp);
    res.append('Set-Cookie', `${SESSION_COOKIE}=; ${cookieAttributes('/portal', 0)}`);
  }

  /**
   * A form token bound to this session and to the one action the form
   * posts to: a token lifted from one form cannot drive another.
   */
  formToken(session: PortalSession, action: string): string {
    return csrfToken(this.#key, `portal|${session.sid}|${action}`);
  }

  formTokenValid(session: PortalSession, action: string, presented: unknown): boolean {
    return csrfValid(this.#key, `portal|${session.sid}|${action}`, presented);
  }

  /** The sign-in form's nonce: reused while the cookie lives, so two open tabs both work. */
  signInNonce(req: Request, res: Response): string {
    const existing = readCookie(req, SIGN_IN_COOKIE);
    if (existing && /^[\w-]{22,64}$/.test(existing)) return existing;
    const nonce = randomBytes(16).toString('base64url');
    res.append('Set-Cookie', `${SIGN_IN_COOKIE}=${nonce}; ${cookieAttributes('/portal/sign-in', SIGN_IN_FORM_SECONDS)}`);
    return nonce;
  }

  signInToken(nonce: string): string {
    return csrfToken(this.#key, `portal-sign-in|${nonce}`);
  }

  signInTokenValid(req: Request, presented: unknown): boolean {
    const nonce = readCookie(req, SIGN_IN_COOKIE);
    return nonce !== undefined && csrfValid(this.#key, `portal-sign-in|${nonce}`, presented);
  }

  clearSignInNonce(res: Response): void {
    res.append('Set-Cookie', `${SIGN_IN_COOKIE}=; ${cookieAttributes('/portal/sign-in', 0)}`);
  }
}
