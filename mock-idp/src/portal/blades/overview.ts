import express, { type Response, type Router } from 'express';
import { html } from '../../html/escape.ts';
import type { AppRegistration } from '../../directory/types.ts';
import { appFromRequest, doneNotice, renderAppBlade } from '../app-page.ts';
import { deleteApp } from '../changes/app-changes.ts';
import type { PortalDeps, Viewer } from '../context.ts';
import { checkboxGroup, formContext, formValues, postForm, type FailedForm } from '../forms.ts';
import { AUDIENCE_SHORT } from '../labels.ts';
import { urls } from '../urls.ts';

const NOTICES = {
  registered: 'Application registered. Copy the Application (client) ID and the Directory (tenant) ID below: the app\'s configuration needs both.',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Overview: the Essentials an app's configuration needs (client ID, tenant ID) as copyable `<code>`, and the endpoints. */
export function overviewRoutes({ lab, baseUrl }: PortalDeps): Router {
  const router = express.Router();

  const show = (res: Response, viewer: Viewer, app: AppRegistration, options: { notice?: string | undefined; failed?: FailedForm } = {}) => {
    const secrets = lab.directory.secrets(app.appId).length;
    const authority = `${baseUrl()}/${app.tenantId}`;
    const deleteAction = urls.app(app.appId, 'overview', 'delete');
    const f = formContext('delete', options.failed);
    const deleteFields = checkboxGroup(f, {
      name: 'confirm',
      legend: 'Delete this registration?',
      choices: [{ value: 'yes', label: `I understand that deleting "${app.displayName}" removes its secrets, consent and role assignments, and that apps using its client ID stop working at once.` }],
    });
    renderAppBlade(res, viewer, app, 'overview', {
      labNote: {
        entra: 'App registrations › (your app) › Overview, section Essentials; "Endpoints" lists the URLs.',
        lab: `the same IDs and names; the authority is ${authority} instead of https://login.microsoftonline.com/${app.tenantId}.`,
      },
      notice: options.notice,
      ...(options.failed ? { status: 400 } : {}),
      body: html`<h2>Essentials</h2>
<dl class="essentials">
<dt>Display name</dt><dd>${app.displayName}</dd>
<dt>Application (client) ID</dt><dd><code id="client-id">${app.appId}</code></dd>
<dt>Object ID</dt><dd><code id="object-id">${app.id}</code></dd>
<dt>Directory (tenant) ID</dt><dd><code id="tenant-id">${app.tenantId}</code></dd>
<dt>Supported account types</dt><dd>${AUDIENCE_SHORT[app.signInAudience]}</dd>
<dt>Client credentials</dt><dd><a href="${urls.app(app.appId, 'credentials')}">0 certificates, ${plural(secrets, 'secret')}</a></dd>
<dt>Redirect URIs</dt><dd><a href="${urls.app(app.appId, 'authentication')}">${app.web.redirectUris.length} web, ${app.spa.redirectUris.length} spa, ${app.publicClient.redirectUris.length} public client</a></dd>
<dt>Application ID URI</dt><dd>${
        app.identifierUris[0] ? html`<code>${app.identifierUris[0]}</code>` : html`<a href="${urls.app(app.appId, 'expose-api')}">Add an Application ID URI</a>`
      }</dd>
${
        app.identifierUris.length || app.api.oauth2PermissionScopes.length
          ? html`<dt>Access token version</dt><dd><a href="${urls.app(app.appId, 'manifest')}">${
              app.api.requestedAccessTokenVersion === 2 ? 'v2.0 (requestedAccessTokenVersion 2)' : `v1.0 (requestedAccessTokenVersion ${String(app.api.requestedAccessTokenVersion)})`
            }</a></dd>`
          : ''
      }
<dt>Managed application in local directory</dt><dd><a href="${urls.enterpriseApp(app.appId)}">${app.displayName}</a></dd>
</dl>
<h2>Endpoints</h2>
<dl class="essentials">
<dt>Authority</dt><dd><code>${authority}</code></dd>
<dt>OpenID Connect metadata document</dt><dd><code>${authority}/v2.0/.well-known/openid-configuration</code></dd>
<dt>OAuth 2.0 authorization endpoint (v2)</dt><dd><code>${authority}/oauth2/v2.0/authorize</code></dd>
<dt>OAuth 2.0 token endpoint (v2)</dt><dd><code>${authority}/oauth2/v2.0/token</code></dd>
</dl>
<h2>Delete</h2>
${postForm(f, { action: deleteAction, token: viewer.formToken(deleteAction), submit: 'Delete this app registration', submitClass: 'danger', fields: deleteFields })}`,
    });
  };

  router.get('/apps/:appId/overview', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (found) show(res, found.viewer, found.app, { notice: doneNotice(req, NOTICES) });
  });

  // Entra's app URL without a blade opens the Overview.
  router.get('/apps/:appId', (req, res) => {
    res.redirect(303, urls.app(req.params.appId));
  });

  router.post('/apps/:appId/overview/delete', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    const { viewer, app } = found;
    const values = formValues(req.body);
    if (!values.confirm?.includes('yes')) {
      show(res, viewer, app, {
        failed: { id: 'delete', values, problems: [{ field: 'confirm', message: 'Deleting needs your confirmation.', fix: 'Tick the box to confirm, then select "Delete this app registration" again.' }] },
      });
      return;
    }
    deleteApp(lab, viewer, app);
    res.redirect(303, `${urls.apps}?done=deleted`);
  });

  return router;
}
