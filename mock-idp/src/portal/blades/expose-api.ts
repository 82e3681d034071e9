import express, { type Response, type Router } from 'express';
import type { AppRegistration } from '../../directory/types.ts';
import { html } from '../../html/escape.ts';
import { appFromRequest, doneNotice, renderAppBlade } from '../app-page.ts';
import { addScope, changeApp } from '../changes/app-changes.ts';
import type { PortalDeps, Viewer } from '../context.ts';
import { firstValue, formContext, formValues, postForm, radioGroup, textArea, textField, type FailedForm } from '../forms.ts';
import { formProblems } from '../problems.ts';
import { urls } from '../urls.ts';

const NOTICES = {
  'uri-saved': 'Application ID URI saved.',
  'scope-added': 'Scope added. Clients ask for it as <Application ID URI>/<scope name>.',
};

const URI_LABELS = { identifierUri: 'Application ID URI' };
const SCOPE_LABELS = {
  value: 'Scope name',
  type: 'Who can consent?',
  adminConsentDisplayName: 'Admin consent display name',
  adminConsentDescription: 'Admin consent description',
  userConsentDisplayName: 'User consent display name',
  userConsentDescription: 'User consent description',
  isEnabled: 'State',
};
const SCOPE_FIELDS: Record<string, string> = Object.fromEntries(Object.keys(SCOPE_LABELS).map((k) => [k, k]));

/** Expose an API: the Application ID URI ("Add"/"Edit", `api://{appId}` by default) and the scopes other apps may ask for. */
export function exposeApiRoutes({ lab }: PortalDeps): Router {
  const router = express.Router();

  const show = (res: Response, viewer: Viewer, app: AppRegistration, options: { notice?: string | undefined; failed?: FailedForm } = {}) => {
    const uriAction = urls.app(app.appId, 'expose-api', 'identifier-uri');
    const scopeAction = urls.app(app.appId, 'expose-api', 'scopes');
    const current = app.identifierUris[0];
    const uf = formContext('identifier-uri', options.failed);
    const uriFields = textField(uf, {
      name: 'identifierUri',
      label: URI_LABELS.identifierUri,
      type: 'url',
      wide: true,
      value: current ?? `api://${app.appId}`,
      hint: `The globally unique name of this API; clients ask for its scopes as <Application ID URI>/<scope>. The default, api://${app.appId}, is always free.`,
    });
    const sf = formContext('add-scope', options.failed);
    const scopeFields = html`${textField(sf, { name: 'value', label: SCOPE_LABELS.value, required: true, hint: `No spaces; it appears in the token's scp claim. Full name: ${current ?? `api://${app.appId}`}/<scope name>.` })}
${radioGroup(sf, {
  name: 'type',
  legend: SCOPE_LABELS.type,
  choices: [
    { value: 'User', label: 'Admins and users' },
    { value: 'Admin', label: 'Admins only' },
  ],
  value: 'User',
})}
${textField(sf, { name: 'adminConsentDisplayName', label: SCOPE_LABELS.adminConsentDisplayName, required: true, wide: true, hint: 'e.g. Read the MCP server\'s tools' })}
${textArea(sf, { name: 'adminConsentDescription', label: SCOPE_LABELS.adminConsentDescription, required: true, hint: 'e.g. Allows the app to list and call the MCP server\'s tools on behalf of the signed-in user.' })}
${textField(sf, { name: 'userConsentDisplayName', label: SCOPE_LABELS.userConsentDisplayName, wide: true, hint: 'Shown on the consent page; optional.' })}
${textArea(sf, { name: 'userConsentDescription', label: SCOPE_LABELS.userConsentDescription })}
${radioGroup(sf, {
  name: 'isEnabled',
  legend: SCOPE_LABELS.isEnabled,
  choices: [
    { value: 'true', label: 'Enabled' },
    { value: 'false', label: 'Disabled' },
  ],
  value: 'true',
})}`;
    const scopes = app.api.oauth2PermissionScopes;
    renderAppBlade(res, viewer, app, 'expose-api', {
      labNote: {
        entra: 'App registrations › (your app) › Expose an API: "Application ID URI › Add", then "Add a scope".',
        lab: 'scopes can be added but not edited or deleted here; "Authorized client applications" (pre-authorization) is not modelled.',
      },
      notice: options.notice,
      ...(options.failed ? { status: 400 } : {}),
      body: html`<h2>Application ID URI</h2>
<p>${current ? html`Current: <code id="identifier-uri">${current}</code>` : 'Not set yet. Save the suggested value below (or your own) before you add scopes.'}</p>
${postForm(uf, { action: uriAction, token: viewer.formToken(uriAction), submit: 'Save', submitLabel: 'Save Application ID URI', fields: uriFields })}
<h2>Scopes defined by this API</h2>
${
  scopes.length
    ? html`<table class="grid">
<caption>Scopes (${scopes.length})</caption>
<thead><tr><th scope="col">Scopes</th><th scope="col">Who can consent</th><th scope="col">Admin consent display name</th><th scope="col">User consent display name</th><th scope="col">State</th></tr></thead>
<tbody>
${scopes.map(
  (s) =>
    html`<tr><th scope="row"><code>${current ?? `api://${app.appId}`}/${s.value}</code></th><td>${s.type === 'User' ? 'Admins and users' : 'Admins only'}</td><td>${s.adminConsentDisplayName}</td><td>${s.userConsentDisplayName}</td><td>${s.isEnabled ? 'Enabled' : 'Disabled'}</td></tr>`,
)}
</tbody>
</table>`
    : html`<p>No scopes have been defined.</p>`
}
<h3>Add a scope</h3>
${postForm(sf, { action: scopeAction, token: viewer.formToken(scopeAction), submit: 'Add scope', fields: scopeFields })}`,
    });
  };

  router.get('/apps/:appId/expose-api', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (found) show(res, found.viewer, found.app, { notice: doneNotice(req, NOTICES) });
  });

  router.post('/apps/:appId/expose-api/identifier-uri', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    const values = formValues(req.body);
    const uri = firstValue(values, 'identifierUri').trim();
    try {
      // The first URI is the one the blade shows; any others (set through the API) stay.
      changeApp(lab, found.viewer, found.app, { identifierUris: [uri, ...found.app.identifierUris.slice(1)] });
      res.redirect(303, `${urls.app(found.app.appId, 'expose-api')}?done=uri-saved`);
    } catch (error) {
      const problems = formProblems(error, { identifierUris: 'identifierUri' }, URI_LABELS);
      if (!problems) throw error;
      show(res, found.viewer, found.app, { failed: { id: 'identifier-uri', values, problems } });
    }
  });

  router.post('/apps/:appId/expose-api/scopes', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    const values = formValues(req.body);
    const text = (name: string) => firstValue(values, name);
    try {
      addScope(lab, found.viewer, found.app, {
        value: text('value').trim(),
        type: text('type') === 'Admin' ? 'Admin' : 'User',
        adminConsentDisplayName: text('adminConsentDisplayName'),
        adminConsentDescription: text('adminConsentDescription'),
        userConsentDisplayName: text('userConsentDisplayName'),
        userConsentDescription: text('userConsentDescription'),
        isEnabled: text('isEnabled') !== 'false',
      });
      res.redirect(303, `${urls.app(found.app.appId, 'expose-api')}?done=scope-added`);
    } catch (error) {
      const problems = formProblems(error, SCOPE_FIELDS, SCOPE_LABELS);
      if (!problems) throw error;
      show(res, found.viewer, found.app, { failed: { id: 'add-scope', values, problems } });
    }
  });

  return router;
}
