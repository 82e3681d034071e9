import express, { type Response, type Router } from 'express';
import type { Platform } from '../../admin/apps/redirect-uri-rules.ts';
import type { AppRegistration } from '../../directory/types.ts';
import { html } from '../../html/escape.ts';
import { appFromRequest, doneNotice, renderAppBlade } from '../app-page.ts';
import { addRedirectUri, changeApp, removeRedirectUri } from '../changes/app-changes.ts';
import type { PortalDeps, Viewer } from '../context.ts';
import { firstValue, formContext, formValues, postForm, radioGroup, textField, type FailedForm } from '../forms.ts';
import { isPlatform, PLATFORM_LABELS, PLATFORMS } from '../labels.ts';
import { formProblems } from '../problems.ts';
import { urls } from '../urls.ts';

const NOTICES = {
  added: 'Redirect URI added.',
  removed: 'Redirect URI removed.',
  saved: 'Settings saved.',
};

/** What each platform is for, and how the IdP matches its redirect URIs (the lesson behind the choice). */
const PLATFORM_HINTS: Readonly<Record<Platform, string>> = {
  web: 'For apps that run on a server and can keep a secret (confidential clients), e.g. http://localhost:3001/auth/callback. Matched exactly.',
  spa: 'For apps that run in the browser: authorization code flow with PKCE, no secret. Matched exactly.',
  publicClient: 'For desktop, mobile and command-line apps (public clients). http://localhost here matches any port (RFC 8252); custom schemes such as myapp://auth are allowed.',
};

const URI_LABEL = 'Redirect URI';

/**
 * Authentication: the platform configurations with their redirect URIs
 * (added with Entra's rules, by the admin API's own check) and "Allow
 * public client flows".
 */
export function authenticationRoutes({ lab }: PortalDeps): Router {
  const router = express.Router();

  const platformSection = (viewer: Viewer, app: AppRegistration, platform: Platform, failed: FailedForm | undefined) => {
    const label = PLATFORM_LABELS[platform];
    const uris = app[platform].redirectUris;
    const addAction = urls.app(app.appId, 'authentication', platform, 'add');
    const removeAction = urls.app(app.appId, 'authentication', platform, 'remove');
    const f = formContext(`add-${platform}`, failed);
    const fields = textField(f, { name: 'uri', label: `${URI_LABEL} for ${label}`, type: 'url', wide: true, hint: PLATFORM_HINTS[platform] });
    return html`<section class="platform" aria-labelledby="platform-${platform}">
<h3 id="platform-${platform}">${label}</h3>
${
  uris.length
    ? html`<table class="grid">
<caption>${label} redirect URIs (${uris.length})</caption>
<thead><tr><th scope="col">Redirect URI</th><th scope="col">Action</th></tr></thead>
<tbody>
${uris.map(
  (uri) => html`<tr><th scope="row"><code>${uri}</code></th><td><form method="post" action="${removeAction}" class="inline-form"><input type="hidden" name="csrf" value="${viewer.formToken(removeAction)}"><input type="hidden" name="uri" value="${uri}"><button type="submit" class="secondary" aria-label="Remove ${uri} from ${label}">Remove</button></form></td></tr>`,
)}
</tbody>
</table>`
    : html`<p class="muted">No ${label} redirect URIs.</p>`
}
${postForm(f, { action: addAction, token: viewer.formToken(addAction), submit: 'Add URI', submitLabel: `Add URI to ${label}`, fields })}
</section>`;
  };

  const show = (res: Response, viewer: Viewer, app: AppRegistration, options: { notice?: string | undefined; failed?: FailedForm } = {}) => {
    const publicAction = urls.app(app.appId, 'authentication', 'public-client-flows');
    const pf = formContext('public-client-flows', options.failed);
    const publicFields = radioGroup(pf, {
      name: 'allowPublicClient',
      legend: 'Allow public client flows: enable the following mobile and desktop flows (device code, and sign-in without a redirect URI of a public platform)',
      choices: [
        { value: 'yes', label: 'Yes' },
        { value: 'no', label: 'No' },
      ],
      value: app.isFallbackPublicClient ? 'yes' : 'no',
    });
    renderAppBlade(res, viewer, app, 'authentication', {
      labNote: {
        entra: 'App registrations › (your app) › Authentication: "Platform configurations › Add a platform", and "Advanced settings › Allow public client flows".',
        lab: 'all three platforms are always listed (no "Add a platform" panel, no suggested URIs); implicit grant and front-channel logout are not modelled.',
      },
      notice: options.notice,
      ...(options.failed ? { status: 400 } : {}),
      body: html`<h2>Platform configurations</h2>
<p>Redirect URIs tell the identity provider where it may send the user back with a code. A request whose redirect URI is not listed here fails with AADSTS50011.</p>
${PLATFORMS.map((p) => platformSection(viewer, app, p, options.failed))}
<h2>Advanced settings</h2>
<p>Public client flows let an app with no secret sign users in (device code flow, a desktop app). Turn this on for a public client such as a local MCP server.</p>
${postForm(pf, { action: publicAction, token: viewer.formToken(publicAction), submit: 'Save', submitLabel: 'Save "Allow public client flows"', fields: publicFields })}`,
    });
  };

  router.get('/apps/:appId/authentication', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (found) show(res, found.viewer, found.app, { notice: doneNotice(req, NOTICES) });
  });

  router.post('/apps/:appId/authentication/:platform/add', (req, res, next) => {
    const platform = req.params.platform;
    if (!isPlatform(platform)) return next();
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    const values = formValues(req.body);
    try {
      addRedirectUri(lab, found.viewer, found.app, platform, firstValue(values, 'uri'));
      res.redirect(303, `${urls.app(found.app.appId, 'authentication')}?done=added`);
    } catch (error) {
      const problems = formProblems(error, { uri: 'uri' }, { uri: URI_LABEL });
      if (!problems) throw error;
      show(res, found.viewer, found.app, { failed: { id: `add-${platform}`, values, problems } });
    }
  });

  router.post('/apps/:appId/authentication/:platform/remove', (req, res, next) => {
    const platform = req.params.platform;
    if (!isPlatform(platform)) return next();
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    const values = formValues(req.body);
    try {
      removeRedirectUri(lab, found.viewer, found.app, platform, firstValue(values, 'uri'));
      res.redirect(303, `${urls.app(found.app.appId, 'authentication')}?done=removed`);
    } catch (error) {
      const problems = formProblems(error, {});
      if (!problems) throw error;
      show(res, found.viewer, found.app, { failed: { id: `add-${platform}`, values: {}, problems } });
    }
  });

  router.post('/apps/:appId/authentication/public-client-flows', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    const values = formValues(req.body);
    const choice = firstValue(values, 'allowPublicClient');
    if (choice !== 'yes' && choice !== 'no') {
      show(res, found.viewer, found.app, {
        failed: { id: 'public-client-flows', values, problems: [{ field: 'allowPublicClient', message: 'Neither Yes nor No is selected.', fix: 'Select Yes or No, then Save.' }] },
      });
      return;
    }
    changeApp(lab, found.viewer, found.app, { isFallbackPublicClient: choice === 'yes' });
    res.redirect(303, `${urls.app(found.app.appId, 'authentication')}?done=saved`);
  });

  return router;
}
