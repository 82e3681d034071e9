import express, { type Response, type Router } from 'express';
import type { AppRegistration } from '../../directory/types.ts';
import { html } from '../../html/escape.ts';
import { appFromRequest, doneNotice, renderEnterpriseBlade } from '../app-page.ts';
import { assignUser, removeUserAssignment } from '../changes/assignment-changes.ts';
import { viewerOf, type PortalDeps, type Viewer } from '../context.ts';
import { firstValue, formContext, formValues, postForm, selectField, type FailedForm } from '../forms.ts';
import { day, renderPortalPage } from '../layout.ts';
import { formProblems } from '../problems.ts';
import { urls } from '../urls.ts';

const NOTICES = {
  assigned: 'Assignment added. The role is in the user\'s next token for this API (a token already issued keeps its old roles until it expires).',
  'already-assigned': 'The user already had that role: nothing changed.',
  removed: 'Assignment removed. The user\'s next token for this API lacks the role.',
};

const LABELS = { user: 'User', role: 'Select a role' };

/**
 * Enterprise applications: each registration's service principal in this
 * tenant, and its "Users and groups" (which user holds which app role —
 * the `roles` claim of that user's tokens for the app).
 */
export function enterpriseAppsRoutes({ lab }: PortalDeps): Router {
  const router = express.Router();

  router.get('/enterprise-apps', (req, res) => {
    const viewer = viewerOf(req);
    // Managed identities are service principals too (no app registration): listed here, as in Entra.
    const apps = lab.directory.apps(viewer.tenant.id, { managedIdentities: true });
    renderPortalPage(res, viewer, {
      h1: 'Enterprise applications',
      section: 'enterprise',
      breadcrumbs: [{ label: 'Home', href: urls.home }, { label: 'Enterprise applications' }],
      labNote: {
        entra: 'Identity › Applications › Enterprise applications › All applications (the service principals in your tenant).',
        lab: 'one per app registration of your tenant, plus the lab\'s managed identities; Microsoft\'s own applications (such as Microsoft Graph) are built in and not listed.',
      },
      body: html`<table class="grid">
<caption>All applications (${apps.length})</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Object ID</th><th scope="col">Application ID</th><th scope="col">Application type</th></tr></thead>
<tbody>
${apps.map(
  (a) =>
    html`<tr><th scope="row"><a href="${urls.enterpriseApp(a.appId)}">${a.displayName}</a></th><td><code>${a.servicePrincipalId}</code></td><td><code>${a.appId}</code></td><td>${a.servicePrincipalType === 'ManagedIdentity' ? 'Managed Identity' : 'Enterprise Application'}</td></tr>`,
)}
</tbody>
</table>`,
    });
  });

  router.get('/enterprise-apps/:appId/overview', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    const { viewer, app } = found;
    renderEnterpriseBlade(res, viewer, app, 'overview', {
      labNote: {
        entra: 'Enterprise applications › (the app) › Overview, section Properties.',
        lab: 'the Object ID is the service principal\'s: the oid of the app\'s own (app-only) tokens.',
      },
      body: html`<h2>Properties</h2>
<dl class="essentials">
<dt>Name</dt><dd>${app.displayName}</dd>
<dt>Application ID</dt><dd><code>${app.appId}</code></dd>
<dt>Object ID</dt><dd><code>${app.servicePrincipalId}</code></dd>
<dt>App registration</dt><dd><a href="${urls.app(app.appId)}">${app.displayName}</a></dd>
</dl>
<h2>Getting started</h2>
<p><a href="${urls.enterpriseApp(app.appId, 'users-and-groups')}">Assign users and groups</a>: give users the app's roles.</p>`,
    });
  });

  const showAssignments = (res: Response, viewer: Viewer, app: AppRegistration, options: { notice?: string | undefined; failed?: FailedForm } = {}) => {
    const assignments = lab.directory.appRoleAssignments({ resourceAppId: app.appId }).filter((a) => a.principalType === 'User');
    const roles = app.appRoles.filter((r) => r.isEnabled && r.allowedMemberTypes.includes('User'));
    const users = lab.directory.users(viewer.tenant.id);
    const addAction = urls.enterpriseApp(app.appId, 'users-and-groups', 'add');
    const f = formContext('add-assignment', options.failed);
    const fields = html`${selectField(f, { name: 'user', label: LABELS.user, choices: users.map((u) => ({ value: u.id, label: `${u.displayName} (${u.userPrincipalName})` })) })}
${selectField(f, { name: 'role', label: LABELS.role, choices: roles.map((r) => ({ value: r.id, label: `${r.displayName} (${r.value})` })) })}`;
    renderEnterpriseBlade(res, viewer, app, 'users-and-groups', {
      labNote: {
        entra: 'Enterprise applications › (the app) › Users and groups › Add user/group, then Select a role › Assign.',
        lab: 'users only (the lab has no groups), one role per assignment; an app without user roles cannot be assigned (Entra would use "Default Access").',
      },
      notice: options.notice,
      ...(options.failed ? { status: 400 } : {}),
      body: html`<p>The users assigned here get the chosen app role in the <code>roles</code> claim of their tokens for ${app.displayName}.</p>
<table class="grid">
<caption>Assignments (${assignments.length})</caption>
<thead><tr><th scope="col">Display name</th><th scope="col">Object type</th><th scope="col">Role assigned</th><th scope="col">Assigned on</th><th scope="col">Action</th></tr></thead>
<tbody>
${assignments.map((a) => {
  const user = lab.directory.user(a.principalId);
  const role = app.appRoles.find((r) => r.id.toLowerCase() === a.appRoleId.toLowerCase());
  const remove = urls.enterpriseApp(app.appId, 'users-and-groups', a.id, 'remove');
  const name = user?.displayName ?? a.principalId;
  return html`<tr><th scope="row">${user ? html`<a href="${urls.user(user.id)}">${name}</a>` : name}</th><td>User</td><td>${role ? html`${role.displayName} (<code>${role.value}</code>)` : a.appRoleId}</td><td>${day(a.createdDateTime)}</td>
<td><form method="post" action="${remove}" class="inline-form"><input type="hidden" name="csrf" value="${viewer.formToken(remove)}"><button type="submit" class="secondary" aria-label="Remove ${role?.value ?? 'role'} from ${name}">Remove</button></form></td></tr>`;
})}
</tbody>
</table>
<h2>Add assignment</h2>
${
  roles.length
    ? postForm(f, { action: addAction, token: viewer.formToken(addAction), submit: 'Assign', submitLabel: 'Assign the role to the user', fields })
    : html`<p>${app.displayName} defines no enabled app role that users can hold. Create one under <a href="${urls.app(app.appId, 'app-roles')}">App registrations › ${app.displayName} › App roles</a> with allowed member types Users/Groups or Both.</p>`
}`,
    });
  };

  router.get('/enterprise-apps/:appId/users-and-groups', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (found) showAssignments(res, found.viewer, found.app, { notice: doneNotice(req, NOTICES) });
  });

  router.post('/enterprise-apps/:appId/users-and-groups/add', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    const { viewer, app } = found;
    const values = formValues(req.body);
    const user = lab.directory.user(firstValue(values, 'user'));
    if (!user || user.tenantId !== viewer.tenant.id) {
      showAssignments(res, viewer, app, {
        failed: { id: 'add-assignment', values, problems: [{ field: 'user', message: `The selected user is not a user of ${viewer.tenant.name}.`, fix: 'Pick a user from the list (reload the page if it changed).' }] },
      });
      return;
    }
    try {
      const created = assignUser(lab, viewer, user, app, firstValue(values, 'role'));
      res.redirect(303, `${urls.enterpriseApp(app.appId, 'users-and-groups')}?done=${created ? 'assigned' : 'already-assigned'}`);
    } catch (error) {
      const problems = formProblems(error, { role: 'role', appRoleId: 'role' }, LABELS);
      if (!problems) throw error;
      showAssignments(res, viewer, app, { failed: { id: 'add-assignment', values, problems } });
    }
  });

  router.post('/enterprise-apps/:appId/users-and-groups/:assignmentId/remove', (req, res) => {
    const found = appFromRequest(lab, req, res);
    if (!found) return;
    try {
      removeUserAssignment(lab, found.viewer, found.app, String(req.params.assignmentId));
      res.redirect(303, `${urls.enterpriseApp(found.app.appId, 'users-and-groups')}?done=removed`);
    } catch (error) {
      const problems = formProblems(error, {});
      if (!problems) throw error;
      showAssignments(res, found.viewer, found.app, { failed: { id: 'add-assignment', values: {}, problems } });
    }
  });

  return router;
}
