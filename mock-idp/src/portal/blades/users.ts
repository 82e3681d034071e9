import express, { type Router } from 'express';
import { assignmentView } from '../../admin/common/assignment-view.ts';
import { html } from '../../html/escape.ts';
import { renderNotFound } from '../app-page.ts';
import { viewerOf, type PortalDeps } from '../context.ts';
import { day, renderPortalPage } from '../layout.ts';
import { urls } from '../urls.ts';

/** Users: the tenant's users, and one user's profile and app role assignments (read-only; assign under Enterprise applications). */
export function usersRoutes({ lab }: PortalDeps): Router {
  const router = express.Router();

  router.get('/users', (req, res) => {
    const viewer = viewerOf(req);
    const users = lab.directory.users(viewer.tenant.id);
    renderPortalPage(res, viewer, {
      h1: 'Users',
      section: 'users',
      breadcrumbs: [{ label: 'Home', href: urls.home }, { label: 'Users' }],
      labNote: {
        entra: 'Identity › Users › All users.',
        lab: 'users are seeded test accounts (passwords at /_lab/info); create or change them with the admin API or `mcp-lab user`, not here.',
      },
      body: html`<table class="grid">
<caption>All users (${users.length})</caption>
<thead><tr><th scope="col">Display name</th><th scope="col">User principal name</th><th scope="col">User type</th><th scope="col">Account enabled</th><th scope="col">Directory role</th></tr></thead>
<tbody>
${users.map(
  (u) =>
    html`<tr><th scope="row"><a href="${urls.user(u.id)}">${u.displayName}</a></th><td>${u.userPrincipalName}</td><td>Member</td><td>${u.accountEnabled ? 'Yes' : 'No'}</td><td>${u.isAdmin ? 'Global Administrator' : ''}</td></tr>`,
)}
</tbody>
</table>`,
    });
  });

  router.get('/users/:id', (req, res) => {
    const viewer = viewerOf(req);
    const user = lab.directory.user(req.params.id);
    if (!user || user.tenantId !== viewer.tenant.id) {
      renderNotFound(res, viewer, `No user in ${viewer.tenant.name} has the object ID ${req.params.id}.`, { label: 'Users', href: urls.users });
      return;
    }
    const assignments = lab.directory.appRoleAssignments({ principalId: user.id }).map((a) => assignmentView(lab.directory, a));
    renderPortalPage(res, viewer, {
      h1: user.displayName,
      section: 'users',
      breadcrumbs: [{ label: 'Home', href: urls.home }, { label: 'Users', href: urls.users }, { label: user.displayName }],
      labNote: {
        entra: 'Users › (the user) › Overview; their app roles are under Applications.',
        lab: 'the Object ID here is the oid claim of their tokens; app roles are assigned under Enterprise applications › Users and groups.',
      },
      body: html`<h2>Basic info</h2>
<dl class="essentials">
<dt>Display name</dt><dd>${user.displayName}</dd>
<dt>User principal name</dt><dd><code>${user.userPrincipalName}</code></dd>
<dt>Object ID</dt><dd><code>${user.id}</code></dd>
<dt>Job title</dt><dd>${user.jobTitle || '(none)'}</dd>
<dt>Mail</dt><dd>${user.mail}</dd>
<dt>Account enabled</dt><dd>${user.accountEnabled ? 'Yes' : 'No'}</dd>
<dt>Assigned directory roles</dt><dd>${user.isAdmin ? 'Global Administrator' : 'None'}</dd>
</dl>
<h2>Applications</h2>
${
  assignments.length
    ? html`<table class="grid">
<caption>App role assignments of ${user.displayName}</caption>
<thead><tr><th scope="col">Resource</th><th scope="col">App role</th><th scope="col">Assigned on</th></tr></thead>
<tbody>
${assignments.map(
  (a) =>
    html`<tr><th scope="row">${a.resourceAppId && lab.directory.app(a.resourceAppId)?.tenantId === viewer.tenant.id ? html`<a href="${urls.enterpriseApp(a.resourceAppId, 'users-and-groups')}">${a.resourceDisplayName ?? a.resourceAppId}</a>` : (a.resourceDisplayName ?? a.resourceAppId)}</th><td><code>${a.appRoleValue ?? a.appRoleId}</code></td><td>${day(a.createdDateTime)}</td></tr>`,
)}
</tbody>
</table>`
    : html`<p>No app roles are assigned to ${user.displayName}.</p>`
}`,
    });
  });

  return router;
}
