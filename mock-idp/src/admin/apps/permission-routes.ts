import express, { type Router } from 'express';
import type { AppRegistration, RequiredResourceAccess } from '../../directory/types.ts';
import type { LabContext } from '../../protocol/lab-context.ts';
import { badRequest, notFound } from '../common/admin-api-error.ts';
import { assignmentView } from '../common/assignment-view.ts';
import { deleteInput } from '../common/delete-input.ts';
import { parseInput } from '../common/parse-input.ts';
import { requireAppRole, requireResourceApp, requireScope, resourceApp } from '../common/resource-apps.ts';
import { traceAdmin } from '../common/trace-admin.ts';
import { grantAdminConsent } from './admin-consent.ts';
import { PermissionInput } from './app-schemas.ts';
import { requireApp } from './require-app.ts';

const REFERENCE = 'docs/admin-api.md#api-permissions shows the request.';

/** One listed permission, resolved from `{ resourceAppId, scope | role }`. */
export function resolvePermission(lab: LabContext, input: { resourceAppId: string; scope?: string | undefined; role?: string | undefined }) {
  const api = requireResourceApp(lab.directory, input.resourceAppId);
  if (input.scope !== undefined) {
    const scope = requireScope(api, input.scope);
    return { api, access: { id: scope.id, type: 'Scope' as const }, value: scope.value };
  }
  const role = requireAppRole(api, { role: input.role }, 'Application');
  return { api, access: { id: role.id, type: 'Role' as const }, value: role.value };
}

export function withPermission(required: RequiredResourceAccess[], resourceAppId: string, access: { id: string; type: 'Scope' | 'Role' }): RequiredResourceAccess[] {
  const found = required.some((r) => r.resourceAppId.toLowerCase() === resourceAppId.toLowerCase());
  if (!found) return [...required, { resourceAppId, resourceAccess: [access] }];
  return required.map((r) => (r.resourceAppId.toLowerCase() === resourceAppId.toLowerCase() ? { ...r, resourceAccess: [...r.resourceAccess, access] } : r));
}

export function hasPermission(app: AppRegistration, resourceAppId: string, id: string): boolean {
  return app.requiredResourceAccess.some((r) => r.resourceAppId.toLowerCase() === resourceAppId.toLowerCase() && r.resourceAccess.some((a) => a.id.toLowerCase() === id.toLowerCase()));
}

/** The API permissions blade: each listed permission with its name and whether admin consent covers it. */
export function permissionList(lab: LabContext, app: AppRegistration) {
  const { directory } = lab;
  return app.requiredResourceAccess.flatMap((entry) => {
    const api = resourceApp(directory, entry.resourceAppId);
    const consented = new Set(directory.permissionGrants({ clientAppId: app.appId, resourceAppId: entry.resourceAppId }).filter((g) => g.consentType === 'AllPrincipals').flatMap((g) => g.scopes));
    const assigned = new Set(directory.appRoleAssignments({ principalId: app.servicePrincipalId, resourceAppId: entry.resourceAppId }).map((a) => a.appRoleId.toLowerCase()));
    return entry.resourceAccess.map((access) => {
      const value =
        access.type === 'Scope'
          ? api?.api.oauth2PermissionScopes.find((s) => s.id.toLowerCase() === access.id.toLowerCase())?.value
          : api?.appRoles.find((r) => r.id.toLowerCase() === access.id.toLowerCase())?.value;
      return {
        resourceAppId: entry.resourceAppId,
        resourceDisplayName: api?.displayName ?? null,
        id: access.id,
        type: access.type,
        value: value ?? null,
        adminConsentGranted: access.type === 'Scope' ? value !== undefined && consented.has(value) : assigned.has(access.id.toLowerCase()),
      };
    });
  });
}


/** `/apps/{appId}/required-resource-access` (API permissions) and `/apps/{appId}/admin-consent`. */
export function permissionRoutes(lab: LabContext): Router {
  const { directory } = lab;
  const router = express.Router();

  router.get('/:appId/required-resource-access', (req, res) => {
    const app = requireApp(directory, req.params.appId);
    res.set('Cache-Control', 'no-store').json({ value: permissionList(lab, app) });
  });

  router.post('/:appId/required-resource-access', (req, res) => {
    const input = parseInput(PermissionInput, req.body, { what: 'The request body', reference: REFERENCE });
    const app = requireApp(directory, req.params.appId);
    const { api, access, value } = resolvePermission(lab, input);
    const body = { resourceAppId: api.appId, resourceDisplayName: api.displayName, ...access, value };
    if (hasPermission(app, api.appId, access.id)) {
      res.status(200).json(body);
      return;
    }
    directory.updateApp(app.appId, { requiredResourceAccess: withPermission(app.requiredResourceAccess, api.appId, access) });
    traceAdmin(lab, `API permission added to ${app.displayName}: ${api.displayName} ${value} (${access.type === 'Scope' ? 'delegated' : 'application'})`, { tenantId: app.tenantId, clientId: app.appId });
    res.status(201).json(body);
  });

  router.delete('/:appId/required-resource-access', (req, res) => {
    const input = parseInput(PermissionInput, deleteInput(req), { what: 'The request', reference: REFERENCE });
    const app = requireApp(directory, req.params.appId);
    const { api, access, value } = resolvePermission(lab, input);
    if (!hasPermission(app, api.appId, access.id)) {
      throw notFound('PERMISSION_NOT_FOUND', `"${app.displayName}" does not list the permission ${value} of "${api.displayName}".`, `List its permissions with GET /_lab/admin/apps/${app.appId}/required-resource-access.`);
    }
    const required = app.requiredResourceAccess
      .map((r) => (r.resourceAppId.toLowerCase() === api.appId.toLowerCase() ? { ...r, resourceAccess: r.resourceAccess.filter((a) => a.id.toLowerCase() !== access.id.toLowerCase()) } : r))
      .filter((r) => r.resourceAccess.length > 0);
    directory.updateApp(app.appId, { requiredResourceAccess: required });
    traceAdmin(lab, `API permission removed from ${app.displayName}: ${api.displayName} ${value}`, { tenantId: app.tenantId, clientId: app.appId });
    res.status(204).end();
  });

  router.post('/:appId/admin-consent', (req, res) => {
    const app = requireApp(directory, req.params.appId);
    if (app.requiredResourceAccess.length === 0) {
      throw badRequest(
        'NO_PERMISSIONS_REQUESTED',
        `"${app.displayName}" lists no API permissions, so there is nothing to consent to.`,
        `Add permissions first with POST /_lab/admin/apps/${app.appId}/required-resource-access.`,
      );
    }
    const result = grantAdminConsent(directory, app);
    traceAdmin(lab, `admin consent granted for ${app.displayName}`, {
      tenantId: app.tenantId,
      clientId: app.appId,
      detail: { grants: result.oauth2PermissionGrants.length, appRoleAssignments: result.appRoleAssignments.length, skipped: result.skipped.length },
    });
    res.json({ ...result, appRoleAssignments: result.appRoleAssignments.map((a) => assignmentView(directory, a)) });
  });

  router.delete('/:appId/admin-consent', (req, res) => {
    const app = requireApp(directory, req.params.appId);
    const revoked = directory.revokePermissionGrants(app.appId, null);
    traceAdmin(lab, `admin consent revoked for ${app.displayName}`, { tenantId: app.tenantId, clientId: app.appId, detail: { revoked } });
    res.json({ revokedGrants: revoked });
  });

  return router;
}
