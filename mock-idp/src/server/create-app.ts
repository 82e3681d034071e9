import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import { FAVICON_PATH, FAVICON_SVG } from '../html/favicon.ts';
import type Provider from 'oidc-provider';
import { entraEndpoints } from '../entra/index.ts';
import { interactionRoutes } from '../interaction/routes.ts';
import { STYLES } from '../html/styles.ts';
import type { LabContext } from '../protocol/lab-context.ts';
import type { LabInfo } from './lab-info.ts';
import { traceRoutes } from '../trace/routes.ts';
import { graphRoutes } from '../graph/index.ts';
import { portalRoutes } from '../portal/routes.ts';
import { userinfoRoutes } from '../userinfo/userinfo-routes.ts';
import { managedIdentityRoutes } from '../managed-identity/routes.ts';

export interface AppDeps {
  lab: LabContext;
  providerFor: (tenantId: string) => Provider;
  csrfKey: string;
  info: () => LabInfo;
  admin: Router;
  baseUrl: () => string;
}

/** The IdP's HTTP surface: lab endpoints, the sign-in pages, then Entra's tenant endpoints. */
export function createIdpApp({ lab, providerFor, csrfKey, info, admin, baseUrl }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.get('/_lab/assets/idp.css', (_req, res) => {
    res.type('css').set('Cache-Control', 'public, max-age=3600').send(STYLES);
  });
  // /favicon.ico too: browsers ask for it on pages that do not name an icon (JSON errors, the admin API).
  app.get([FAVICON_PATH, '/favicon.ico'], (_req, res) => {
    res.type('image/svg+xml').set('Cache-Control', 'public, max-age=86400').send(FAVICON_SVG);
  });
  app.get('/_lab/info', (_req, res) => {
    res.set('Cache-Control', 'no-store').json(info());
  });
  app.get('/_lab/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.use('/_lab/admin', admin);
  app.use(managedIdentityRoutes(lab, baseUrl)); // App Service's IDENTITY_ENDPOINT, for ManagedIdentityCredential
  app.use('/_lab/events', traceRoutes(lab.trace));
  app.use(interactionRoutes({ lab, providerFor, csrfKey }));
  app.use('/graph/oidc/userinfo', userinfoRoutes({ lab, baseUrl })); // named by discovery, as Entra's is Graph's
  app.use('/graph/v1.0', graphRoutes({ lab, baseUrl })); // before the tenant endpoints, which would take "graph" for a tenant
  app.use('/portal', portalRoutes({ lab, cookieKey: csrfKey, baseUrl })); // likewise "portal"
  app.use(entraEndpoints(lab, providerFor, baseUrl));

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', error_description: 'No such endpoint on the lab identity provider. See /_lab/info for the tenants and their endpoints.' });
  });
  // Last resort: never a stack trace or internal detail in the response.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    console.error('[mock-idp] unexpected error:', error);
    if (res.headersSent) return;
    res.status(500).json({ error: 'server_error', error_description: 'The lab identity provider failed unexpectedly; its console shows the cause.' });
  });
  return app;
}
