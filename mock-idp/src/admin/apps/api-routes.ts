import express, { type Router } from 'express';
import type { AppRegistration } from '../../directory/types.ts';
import type { LabContext } from '../../protocol/lab-context.ts';
import { parseInput } from '../common/parse-input.ts';
import { traceAdmin } from '../common/trace-admin.ts';
import { AppRoleInput, ScopeInput } from './app-schemas.ts';
import { requireApp } from './require-app.ts';
import { assertValidRegistration } from './validate-registration.ts';

/** `POST /apps/{appId}/scopes` and `POST /apps/{appId}/app-roles` (the "Expose an API" and "App roles" blades). */
export function apiRoutes(lab: LabContext): Router {
  const { directory } = lab;
  const router = express.Router();

  router.post('/:appId/scopes', (req, res) => {
    const scope = parseInput(ScopeInput, req.body, { what: 'The request body', reference: 'docs/admin-api.md#scopes shows the request body.' });
    const app = requireApp(directory, req.params.appId);
    // Like the portal's "Set" button: an API needs an Application ID URI before it can expose a scope.
    const identifierUris = app.identifierUris.length > 0 ? app.identifierUris : [`api://${app.appId}`];
    const candidate: AppRegistration = { ...app, identifierUris, api: { ...app.api, oauth2PermissionScopes: [...app.api.oauth2PermissionScopes, scope] } };
    assertValidRegistration(lab, candidate, 'The scope cannot be added');
    directory.updateApp(app.appId, { identifierUris, api: candidate.api });
    traceAdmin(lab, `scope added to ${app.displayName}: ${scope.value}`, { tenantId: app.tenantId, clientId: app.appId });
    res.status(201).json({ ...scope, scopeUri: `${identifierUris[0] ?? ''}/${scope.value}` });
  });

  router.post('/:appId/app-roles', (req, res) => {
    const role = parseInput(AppRoleInput, req.body, { what: 'The request body', reference: 'docs/admin-api.md#app-roles shows the request body.' });
    const app = requireApp(directory, req.params.appId);
    const candidate: AppRegistration = { ...app, appRoles: [...app.appRoles, role] };
    assertValidRegistration(lab, candidate, 'The app role cannot be added');
    directory.updateApp(app.appId, { appRoles: candidate.appRoles });
    traceAdmin(lab, `app role added to ${app.displayName}: ${role.value}`, { tenantId: app.tenantId, clientId: app.appId });
    res.status(201).json(role);
  });

  return router;
}
