import express, { type Response, type Router } from 'express';
import { permissionList } from '../../admin/apps/permission-routes.ts';
import { resourceApp } from '../../admin/common/resource-apps.ts';
import type { AppRegistration } from '../../directory/types.ts';
import { html } from '../../html/escape.ts';
import { GRAPH_APP_ID, MICROSOFT_GRAPH } from '../../seed/microsoft-graph.ts';
import { appFromRequest, doneNotice, renderAppBlade } from '../app-page.ts';
import { addPermissions, grantConsent, removePermission, revokeConsent, type PermissionChoice } from '../changes/permission-changes.ts';
import type { PortalDeps, Viewer } from '../context.ts';
import { checkboxGroup, firstValue, formContext, formValues, postForm, type FailedForm, type FormProblem } from '../forms.ts';
import { formProblems } from '../problems.ts';
import { urls } from '../urls.ts';

const NOTICES = {
  added: 'Permissions added. Users still consent to them one by one until you grant admin consent.',
  removed: 'Permission removed. Consent already given for it stays until you revoke it.',
  granted: 'Admin consent granted: nobody in the tenant sees a consent page for these permissions, and application permissions are in the app\'s app-only tokens.',
  revoked: 'Admin consent revoked for the delegated permissions.',
};

/** A permission as the picker's checkbox names it: `Scope:User.Read` or `Role:User.Read.All`. */
function choiceOf(resourceAppId: string, token: string): PermissionChoice | undefined {
  const [kind, ...rest] = token.split(':');
  const value = rest.join(':');
  if (value === '') return undefined;
  if (kind === 'Scope') return { resourceAppId, scope: value };
  if (kind === 'Role') return { resourceAppId, role: value };
  return undefined;
}

/** APIs of this tenant that offer something to ask for: enabled scopes, or roles applications may hold. */
function organizationApis(lab: PortalDeps['lab'], tenantId: string): AppRegistration[] {
  return lab.directory
    .apps(tenantId)
    .filter((a) => a.api.oauth2PermissionScopes.some((s) => s.isEnabled) || a.appRoles.some((r) => r.isEnabled && r.allowedMemberTypes.includes('Application')));
}

/**
 * API permissions: what the app asks for (requiredResourceAccess), whether
 * admin consent covers it, "Add a permission" (Microsoft Graph, or APIs of
 * this organization) and "Grant admin consent for <tenant>".
 */
