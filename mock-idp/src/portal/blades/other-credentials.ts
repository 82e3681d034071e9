import express, { type Response, type Router } from 'express';
import type { AppRegistration } from '../../directory/types.ts';
import { html } from '../../html/escape.ts';
import { appFromRequest, doneNotice, renderAppBlade } from '../app-page.ts';
import { addCertificate, addFederatedCredential, deleteCertificate, deleteFederatedCredential } from '../changes/credential-changes.ts';
import type { PortalDeps, Viewer } from '../context.ts';
import { firstValue, formContext, formValues, postForm, textArea, textField, type FailedForm } from '../forms.ts';
import { day } from '../layout.ts';
import { formProblems } from '../problems.ts';
import { urls } from '../urls.ts';

const NOTICES = {
  'certificate-added': 'Certificate uploaded. The app can now sign client assertions with its private key.',
  'certificate-deleted': 'Certificate deleted. Assertions signed with it now fail with AADSTS700027.',
  'federated-added': 'Federated credential added. Tokens of that issuer and subject are now accepted as this app’s client assertion.',
  'federated-deleted': 'Federated credential deleted. Tokens it trusted now fail with AADSTS70021.',
};

function deleteButton(viewer: Viewer, action: string, label: string) {
  return html`<form method="post" action="${action}" class="inline-form"><input type="hidden" name="csrf" value="${viewer.formToken(action)}"><button type="submit" class="danger" aria-label="${label}">Delete</button></form>`;
}

/**
 * The Certificates and Federated credentials tabs of Certificates & secrets
 * (Client secrets stay on the blade's own page). Each change goes through
 * the admin API's schema and store rules (changes/credential-changes.ts).
 */
