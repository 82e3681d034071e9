import express, { type Request, type Response } from 'express';
import type { Entra } from './entra.ts';
import type { GrantStore } from './grants.ts';
import { problemPage } from './pages.ts';
import { sameSecret, type PendingSignIn, type PendingSignIns } from './pending-sign-ins.ts';

export interface AuthRouteDeps {
  entra: Entra;
  grants: GrantStore;
  pending: PendingSignIns;
  /** This server's issuer (PUBLIC_URL): sent back with the code (RFC 9207) so a client can tell who answered. */
  issuer: URL;
  /** The path of REDIRECT_URI, where Entra sends the browser back. */
  callbackPath: string;
  secureCookies: boolean;
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Sends the browser back to the MCP client with the result of its authorization request. */
function backToClient(res: Response, pending: PendingSignIn, issuer: URL, params: Record<string, string>): void {
  const target = new URL(pending.redirectUri);
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
  if (pending.clientState !== undefined) target.searchParams.set('state', pending.clientState);
  target.searchParams.set('iss', issuer.href);
  res.set('Cache-Control', 'no-store').redirect(302, target.href);
}

/** The two browser-facing steps between the MCP client's /authorize and its code: the person's consent, and Entra's answer. */
export function authRoutes(deps: AuthRouteDeps): express.Router {
  const router = express.Router();
  const signInCookie = { httpOnly: true, sameSite: 'lax' as const, secure: deps.secureCookies, path: deps.callbackPath, maxAge: 10 * 60 * 1000 };

  router.post('/consent', express.urlencoded({ extended: false, limit: '8kb' }), async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const pending = deps.pending.awaitingConsent(text(body.request) ?? '');
    // The form's secret must come back both in the form and in this browser's cookie: another site cannot forge both.
    if (!pending || !sameSecret(text(body.csrf), pending.csrf) || !sameSecret(cookie(req, 'mcp_consent'), pending.csrf)) {
      problemPage(res, 400, 'This request has expired', 'The consent form was not one this server showed you, or it is more than ten minutes old.');
      return;
    }
    res.clearCookie('mcp_consent', { path: '/consent' });
    if (body.decision !== 'approve') {
      deps.pending.drop(pending.id);
      backToClient(res, pending, deps.issuer, { error: 'access_denied', error_description: 'The user did not allow this client.' });
      return;
    }
    let started: Awaited<ReturnType<Entra['signInUrl']>>;
    try {
      started = await deps.entra.signInUrl();
    } catch (error) {
      // MSAL reads the authority's metadata first: this fails when Entra (or the lab IdP) is unreachable or misnamed.
      console.error(`[auth] no Entra sign-in URL: ${(error as Error).message}`);
      problemPage(res, 502, 'Sign-in is unavailable', 'This server could not reach Microsoft Entra ID. Try again in a minute; if it keeps failing, check the server’s AUTHORITY_HOST and TENANT_ID.');
      return;
    }
    const { url, signIn } = started;
    const browserKey = deps.pending.startEntraSignIn(pending, signIn);
    // Login CSRF: Entra's answer is accepted only in the browser that was sent there.
    res.cookie('mcp_signin', browserKey, signInCookie);
    res.set('Cache-Control', 'no-store').redirect(302, url);
  });

  router.get(deps.callbackPath, async (req, res) => {
    // TODO(callback): Entra sends the browser back here with ?code=…&state=… (or ?error=…).
    // 1. Take the pending request whose Entra sign-in used this state: deps.pending.takeByEntraState(state).
    //    None (a state you did not issue, or one already used)? problemPage(res, 400, …) — never a redirect.
    // 2. The mcp_signin cookie must equal pending.browserKey (sameSecret): else the answer arrived in
    //    another browser than the one you sent to Entra (login CSRF) — problemPage again.
    // 3. ?error=… from Entra: backToClient(res, pending, deps.issuer, { error: 'access_denied', … }).
    // 4. Redeem the code: await deps.entra.redeem(code, pending.entra). Entra's tokens stay in MSAL's cache.
    // 5. deps.grants.createGrant({ …pending's client and scopes, …the user }), then your own one-time
    //    code: deps.grants.issueCode(grant, { redirectUri: pending.redirectUri, codeChallenge: pending.codeChallenge }),
    //    and backToClient(res, pending, deps.issuer, { code }).
    problemPage(res, 501, 'Not built yet', 'The sign-in callback is still a TODO in src/auth-routes.ts.');
  });

  return router;
}