export function apiPermissionsRoutes({ lab }: PortalDeps): Router {
  const router = express.Router();

  const show = (res: Response, viewer: Viewer, app: AppRegistration, options: { notice?: string | undefined; failed?: FailedForm } = {}) => {
    const tenant = viewer.tenant.name;
    const permissions = permissionList(lab, app);
    const grantAction = urls.app(app.appId, 'api-permissions', 'grant');
    const revokeAction = urls.app(app.appId, 'api-permissions', 'revoke');
    const removeAction = urls.app(app.appId, 'api-permissions', 'remove');
    const gf = formContext('consent', options.failed);
    const rows = permissions.map((p) => {
      const api = resourceApp(lab.directory, p.resourceAppId);
      const scope = p.type === 'Scope' ? api?.api.oauth2PermissionScopes.find((s) => s.id.toLowerCase() === p.id.toLowerCase()) : undefined;
      const role = p.type === 'Role' ? api?.appRoles.find((r) => r.id.toLowerCase() === p.id.toLowerCase()) : undefined;
      const required = p.type === 'Role' || scope?.type === 'Admin';
      const name = p.value ?? `(unknown ${p.id})`;
      const apiName = p.resourceDisplayName ?? `(unknown API ${p.resourceAppId})`;
      return html`<tr><th scope="row">${apiName} · <code>${name}</code></th><td>${p.type === 'Scope' ? 'Delegated' : 'Application'}</td><td>${scope?.adminConsentDisplayName ?? role?.displayName ?? ''}</td>
<td>${required ? 'Yes' : 'No'}</td><td class="${p.adminConsentGranted ? 'granted' : required ? 'warning' : ''}">${p.adminConsentGranted ? `Granted for ${tenant}` : `Not granted for ${tenant}`}</td>
<td>${
        p.value
          ? html`<form method="post" action="${removeAction}" class="inline-form"><input type="hidden" name="csrf" value="${viewer.formToken(removeAction)}"><input type="hidden" name="resourceAppId" value="${p.resourceAppId}"><input type="hidden" name="permission" value="${p.type}:${p.value}"><button type="submit" class="secondary" aria-label="Remove permission ${p.value} of ${apiName}">Remove permission</button></form>`
          : ''
      }</td></tr>`;
    });
    renderAppBlade(res, viewer, app, 'api-permissions', {
      labNote: {
        entra: 'App registrations › (your app) › API permissions: "Add a permission", then "Grant admin consent for <tenant>".',
        lab: 'Microsoft Graph offers only the few permissions the mock Graph serves (User.Read, User.ReadBasic.All, User.Read.All, openid, profile, email, offline_access).',
      },
      notice: options.notice,
      ...(options.failed ? { status: 400 } : {}),
      body: html`<p>Applications are authorized to call APIs when users or admins grant them permissions as part of consent. The list of configured permissions should include all the permissions the application needs.</p>
<p class="command-bar"><a class="button secondary" href="${urls.app(app.appId, 'api-permissions', 'add')}">Add a permission</a></p>
${postForm(gf, { action: grantAction, token: viewer.formToken(grantAction), submit: `Grant admin consent for ${tenant}`, inline: true })}
${
  permissions.length
    ? html`<form method="post" action="${revokeAction}" class="inline-form"><input type="hidden" name="csrf" value="${viewer.formToken(revokeAction)}"><button type="submit" class="secondary">Revoke admin consent</button></form>`
    : ''
}
<table class="grid">
<caption>Configured permissions (${permissions.length})</caption>
<thead><tr><th scope="col">API / Permissions name</th><th scope="col">Type</th><th scope="col">Description</th><th scope="col">Admin consent required</th><th scope="col">Status</th><th scope="col">Action</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${permissions.length === 0 ? html`<p>No permissions added. Select <strong>Add a permission</strong>.</p>` : ''}`,
    });
  };

  const showPicker = (res: Response, viewer: Viewer, app: AppRegistration, apiId: string | undefined, failed?: FailedForm) => {
    const api = apiId ? (apiId.toLowerCase() === GRAPH_APP_ID ? MICROSOFT_GRAPH : organizationApis(lab, viewer.tenant.id).find((a) => a.appId === apiId)) : undefined;
    const base = urls.app(app.appId, 'api-permissions', 'add');
    let body;
    if (!api) {
      const apis = organizationApis(lab, viewer.tenant.id);
      body = html`<h2>Select an API</h2>
<h3>Microsoft APIs</h3>
<ul class="tiles"><li><a href="${base}?api=${GRAPH_APP_ID}">Microsoft Graph</a> <span class="muted">Take advantage of the tremendous amount of data in Office 365, Enterprise Mobility + Security, and Windows 10.</span></li></ul>
<h3>APIs my organization uses</h3>
${
  apis.length
    ? html`<table class="grid"><caption>APIs in ${viewer.tenant.name}</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Application (client) ID</th></tr></thead>
<tbody>${apis.map((a) => html`<tr><th scope="row"><a href="${base}?api=${a.appId}">${a.displayName}</a></th><td><code>${a.appId}</code></td></tr>`)}</tbody></table>`
    : html`<p>No registration in ${viewer.tenant.name} exposes an API yet (Expose an API, or app roles for applications).</p>`
}`;
    } else {
      const listed = new Set(permissionList(lab, app).filter((p) => p.resourceAppId.toLowerCase() === api.appId.toLowerCase() && p.value).map((p) => `${p.type}:${p.value ?? ''}`));
      const f = formContext('add-permissions', failed);
      const scopes = api.api.oauth2PermissionScopes.filter((s) => s.isEnabled);
      const roles = api.appRoles.filter((r) => r.isEnabled && r.allowedMemberTypes.includes('Application'));
      const fields = html`<input type="hidden" name="resourceAppId" value="${api.appId}">
${
  scopes.length
    ? checkboxGroup(f, {
        name: 'delegated',
        legend: 'Delegated permissions: your application needs to access the API as the signed-in user.',
        choices: scopes.map((s) => ({ value: `Scope:${s.value}`, label: s.value, hint: `${s.adminConsentDisplayName}${s.type === 'Admin' ? ' (admin consent required)' : ''}` })),
        checked: [...listed],
      })
    : html`<p class="muted">${api.displayName} offers no delegated permissions.</p>`
}
${
  roles.length
    ? checkboxGroup(f, {
        name: 'application',
        legend: 'Application permissions: your application runs as a background service or daemon without a signed-in user.',
        choices: roles.map((r) => ({ value: `Role:${r.value}`, label: r.value, hint: `${r.displayName} (admin consent required)` })),
        checked: [...listed],
      })
    : html`<p class="muted">${api.displayName} offers no application permissions.</p>`
}`;
      const action = urls.app(app.appId, 'api-permissions', 'add');
      body = html`<p><a href="${base}">All APIs</a></p>
<h2>${api.displayName}</h2>
<p>Application (client) ID <code>${api.appId}</code>${api.identifierUris[0] ? html` · Application ID URI <code>${api.identifierUris[0]}</code>` : ''}</p>
<h3>What type of permissions does your application require?</h3>
${postForm(f, { action, token: viewer.formToken(action), submit: 'Add permissions', fields })}`;
    }
    renderAppBlade(res, viewer, app, 'api-permissions', {
      subpage: 'Request API permissions',
      labNote: {
        entra: 'API permissions › Add a permission opens "Request API permissions" (Microsoft APIs, APIs my organization uses, My APIs).',
        lab: 'Microsoft Graph and this tenant\'s own APIs are offered; there are no other Microsoft APIs.',
      },
      ...(failed ? { status: 400 } : {}),
      body,
    });
  };

  router.get('/apps/:appId/api-permissions', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (found) show(res, found.viewer, found.app, { notice: doneNotice(req, NOTICES) });
  });

  router.get('/apps/:appId/api-permissions/add', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (found) showPicker(res, found.viewer, found.app, typeof req.query.api === 'string' ? req.query.api : undefined);
  });

  router.post('/apps/:appId/api-permissions/add', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    const values = formValues(req.body);
    const resourceAppId = firstValue(values, 'resourceAppId');
    const choices = [...(values.delegated ?? []), ...(values.application ?? [])].map((p) => choiceOf(resourceAppId, p));
    const fail = (problems: FormProblem[]) => showPicker(res, found.viewer, found.app, resourceAppId, { id: 'add-permissions', values, problems });
    if (choices.length === 0 || choices.some((c) => c === undefined)) {
      fail([{ field: values.application && !values.delegated ? 'application' : 'delegated', message: 'No permission is selected.', fix: 'Tick at least one delegated or application permission, then select "Add permissions".' }]);
      return;
    }
    try {
      addPermissions(lab, found.viewer, found.app, choices.filter((c) => c !== undefined));
      res.redirect(303, `${urls.app(found.app.appId, 'api-permissions')}?done=added`);
    } catch (error) {
      const problems = formProblems(error, { scope: 'delegated', role: 'application' }, { delegated: 'Delegated permissions', application: 'Application permissions' });
      if (!problems) throw error;
      fail(problems);
    }
  });

  router.post('/apps/:appId/api-permissions/remove', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    const values = formValues(req.body);
    const choice = choiceOf(firstValue(values, 'resourceAppId'), firstValue(values, 'permission'));
    try {
      if (!choice) throw new TypeError('the remove form always names a permission');
      removePermission(lab, found.viewer, found.app, choice);
      res.redirect(303, `${urls.app(found.app.appId, 'api-permissions')}?done=removed`);
    } catch (error) {
      const problems = formProblems(error, {});
      if (!problems) throw error;
      show(res, found.viewer, found.app, { failed: { id: 'consent', values: {}, problems } });
    }
  });

  router.post('/apps/:appId/api-permissions/grant', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    try {
      const result = grantConsent(lab, found.viewer, found.app);
      if (result.skipped.length === 0) {
        res.redirect(303, `${urls.app(found.app.appId, 'api-permissions')}?done=granted`);
        return;
      }
      // Shown in place (not after a redirect): the reasons come from this grant only.
      const app = lab.directory.app(found.app.appId) ?? found.app;
      show(res, found.viewer, app, { notice: `Admin consent granted, except for ${result.skipped.length} permission(s): ${result.skipped.map((s) => s.reason).join(' ')}` });
    } catch (error) {
      const problems = formProblems(error, {});
      if (!problems) throw error;
      show(res, found.viewer, found.app, { failed: { id: 'consent', values: {}, problems } });
    }
  });

  router.post('/apps/:appId/api-permissions/revoke', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    revokeConsent(lab, found.viewer, found.app);
    res.redirect(303, `${urls.app(found.app.appId, 'api-permissions')}?done=revoked`);
  });

  return router;
}
