import { grantAdminConsent, type AdminConsentResult } from '../../admin/apps/admin-consent.ts';
import { PermissionInput } from '../../admin/apps/app-schemas.ts';
import { hasPermission, resolvePermission, withPermission } from '../../admin/apps/permission-routes.ts';
import { badRequest, notFound } from '../../admin/common/admin-api-error.ts';
import { parseInput } from '../../admin/common/parse-input.ts';
import { traceAdmin } from '../../admin/common/trace-admin.ts';
import type { AppRegistration } from '../../directory/types.ts';
import type { LabContext } from '../../protocol/lab-context.ts';
import { changedBy, type Viewer } from '../context.ts';

/** One permission as the forms name it: the API's appId and a scope (delegated) or a role (application) value. */
export interface PermissionChoice {
  resourceAppId: string;
  scope?: string;
  role?: string;
}

function trace(lab: LabContext, viewer: Viewer, app: AppRegistration, summary: string, detail: Record<string, unknown> = {}): void {
  traceAdmin(lab, summary, { tenantId: app.tenantId, clientId: app.appId, detail: { ...detail, ...changedBy(viewer) } });
}

/**
 * "Add permissions" (`POST /apps/{appId}/required-resource-access` once per
 * ticked permission). Every choice is resolved first, so a refusal adds
 * none of them. Returns how many were new.
 */
export function addPermissions(lab: LabContext, viewer: Viewer, app: AppRegistration, choices: readonly PermissionChoice[]): number {
  const resolved = choices.map((choice) => resolvePermission(lab, parseInput(PermissionInput, choice, { what: 'The form', reference: '' })));
  let current = app;
  const added: string[] = [];
  for (const { api, access, value } of resolved) {
    if (hasPermission(current, api.appId, access.id)) continue;
    current = { ...current, requiredResourceAccess: withPermission(current.requiredResourceAccess, api.appId, access) };
    added.push(`${api.displayName} ${value} (${access.type === 'Scope' ? 'delegated' : 'application'})`);
  }
  if (added.length === 0) return 0;
  lab.directory.updateApp(app.appId, { requiredResourceAccess: current.requiredResourceAccess });
  for (const what of added) trace(lab, viewer, app, `API permission added to ${app.displayName}: ${what}`);
  return added.length;
}

/** "Remove permission" (`DELETE /apps/{appId}/required-resource-access`); consent already given stays until revoked. */
export function removePermission(lab: LabContext, viewer: Viewer, app: AppRegistration, choice: PermissionChoice): void {
  const input = parseInput(PermissionInput, choice, { what: 'The form', reference: '' });
  const { api, access, value } = resolvePermission(lab, input);
  if (!hasPermission(app, api.appId, access.id)) {
    throw notFound('PERMISSION_NOT_FOUND', `"${app.displayName}" does not list the permission ${value} of "${api.displayName}".`, 'Reload the page.');
  }
  const required = app.requiredResourceAccess
    .map((r) => (r.resourceAppId.toLowerCase() === api.appId.toLowerCase() ? { ...r, resourceAccess: r.resourceAccess.filter((a) => a.id.toLowerCase() !== access.id.toLowerCase()) } : r))
    .filter((r) => r.resourceAccess.length > 0);
  lab.directory.updateApp(app.appId, { requiredResourceAccess: required });
  trace(lab, viewer, app, `API permission removed from ${app.displayName}: ${api.displayName} ${value}`);
}

/** "Grant admin consent for <tenant>" (`POST /apps/{appId}/admin-consent`). */
export function grantConsent(lab: LabContext, viewer: Viewer, app: AppRegistration): AdminConsentResult {
  if (app.requiredResourceAccess.length === 0) {
    throw badRequest('NO_PERMISSIONS_REQUESTED', `"${app.displayName}" lists no API permissions, so there is nothing to consent to.`, 'Add permissions first with "Add a permission".');
  }
  const result = grantAdminConsent(lab.directory, app);
  trace(lab, viewer, app, `admin consent granted for ${app.displayName}`, {
    grants: result.oauth2PermissionGrants.length,
    appRoleAssignments: result.appRoleAssignments.length,
    skipped: result.skipped.length,
  });
  return result;
}

/** "Revoke admin consent" (`DELETE /apps/{appId}/admin-consent`): the tenant-wide delegated grants go. */
export function revokeConsent(lab: LabContext, viewer: Viewer, app: AppRegistration): number {
  const revoked = lab.directory.revokePermissionGrants(app.appId, null);
  trace(lab, viewer, app, `admin consent revoked for ${app.displayName}`, { revoked });
  return revoked;
}
