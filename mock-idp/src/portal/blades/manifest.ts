import express, { type Request, type Response, type Router } from 'express';
import type { AppRegistration } from '../../directory/types.ts';
import { html } from '../../html/escape.ts';
import { toManifest } from '../../manifest/export-manifest.ts';
import type { LabContext } from '../../protocol/lab-context.ts';
import { appFromRequest, doneNotice, renderAppBlade } from '../app-page.ts';
import { changeApp } from '../changes/app-changes.ts';
import type { PortalDeps, Viewer } from '../context.ts';
import { firstValue, formContext, formValues, postForm, radioGroup, type FailedForm } from '../forms.ts';
import { urls } from '../urls.ts';

/**
 * The manifest exactly as the admin API exports it (`GET /_lab/admin/apps/{appId}/manifest`):
 * the same function and the same `source`. Like Entra's,
 * it never holds a secret value (`secretText: null`).
 */
function manifestText(lab: LabContext, req: Request, app: AppRegistration): string {
  const tenant = lab.directory.tenant(app.tenantId);
  const manifest = toManifest(app, lab.directory.secrets(app.appId), {
    publisherDomain: tenant?.domain ?? '',
    source: `${req.protocol}://${req.get('host') ?? 'localhost'}`,
    certificates: lab.credentials.certificatesWithKeys(app.appId),
  });
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * The downloaded file's name: the one lab 01 asks the learner to hand in, so
 * the browser's download can be moved into work/01-register-app as it is.
 * (The admin API names its export after the app, for people who keep several.)
 */
const PORTAL_MANIFEST_FILE = 'app-manifest.json';

/** The values of `api.requestedAccessTokenVersion` as the form sends them. */
const TOKEN_VERSIONS = { null: null, '1': 1, '2': 2 } as const;
type TokenVersionChoice = keyof typeof TOKEN_VERSIONS;
const NOTICES = { 'token-version': 'Saved. The next access token for this API has the version you chose.' };

/**
 * Manifest: the registration as JSON (view, download), and the one manifest
 * setting no other blade has: `api.requestedAccessTokenVersion`, which picks
 * the access token version Entra issues for this API (protocol/token-version.ts).
 * Other edits are the blades' own; upload is the CLI's and admin API's (`mcp-lab app import`).
 */
export function manifestRoutes({ lab }: PortalDeps): Router {
  const router = express.Router();

  const show = (req: Request, res: Response, viewer: Viewer, app: AppRegistration, options: { notice?: string | undefined; failed?: FailedForm } = {}) => {
    const action = urls.app(app.appId, 'manifest', 'token-version');
    const f = formContext('token-version', options.failed);
    const fields = radioGroup(f, {
      name: 'requestedAccessTokenVersion',
      legend: 'api.requestedAccessTokenVersion: which access tokens this API gets',
      choices: [
        { value: 'null', label: 'null', hint: '(a new registration’s value) v1.0 tokens: iss https://sts.windows.net/{tid}/, aud the Application ID URI or client ID the client asked for' },
        { value: '1', label: '1', hint: 'v1.0 tokens, as null' },
        { value: '2', label: '2', hint: 'v2.0 tokens: iss …/{tid}/v2.0, aud this API’s client ID' },
      ],
      value: String(app.api.requestedAccessTokenVersion),
    });
    renderAppBlade(res, viewer, app, 'manifest', {
      labNote: {
        entra: 'App registrations › (your app) › Manifest, tab "Microsoft Graph App Manifest": edit "requestedAccessTokenVersion" in the JSON, then Save; Download saves it as a file.',
        lab: 'the JSON is read-only here; requestedAccessTokenVersion has its own form below, other settings are edited on their blades; import a manifest with `mcp-lab app import` or POST /_lab/admin/apps/import.',
      },
      notice: options.notice,
      ...(options.failed ? { status: 400 } : {}),
      body: html`<p>The manifest is the registration as Microsoft Graph's application object. It never contains a secret value: every client secret is listed with <code>secretText: null</code>.</p>
<p class="command-bar"><a class="button secondary" href="${urls.app(app.appId, 'manifest', 'download')}" download="${PORTAL_MANIFEST_FILE}">Download</a></p>
<h2>Access token version</h2>
<p>The API, not the client, decides which access tokens it gets: a client that signs in at the v2.0 endpoint still gets a v1.0 token for an API whose value is null or 1. Your API must validate the issuer and audience of that version.</p>
${postForm(f, { action, token: viewer.formToken(action), submit: 'Save', submitLabel: 'Save requestedAccessTokenVersion', fields })}
<h2>Manifest (JSON)</h2>
<pre class="manifest" tabindex="0" aria-label="Manifest of ${app.displayName} (JSON)"><code>${manifestText(lab, req, app)}</code></pre>`,
    });
  };

  router.get('/apps/:appId/manifest', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (found) show(req, res, found.viewer, found.app, { notice: doneNotice(req, NOTICES) });
  });

  router.post('/apps/:appId/manifest/token-version', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    const values = formValues(req.body);
    const choice = firstValue(values, 'requestedAccessTokenVersion');
    if (!Object.hasOwn(TOKEN_VERSIONS, choice)) {
      show(req, res, found.viewer, found.app, {
        failed: { id: 'token-version', values, problems: [{ field: 'requestedAccessTokenVersion', message: 'No value is selected.', fix: 'Select null, 1 or 2, then Save.' }] },
      });
      return;
    }
    changeApp(lab, found.viewer, found.app, { api: { requestedAccessTokenVersion: TOKEN_VERSIONS[choice as TokenVersionChoice] } });
    res.redirect(303, `${urls.app(found.app.appId, 'manifest')}?done=token-version`);
  });

  router.get('/apps/:appId/manifest/download', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    res.status(200).set('Cache-Control', 'no-store').attachment(PORTAL_MANIFEST_FILE).type('application/json').send(manifestText(lab, req, found.app));
  });

  return router;
}
