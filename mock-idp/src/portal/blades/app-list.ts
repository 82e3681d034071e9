import express, { type Response, type Router } from 'express';
import { html } from '../../html/escape.ts';
import { doneNotice } from '../app-page.ts';
import { registerApp } from '../changes/app-changes.ts';
import { viewerOf, type PortalDeps, type Viewer } from '../context.ts';
import { firstValue, formContext, formValues, postForm, radioGroup, selectField, textField, type FailedForm, type FormProblem } from '../forms.ts';
import { AUDIENCE_SHORT, audienceChoices, isPlatform, REGISTER_PLATFORM_CHOICES } from '../labels.ts';
import { day, renderPortalPage } from '../layout.ts';
import { formProblems } from '../problems.ts';
import { urls } from '../urls.ts';

const NOTICES = { deleted: 'The app registration was deleted.' };

const LABELS = { displayName: 'Name', signInAudience: 'Supported account types', platform: 'Select a platform', redirectUri: 'Redirect URI' };

/** App registrations: the list, and "New registration" (Entra's "Register an application"). */
export function appListRoutes({ lab }: PortalDeps): Router {
  const router = express.Router();

  router.get('/apps', (req, res) => {
    const viewer = viewerOf(req);
    const apps = lab.directory.apps(viewer.tenant.id);
    renderPortalPage(res, viewer, {
      h1: 'App registrations',
      section: 'apps',
      breadcrumbs: [{ label: 'Home', href: urls.home }, { label: 'App registrations' }],
      labNote: {
        entra: 'Identity › Applications › App registrations › All applications.',
        lab: 'every registration of your tenant is listed (the lab has no owners, so there is no "Owned applications" tab).',
      },
      notice: doneNotice(req, NOTICES),
      body: html`<p class="command-bar"><a class="button primary" href="${urls.newApp}">New registration</a></p>
<table class="grid">
<caption>All applications (${apps.length})</caption>
<thead><tr><th scope="col">Display name</th><th scope="col">Application (client) ID</th><th scope="col">Supported account types</th><th scope="col">Created on</th></tr></thead>
<tbody>
${apps.map(
  (app) => html`<tr><th scope="row"><a href="${urls.app(app.appId)}">${app.displayName}</a></th><td><code>${app.appId}</code></td><td>${AUDIENCE_SHORT[app.signInAudience]}</td><td>${day(app.createdDateTime)}</td></tr>`,
)}
</tbody>
</table>
${apps.length === 0 ? html`<p>No applications yet. Select <strong>New registration</strong> to register one.</p>` : ''}`,
    });
  });

  const showNew = (res: Response, viewer: Viewer, failed?: FailedForm) => {
    const f = formContext('register', failed);
    const fields = html`${textField(f, { name: 'displayName', label: LABELS.displayName, required: true, hint: 'The user-facing display name for this application (this can be changed later).' })}
${radioGroup(f, { name: 'signInAudience', legend: `${LABELS.signInAudience}: who can use this application or access this API?`, choices: audienceChoices(viewer.tenant.name), value: 'AzureADMyOrg' })}
<fieldset class="field">
<legend>Redirect URI (optional)</legend>
<p class="field-hint">We'll return the authentication response to this URI after successfully authenticating the user. Providing this now is optional and it can be changed later, but a value is required for most authentication scenarios.</p>
${selectField(f, { name: 'platform', label: LABELS.platform, choices: REGISTER_PLATFORM_CHOICES })}
${textField(f, { name: 'redirectUri', label: LABELS.redirectUri, type: 'url', wide: true, hint: 'e.g. https://example.com/auth, or http://localhost for a desktop app' })}
</fieldset>
<p class="muted">By proceeding, you agree that this is a lab registration on your own machine.</p>`;
    renderPortalPage(res, viewer, {
      h1: 'Register an application',
      section: 'apps',
      breadcrumbs: [{ label: 'Home', href: urls.home }, { label: 'App registrations', href: urls.apps }, { label: 'Register an application' }],
      labNote: {
        entra: 'App registrations › New registration.',
        lab: 'the personal Microsoft account options are missing (the lab has no personal accounts); the Application (client) ID and Directory (tenant) ID are on the Overview blade you land on next.',
      },
      body: postForm(f, { action: urls.apps, token: viewer.formToken(urls.apps), submit: 'Register', fields }),
      ...(failed ? { status: 400 } : {}),
    });
  };

  router.get('/apps/new', (req, res) => showNew(res, viewerOf(req)));

  router.post('/apps', (req, res) => {
    const viewer = viewerOf(req);
    const values = formValues(req.body);
    const platform = firstValue(values, 'platform');
    const redirectUri = firstValue(values, 'redirectUri');
    const fail = (problems: FormProblem[]) => showNew(res, viewer, { id: 'register', values, problems });
    if (redirectUri.trim() !== '' && !isPlatform(platform)) {
      fail([{ field: 'platform', message: 'A redirect URI belongs to a platform, and none is selected.', fix: 'Select Web, Single-page application (SPA) or Public client/native (mobile & desktop), or clear the redirect URI.' }]);
      return;
    }
    try {
      const app = registerApp(lab, viewer, {
        displayName: firstValue(values, 'displayName'),
        signInAudience: firstValue(values, 'signInAudience'),
        ...(isPlatform(platform) && redirectUri.trim() !== '' ? { platform, redirectUri } : {}),
      });
      res.redirect(303, `${urls.app(app.appId)}?done=registered`);
    } catch (error) {
      const problems = formProblems(error, { displayName: 'displayName', signInAudience: 'signInAudience', redirectUris: 'redirectUri', uri: 'redirectUri' }, LABELS);
      if (!problems) throw error;
      fail(problems);
    }
  });

  return router;
}
