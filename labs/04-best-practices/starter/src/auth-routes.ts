import express, { type Request, type Response } from 'express';
import type { AuditLog } from './audit.ts';
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
  audit: AuditLog;
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
    deps.audit.write({ event: 'consent', outcome: body.decision === 'approve' ? 'success' : 'denied', clientId: pending.clientId });
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
    const state = text(req.query.state);
    const pending = state ? deps.pending.takeByEntraState(state) : undefined;
    // Without a state we issued, we do not know whom to answer: show a page, never redirect anywhere.
    if (!pending?.entra) {
      problemPage(res, 400, 'Unknown sign-in response', 'This sign-in response does not belong to a sign-in this server started (or it was already used).');
      return;
    }
    res.clearCookie('mcp_signin', { path: deps.callbackPath });
    if (!sameSecret(cookie(req, 'mcp_signin'), pending.browserKey)) {
      problemPage(res, 400, 'Sign-in started elsewhere', 'This sign-in was started in another browser, so it cannot finish in this one.');
      return;
    }
    const entraError = text(req.query.error);
    if (entraError) {
      deps.audit.write({ event: 'sign-in', outcome: 'failure', clientId: pending.clientId, detail: entraError === 'access_denied' ? 'access_denied' : 'entra_error' });
      backToClient(res, pending, deps.issuer, { error: entraError === 'access_denied' ? 'access_denied' : 'server_error', error_description: 'The sign-in with Microsoft Entra ID did not complete.' });
      return;
    }
    const code = text(req.query.code);
    if (!code) {
      problemPage(res, 400, 'No authorization code', 'Entra ID sent no authorization code back.');
      return;
    }
    try {
      // The Entra tokens go into MSAL's cache on this server; the grant keeps only a handle to them.
      const user = await deps.entra.redeem(code, pending.entra);
      const grant = deps.grants.createGrant({
        clientId: pending.clientId,
        scopes: pending.scopes,
        ...(pending.resource ? { resource: pending.resource } : {}),
        homeAccountId: user.homeAccountId,
        userOid: user.oid,
        tenantId: user.tenantId,
      });
      deps.audit.write({ event: 'sign-in', outcome: 'success', userOid: user.oid, clientId: pending.clientId });
      const mcpCode = deps.grants.issueCode(grant, { redirectUri: pending.redirectUri, codeChallenge: pending.codeChallenge });
      backToClient(res, pending, deps.issuer, { code: mcpCode });
    } catch (error) {
      // Log the cause for the operator (MSAL's errors carry codes, not tokens); tell the client only that it failed.
      console.error(`[auth] redeeming the Entra authorization code failed: ${(error as Error).message}`);
      deps.audit.write({ event: 'sign-in', outcome: 'failure', clientId: pending.clientId, detail: 'code_redemption_failed' });
      backToClient(res, pending, deps.issuer, { error: 'server_error', error_description: 'The sign-in with Microsoft Entra ID could not be completed.' });
    }
  });

  return router;
}
