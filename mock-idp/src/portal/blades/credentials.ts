import express, { type Response, type Router } from 'express';
import type { AppRegistration, SecretCredential } from '../../directory/types.ts';
import { html } from '../../html/escape.ts';
import { appFromRequest, doneNotice, renderAppBlade } from '../app-page.ts';
import { addSecret, deleteSecret } from '../changes/secret-changes.ts';
import type { PortalDeps, Viewer } from '../context.ts';
import { firstValue, formContext, formValues, postForm, selectField, textField, type FailedForm, type FormProblem } from '../forms.ts';
import { day } from '../layout.ts';
import { formProblems } from '../problems.ts';
import { SecretReveals } from '../secret-reveals.ts';
import { urls } from '../urls.ts';

const NOTICES = {
  deleted: 'Client secret deleted. Apps still using it now fail with AADSTS7000215.',
  shown: 'The new client secret was added. Its value was shown once and cannot be shown again: if you did not copy it, delete it and add a new one.',
};

/** Entra's "Expires" choices; 180 days is its recommendation and the default. */
const EXPIRY_CHOICES = [
  { value: '180', label: 'Recommended: 180 days (6 months)' },
  { value: '90', label: '90 days (3 months)' },
  { value: '365', label: '365 days (12 months)' },
  { value: '545', label: '545 days (18 months)' },
  { value: '730', label: '730 days (24 months)' },
  { value: 'custom', label: 'Custom' },
] as const;

const LABELS = { description: 'Description', expires: 'Expires', end: 'Custom end date' };

/** How the list shows a secret: its first characters only, as Entra does. */
function masked(secret: SecretCredential): string {
  return `${secret.hint}${'*'.repeat(13)}`;
}

/**
 * Certificates & secrets. A new secret's value is on exactly one page: the
 * GET the POST that made it redirects to, once (POST/redirect/GET: a reload
 * cannot add a second secret; never cached, never traced). Every other page,
 * and that page reloaded, shows its hint only.
 */
