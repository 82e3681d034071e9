import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import { html } from '../html/escape.ts';
import { PAGE_SECURITY_HEADERS, renderPage } from '../html/layout.ts';
import type { LabContext } from '../protocol/lab-context.ts';
import { apiPermissionsRoutes } from './blades/api-permissions.ts';
import { appListRoutes } from './blades/app-list.ts';
import { appRolesRoutes } from './blades/app-roles.ts';
import { authenticationRoutes } from './blades/authentication.ts';
import { credentialsRoutes } from './blades/credentials.ts';
import { otherCredentialsRoutes } from './blades/other-credentials.ts';
import { enterpriseAppsRoutes } from './blades/enterprise-apps.ts';
import { exposeApiRoutes } from './blades/expose-api.ts';
import { homeRoutes } from './blades/home.ts';
import { manifestRoutes } from './blades/manifest.ts';
import { overviewRoutes } from './blades/overview.ts';
import { signInRoutes } from './blades/sign-in.ts';
import { usersRoutes } from './blades/users.ts';
import { setViewer, viewerOf, type PortalDeps } from './context.ts';
import { renderPortalPage } from './layout.ts';
import { PortalSessions, portalKey } from './session.ts';
import { PORTAL_ROOT, urls } from './urls.ts';
import { COPY_SCRIPT, COPY_SCRIPT_PATH } from './copy-script.ts';

export interface PortalOptions {
  lab: LabContext;
  /** The IdP's cookie key (the first of ensureCookieKeys); the portal derives its own key from it. */
  cookieKey: string;
  baseUrl: () => string;
}

/** Signed in, and still a tenant admin: checked on every request, so a demoted or disabled admin is out at once. */
function requireSession({ lab, sessions }: PortalDeps): RequestHandler {
  return (req, res, next) => {
    const session = sessions.read(req);
    const user = session ? lab.directory.user(session.userId) : undefined;
    const tenant = user ? lab.directory.tenant(user.tenantId) : undefined;
    if (!session || !user || !tenant || !user.isAdmin || !user.accountEnabled || user.tenantId !== session.tenantId) {
      if (session) sessions.end(res, session);
      // A GET comes back to the same page after sign-in; a POST changes nothing and says why.
      const target = req.method === 'GET' ? `${urls.signIn}?next=${encodeURIComponent(req.originalUrl)}` : `${urls.signIn}?reason=session`;
      res.redirect(303, target);
      return;
    }
    setViewer(req, { user, tenant, session, formToken: (action) => sessions.formToken(session, action) });
    next();
  };
}

/**
 * Every POST carries the token of the form it came from (HMAC of the session
 * and the form's action). Browsers also say where a request comes from
 * (Sec-Fetch-Site): a cross-site post is refused before anything else.
 */
function requireFormToken({ sessions }: PortalDeps): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST') return next();
    const viewer = viewerOf(req);
    const action = new URL(req.originalUrl, 'https://portal.invalid').pathname;
    const site = req.get('sec-fetch-site');
    const sameSite = site === undefined || site === 'same-origin' || site === 'none';
    if (sameSite && sessions.formTokenValid(viewer.session, action, (req.body as Record<string, unknown> | undefined)?.csrf)) return next();
    renderPortalPage(res, viewer, {
      h1: 'The form was not accepted',
      section: 'home',
      breadcrumbs: [{ label: 'Home', href: urls.home }, { label: 'Form not accepted' }],
      labNote: { entra: 'the admin center protects its changes against cross-site requests too.', lab: 'every form carries a token bound to your session and to that form.' },
      body: html`<div class="error" role="alert"><p>Nothing was changed: this form was not sent from a page of this admin center, or the page is from an earlier sign-in.</p>
<p class="fix">Go back, reload the page, and submit the form again.</p></div>`,
      status: 403,
    });
  };
}

/** The portal's own last steps: an unknown page, and a body that could not be read; anything else goes to the app's handler. */
function portalNotFound(): RequestHandler {
  return (req, res) => {
    renderPortalPage(res, viewerOf(req), {
      h1: 'Page not found',
      section: 'home',
      breadcrumbs: [{ label: 'Home', href: urls.home }, { label: 'Page not found' }],
      labNote: { entra: 'the admin center\'s pages are reached from its menus.', lab: 'the same; this address is not one of them.' },
      body: html`<div class="error" role="alert"><p>The admin center has no page at ${req.path}.</p><p class="fix">Start again from <a href="${urls.home}">Home</a>.</p></div>`,
      status: 404,
    });
  };
}

function bodyErrors() {
  return (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
    if (typeof status !== 'number' || status < 400 || status >= 500 || res.headersSent) return next(error);
    renderPage(res, {
      title: 'Request not accepted',
      status,
      body: html`<h1>Request not accepted</h1><div class="error" role="alert"><p>The admin center could not read this form (HTTP ${status}). Nothing was changed.</p><p class="muted">Go back, shorten what you typed, and try again.</p></div>`,
    });
  };
}

/**
 * `/portal`: the lab's Entra admin center. Server-rendered blades that go
 * through the admin API's own functions (schemas, rules, directory writes,
 * trace events) in-process. Mounted before the tenant endpoints, which
 * would otherwise take "portal" for a tenant.
 */
export function portalRoutes({ lab, cookieKey, baseUrl }: PortalOptions): Router {
  const sessions = new PortalSessions(portalKey(cookieKey));
  const deps: PortalDeps = { lab, sessions, baseUrl };
  const router = express.Router();

  // Every response, redirects and downloads included: never framed, never cached, no scripts (but on the one page that shows a new secret).
  router.use((_req, res, next) => {
    res.set(PAGE_SECURITY_HEADERS);
    next();
  });
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }));
  router.get(COPY_SCRIPT_PATH.slice(PORTAL_ROOT.length), (_req, res) => {
    res.type('text/javascript').send(COPY_SCRIPT);
  });
  router.use(signInRoutes(deps));
  router.use(requireSession(deps));
  router.use(requireFormToken(deps));

  router.post('/sign-out', (req, res) => {
    sessions.end(res, viewerOf(req).session);
    res.redirect(303, `${urls.signIn}?reason=signed-out`);
  });
  router.use(homeRoutes(deps));
  // Before the app's blades: "new" is not an application ID.
  router.use(appListRoutes(deps));
  router.use(overviewRoutes(deps));
  router.use(authenticationRoutes(deps));
  router.use(otherCredentialsRoutes(deps)); // Certificates and Federated credentials tabs, before credentials/:keyId
  router.use(credentialsRoutes(deps));
  router.use(apiPermissionsRoutes(deps));
  router.use(exposeApiRoutes(deps));
  router.use(appRolesRoutes(deps));
  router.use(manifestRoutes(deps));
  router.use(enterpriseAppsRoutes(deps));
  router.get('/enterprise-apps/:appId', (req, res) => res.redirect(303, urls.enterpriseApp(req.params.appId)));
  router.use(usersRoutes(deps));
  router.use(portalNotFound());
  router.use(bodyErrors());
  return router;
}
