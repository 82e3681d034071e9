import express, { type Router } from 'express';
import { html } from '../../html/escape.ts';
import { viewerOf, type PortalDeps } from '../context.ts';
import { renderPortalPage } from '../layout.ts';
import { urls } from '../urls.ts';

/** Home: the tenant's overview, where Entra shows the Tenant ID and primary domain, and the ways in. */
export function homeRoutes({ lab, baseUrl }: PortalDeps): Router {
  const router = express.Router();

  router.get('/', (req, res) => {
    const viewer = viewerOf(req);
    const { tenant } = viewer;
    const apps = lab.directory.apps(tenant.id).length;
    const users = lab.directory.users(tenant.id).length;
    renderPortalPage(res, viewer, {
      h1: `${tenant.name} | Overview`,
      section: 'home',
      breadcrumbs: [{ label: 'Home' }],
      labNote: {
        entra: 'Home › Overview (Identity › Overview) shows the Tenant ID and primary domain.',
        lab: `the tenant's endpoints are on this machine (${baseUrl()}/${tenant.id}/v2.0), not login.microsoftonline.com.`,
      },
      body: html`<h2>Basic information</h2>
<dl class="essentials">
<dt>Name</dt><dd>${tenant.name}</dd>
<dt>Tenant ID</dt><dd><code>${tenant.id}</code></dd>
<dt>Primary domain</dt><dd><code>${tenant.domain}</code></dd>
<dt>Issuer</dt><dd><code>${baseUrl()}/${tenant.id}/v2.0</code></dd>
</dl>
<h2>Manage</h2>
<ul class="tiles">
<li><a href="${urls.apps}">App registrations</a> <span class="muted">(${apps})</span></li>
<li><a href="${urls.enterpriseApps}">Enterprise applications</a></li>
<li><a href="${urls.users}">Users</a> <span class="muted">(${users})</span></li>
</ul>`,
    });
  });

  return router;
}