export function credentialsRoutes({ lab }: PortalDeps): Router {
  const router = express.Router();
  const reveals = new SecretReveals();

  const show = (res: Response, viewer: Viewer, app: AppRegistration, options: { notice?: string | undefined; failed?: FailedForm; created?: { credential: SecretCredential; secretText: string } } = {}) => {
    const secrets = lab.directory.secrets(app.appId);
    const addAction = urls.app(app.appId, 'credentials', 'add');
    const f = formContext('new-secret', options.failed);
    const fields = html`${textField(f, { name: 'description', label: LABELS.description, wide: true, hint: 'What the secret is for, e.g. "lab 03 web server". Shown in the list; the value never is.' })}
${selectField(f, { name: 'expires', label: LABELS.expires, choices: EXPIRY_CHOICES, value: '180' })}
${textField(f, { name: 'end', label: LABELS.end, type: 'date', hint: 'Only for "Custom": the last day the secret works (at most 24 months from today).' })}`;
    const created = options.created;
    renderAppBlade(res, viewer, app, 'credentials', {
      labNote: {
        entra: 'App registrations › (your app) › Certificates & secrets › Client secrets › New client secret.',
        lab: 'the tabs are separate pages here; a secret’s value is shown once, here, and the IdP keeps only a keyed hash of it.',
      },
      notice: options.notice,
      ...(options.failed ? { status: 400 } : {}),
      ...(created ? { copyScript: true } : {}),
      body: html`${
        created
          ? html`<section class="secret-once" aria-labelledby="new-secret-heading">
<h2 id="new-secret-heading">Copy the new client secret value now</h2>
<p role="status"><strong>Client secret values cannot be viewed, except for immediately after creation. Be sure to save the secret when created before leaving the page.</strong> You won't see it again: after you leave or reload this page only its first characters are shown.</p>
<dl class="essentials">
<dt>Description</dt><dd>${created.credential.displayName || '(none)'}</dd>
<dt>Value</dt><dd><code id="new-secret-value">${created.secretText}</code> <button type="button" class="secondary" data-copy="new-secret-value" data-status="new-secret-copied" hidden>Copy the client secret value</button> <span id="new-secret-copied" role="status"></span></dd>
<dt>Secret ID</dt><dd><code>${created.credential.keyId}</code></dd>
<dt>Expires</dt><dd>${day(created.credential.endDateTime)}</dd>
</dl>
<p>Put the value in the app's configuration (for example <code>CLIENT_SECRET</code> in its <code>.env</code>, which git ignores), never in source code.</p>
</section>`
          : ''
      }
<p>Credentials let a confidential application prove its identity when it asks for tokens. A client secret is a password for the app: anyone who has it can act as the app.</p>
<h2>Certificates (${lab.credentials.certificates(app.appId).length})</h2>
<p><a href="${urls.app(app.appId, 'credentials', 'certificates')}">Certificates: upload or delete</a> (recommended over secrets).</p>
<h2>Client secrets (${secrets.length})</h2>
${
  secrets.length
    ? html`<table class="grid">
<caption>Client secrets of ${app.displayName}</caption>
<thead><tr><th scope="col">Description</th><th scope="col">Expires</th><th scope="col">Value</th><th scope="col">Secret ID</th><th scope="col">Action</th></tr></thead>
<tbody>
${secrets.map((s) => {
  const del = urls.app(app.appId, 'credentials', s.keyId, 'delete');
  return html`<tr><th scope="row">${s.displayName || '(no description)'}</th><td>${day(s.endDateTime)}</td><td><code>${masked(s)}</code></td><td><code>${s.keyId}</code></td>
<td><form method="post" action="${del}" class="inline-form"><input type="hidden" name="csrf" value="${viewer.formToken(del)}"><button type="submit" class="danger" aria-label="Delete client secret ${s.displayName || s.keyId}">Delete</button></form></td></tr>`;
})}
</tbody>
</table>`
    : html`<p>No client secrets have been created for this application.</p>`
}
<h3>New client secret</h3>
${postForm(f, { action: addAction, token: viewer.formToken(addAction), submit: 'Add', submitLabel: 'Add client secret', fields })}
<h2>Federated credentials (${lab.credentials.federated(app.appId).length})</h2>
<p><a href="${urls.app(app.appId, 'credentials', 'federated')}">Federated credentials: add or delete</a>. In production prefer them, or a managed identity, over secrets.</p>`,
    });
  };

  router.get('/apps/:appId/credentials', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    const created = req.query.created === undefined ? undefined : reveals.take(req.query.created, found.viewer.session.sid, found.app.appId);
    if (created) show(res, found.viewer, found.app, { created });
    // A reload of the page that showed the value (or a stale link): the value is gone, and the page says so.
    else show(res, found.viewer, found.app, { notice: req.query.created === undefined ? doneNotice(req, NOTICES) : NOTICES.shown });
  });

  router.post('/apps/:appId/credentials/add', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    const values = formValues(req.body);
    const fail = (problems: FormProblem[]) => show(res, found.viewer, found.app, { failed: { id: 'new-secret', values, problems } });
    const expires = firstValue(values, 'expires');
    const end = firstValue(values, 'end').trim();
    let lifetime: { expiresInDays: number } | { endDateTime: string };
    if (expires === 'custom') {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(end) || Number.isNaN(Date.parse(end))) {
        fail([{ field: 'end', message: 'A custom expiry needs an end date, and none (or no valid date) was given.', fix: 'Enter the last day the secret should work, such as 2027-01-31, or pick one of the listed lifetimes.' }]);
        return;
      }
      // The whole chosen day counts, as the portal's date picker suggests.
      lifetime = { endDateTime: `${end}T23:59:59Z` };
    } else if (EXPIRY_CHOICES.some((c) => c.value === expires)) {
      lifetime = { expiresInDays: Number(expires) };
    } else {
      fail([{ field: 'expires', message: 'The expiry is not one of the listed choices.', fix: 'Pick one of the listed lifetimes (180 days is recommended), or Custom with an end date.' }]);
      return;
    }
    try {
      const created = addSecret(lab, found.viewer, found.app, { displayName: firstValue(values, 'description'), ...lifetime });
      const id = reveals.put({ sid: found.viewer.session.sid, appId: found.app.appId, ...created });
      res.redirect(303, `${urls.app(found.app.appId, 'credentials')}?created=${id}`);
    } catch (error) {
      const problems = formProblems(error, { displayName: 'description', endDateTime: 'end', expiresInDays: 'expires' }, LABELS);
      if (!problems) throw error;
      fail(problems);
    }
  });

  router.post('/apps/:appId/credentials/:keyId/delete', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    try {
      deleteSecret(lab, found.viewer, found.app, String(req.params.keyId));
      res.redirect(303, `${urls.app(found.app.appId, 'credentials')}?done=deleted`);
    } catch (error) {
      const problems = formProblems(error, {});
      if (!problems) throw error;
      show(res, found.viewer, found.app, { failed: { id: 'new-secret', values: {}, problems } });
    }
  });

  return router;
}
