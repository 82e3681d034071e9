import express, { type Request, type Router } from 'express';
import type { AppRegistration } from '../../directory/types.ts';
import { html } from '../../html/escape.ts';
import { toManifest } from '../../manifest/export-manifest.ts';
import type { LabContext } from '../../protocol/lab-context.ts';
import { appFromRequest, renderAppBlade } from '../app-page.ts';
import type { PortalDeps } from '../context.ts';
import { urls } from '../urls.ts';

/**
 * The manifest exactly as the admin API exports it (`GET /_lab/admin/apps/{appId}/manifest`):
 * the same function and the same `source`. Like Entra's,
 * it never holds a secret value (`secretText: null`).
 */
function manifestText(lab: LabContext, req: Request, app: AppRegistration): string {
  const tenant = lab.directory.tenant(app.tenantId);
  const manifest = toManifest(app, lab.directory.secrets(app.appId), { publisherDomain: tenant?.domain ?? '', source: `${req.protocol}://${req.get('host') ?? 'localhost'}` });
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * The downloaded file's name: the one lab 01 asks the learner to hand in, so
 * the browser's download can be moved into work/01-register-app as it is.
 * (The admin API names its export after the app, for people who keep several.)
 */
export const PORTAL_MANIFEST_FILE = 'app-manifest.json';

/** Manifest: the registration as JSON (view, download). Editing and upload are the CLI's and admin API's (`mcp-lab app import`). */
export function manifestRoutes({ lab }: PortalDeps): Router {
  const router = express.Router();

  router.get('/apps/:appId/manifest', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    const { viewer, app } = found;
    renderAppBlade(res, viewer, app, 'manifest', {
      labNote: {
        entra: 'App registrations › (your app) › Manifest, tab "Microsoft Graph App Manifest"; Download saves it as a file.',
        lab: 'read-only here (edit the registration on its blades); import a manifest with `mcp-lab app import` or POST /_lab/admin/apps/import.',
      },
      body: html`<p>The manifest is the registration as Microsoft Graph's application object. It never contains a secret value: every client secret is listed with <code>secretText: null</code>.</p>
<p class="command-bar"><a class="button secondary" href="${urls.app(app.appId, 'manifest', 'download')}" download="${PORTAL_MANIFEST_FILE}">Download</a></p>
<pre class="manifest" tabindex="0" aria-label="Manifest of ${app.displayName} (JSON)"><code>${manifestText(lab, req, app)}</code></pre>`,
    });
  });

  router.get('/apps/:appId/manifest/download', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    res.status(200).set('Cache-Control', 'no-store').attachment(PORTAL_MANIFEST_FILE).type('application/json').send(manifestText(lab, req, found.app));
  });

  return router;
}