export function otherCredentialsRoutes({ lab }: PortalDeps): Router {
  const router = express.Router();

  const showCertificates = (res: Response, viewer: Viewer, app: AppRegistration, options: { notice?: string | undefined; failed?: FailedForm } = {}) => {
    const certificates = lab.credentials.certificates(app.appId);
    const action = urls.app(app.appId, 'credentials', 'certificates', 'add');
    const f = formContext('upload-certificate', options.failed);
    const fields = html`${textArea(f, { name: 'certificate', label: 'Certificate (PEM)', hint: 'The public part only: "-----BEGIN CERTIFICATE-----" … (a .pem, .crt or .cer file’s text). Never the private key.' })}
${textField(f, { name: 'description', label: 'Description', wide: true })}`;
    renderAppBlade(res, viewer, app, 'credentials', {
      labNote: {
        entra: 'App registrations › (your app) › Certificates & secrets › Certificates › Upload certificate.',
        lab: 'paste the PEM instead of choosing a file; `mcp-lab app cert add <appId> --create` makes a key pair and uploads its certificate.',
      },
      notice: options.notice,
      ...(options.failed ? { status: 400 } : {}),
      body: html`<p><a href="${urls.app(app.appId, 'credentials')}">Client secrets</a> · <strong>Certificates</strong> · <a href="${urls.app(app.appId, 'credentials', 'federated')}">Federated credentials</a></p>
<p>A certificate lets the app prove its identity with a signed assertion instead of a secret: only the public certificate is uploaded; the private key never leaves the app. Microsoft recommends certificates over secrets.</p>
<h2>Certificates (${certificates.length})</h2>
${
  certificates.length
    ? html`<table class="grid">
<caption>Certificates of ${app.displayName}</caption>
<thead><tr><th scope="col">Description</th><th scope="col">Thumbprint</th><th scope="col">Start date</th><th scope="col">Expires</th><th scope="col">Certificate ID</th><th scope="col">Action</th></tr></thead>
<tbody>
${certificates.map(
  (c) =>
    html`<tr><th scope="row">${c.displayName}</th><td><code>${c.customKeyIdentifier}</code></td><td>${day(c.startDateTime)}</td><td>${day(c.endDateTime)}</td><td><code>${c.keyId}</code></td><td>${deleteButton(viewer, urls.app(app.appId, 'credentials', 'certificates', c.keyId, 'delete'), `Delete certificate ${c.displayName}`)}</td></tr>`,
)}
</tbody>
</table>`
    : html`<p>No certificates have been added for this application.</p>`
}
<h3>Upload certificate</h3>
${postForm(f, { action, token: viewer.formToken(action), submit: 'Add', submitLabel: 'Upload certificate', fields })}`,
    });
  };

  const showFederated = (res: Response, viewer: Viewer, app: AppRegistration, options: { notice?: string | undefined; failed?: FailedForm } = {}) => {
    const federated = lab.credentials.federated(app.appId);
    const action = urls.app(app.appId, 'credentials', 'federated', 'add');
    const f = formContext('add-federated', options.failed);
    const fields = html`${textField(f, { name: 'issuer', label: 'Issuer', wide: true, hint: 'Exactly the iss of the tokens to trust, e.g. this tenant’s issuer for a managed identity.' })}
${textField(f, { name: 'subject', label: 'Subject identifier', wide: true, hint: 'Exactly their sub: for a managed identity, its object (principal) ID.' })}
${textField(f, { name: 'name', label: 'Name', hint: 'Unique for this app: letters, digits, - and _.' })}
${textField(f, { name: 'audience', label: 'Audience', wide: true, hint: 'api://AzureADTokenExchange (Entra’s recommended value).' })}
${textField(f, { name: 'description', label: 'Description', wide: true })}`;
    renderAppBlade(res, viewer, app, 'credentials', {
      labNote: {
        entra: 'App registrations › (your app) › Certificates & secrets › Federated credentials › Add credential (scenario "Managed identity" or "Other issuer").',
        lab: 'only this lab’s own tenants can be issuers (their keys are here, offline); the lab’s managed identities are listed at /_lab/info.',
      },
      notice: options.notice,
      ...(options.failed ? { status: 400 } : {}),
      body: html`<p><a href="${urls.app(app.appId, 'credentials')}">Client secrets</a> · <a href="${urls.app(app.appId, 'credentials', 'certificates')}">Certificates</a> · <strong>Federated credentials</strong></p>
<p>A federated credential lets a workload use a token from another issuer — such as a managed identity — as this app's credential: no secret or certificate to keep or rotate.</p>
<h2>Federated credentials (${federated.length})</h2>
${
  federated.length
    ? html`<table class="grid">
<caption>Federated credentials of ${app.displayName}</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Issuer</th><th scope="col">Subject</th><th scope="col">Audience</th><th scope="col">Action</th></tr></thead>
<tbody>
${federated.map(
  (c) =>
    html`<tr><th scope="row">${c.name}</th><td><code>${c.issuer}</code></td><td><code>${c.subject}</code></td><td><code>${c.audiences.join(' ')}</code></td><td>${deleteButton(viewer, urls.app(app.appId, 'credentials', 'federated', c.id, 'delete'), `Delete federated credential ${c.name}`)}</td></tr>`,
)}
</tbody>
</table>`
    : html`<p>No federated credentials have been added for this application.</p>`
}
<h3>Add credential</h3>
${postForm(f, { action, token: viewer.formToken(action), submit: 'Add', submitLabel: 'Add federated credential', fields })}`,
    });
  };

  router.get('/apps/:appId/credentials/certificates', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (found) showCertificates(res, found.viewer, found.app, { notice: doneNotice(req, NOTICES) });
  });

  router.post('/apps/:appId/credentials/certificates/add', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    const values = formValues(req.body);
    const description = firstValue(values, 'description').trim();
    try {
      addCertificate(lab, found.viewer, found.app, { certificate: firstValue(values, 'certificate'), ...(description ? { displayName: description } : {}) });
      res.redirect(303, `${urls.app(found.app.appId, 'credentials', 'certificates')}?done=certificate-added`);
    } catch (error) {
      const problems = formProblems(error, { certificate: 'certificate', displayName: 'description' }, { certificate: 'Certificate (PEM)', description: 'Description' });
      if (!problems) throw error;
      // A store refusal (not a PEM, a private key, expired, already there) names no field: it is about the certificate.
      showCertificates(res, found.viewer, found.app, { failed: { id: 'upload-certificate', values, problems: problems.map((p) => ({ ...p, field: p.field ?? 'certificate' })) } });
    }
  });

  router.post('/apps/:appId/credentials/certificates/:keyId/delete', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    deleteCertificate(lab, found.viewer, found.app, String(req.params.keyId));
    res.redirect(303, `${urls.app(found.app.appId, 'credentials', 'certificates')}?done=certificate-deleted`);
  });

  router.get('/apps/:appId/credentials/federated', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (found) showFederated(res, found.viewer, found.app, { notice: doneNotice(req, NOTICES) });
  });

  router.post('/apps/:appId/credentials/federated/add', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    const values = formValues(req.body);
    const audience = firstValue(values, 'audience').trim();
    try {
      addFederatedCredential(lab, found.viewer, found.app, {
        name: firstValue(values, 'name'),
        issuer: firstValue(values, 'issuer').trim(),
        subject: firstValue(values, 'subject').trim(),
        ...(audience ? { audiences: [audience] } : {}),
        description: firstValue(values, 'description'),
      });
      res.redirect(303, `${urls.app(found.app.appId, 'credentials', 'federated')}?done=federated-added`);
    } catch (error) {
      const labels = { name: 'Name', issuer: 'Issuer', subject: 'Subject identifier', audience: 'Audience', description: 'Description' };
      const problems = formProblems(error, { name: 'name', issuer: 'issuer', subject: 'subject', audiences: 'audience', description: 'description' }, labels);
      if (!problems) throw error;
      showFederated(res, found.viewer, found.app, { failed: { id: 'add-federated', values, problems: problems.map((p) => ({ ...p, field: p.field ?? 'name' })) } });
    }
  });

  router.post('/apps/:appId/credentials/federated/:id/delete', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    deleteFederatedCredential(lab, found.viewer, found.app, String(req.params.id));
    res.redirect(303, `${urls.app(found.app.appId, 'credentials', 'federated')}?done=federated-deleted`);
  });

  return router;
}
