import type { ErrorRequestHandler } from 'express';
import { EntraError } from '../errors/entra-error.ts';
import { sendEntraError } from '../errors/render-error.ts';
import { escapeHtml } from '../html/escape.ts';
import type { EntraLocals } from './entra-locals.ts';
import type { TraceBus } from '../trace/trace-bus.ts';

/**
 * Where an Entra step's error goes. Once the redirect URI is known to be
 * registered, /authorize errors go back to the app, as Entra sends them
 * (the app must handle them); before that, and at every other endpoint, the
 * error is answered directly: a page for a browser, JSON for a client.
 */
export function handleEntraErrors(bus: TraceBus): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (!(error instanceof EntraError)) return next(error);
    const locals = res.locals.entra as EntraLocals | undefined;
    const endpoint = /\/oauth2\/v2\.0\/(authorize|token|devicecode)$/.exec(req.path)?.[1];
    const clientId = locals?.app?.appId ?? locals?.params.get('client_id') ?? undefined;
    bus.emit({
      type: endpoint === 'token' ? 'token' : endpoint === 'devicecode' ? 'devicecode' : 'authorize',
      summary: `${endpoint ?? req.path} refused: AADSTS${error.code}`,
      http: { method: req.method, path: req.path, status: error.status },
      error: { error: error.error, aadsts: error.code, description: error.message },
      ...(res.locals.tenantId ? { tenantId: String(res.locals.tenantId) } : {}),
      ...(clientId ? { clientId } : {}),
      ...(locals?.params.get('grant_type') ? { grantType: locals.params.get('grant_type')! } : {}),
    });
    const redirectUri = locals?.platform ? locals.params.get('redirect_uri') : null;
    if (!redirectUri || !req.path.endsWith('/oauth2/v2.0/authorize')) {
      sendEntraError(req, res, error);
      return;
    }
    const fields: Record<string, string> = { error: error.error, error_description: error.description };
    const state = locals?.params.get('state');
    if (state) fields.state = state;
    if (locals?.params.get('response_mode') === 'form_post') {
      const inputs = Object.entries(fields)
        .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
        .join('');
      // The one page that must run a script: it submits the form back to the app, like Entra's.
      res
        .status(200)
        .type('html')
        .set('Cache-Control', 'no-store')
        .send(
          `<!doctype html><html lang="en"><head><title>Submit</title></head><body onload="document.forms[0].submit()"><form method="post" action="${escapeHtml(redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form></body></html>`,
        );
      return;
    }
    const target = new URL(redirectUri);
    for (const [k, v] of Object.entries(fields)) target.searchParams.set(k, v);
    res.redirect(302, target.href);
  };
}
