import type { z } from 'zod';
import { newRegistration } from '../../admin/apps/app-crud-routes.ts';
import { AppPatchInput, AppRoleInput, NewAppInput, ScopeInput } from '../../admin/apps/app-schemas.ts';
import { checkNewRedirectUri, PLATFORM_LABELS, type Platform } from '../../admin/apps/redirect-uri-rules.ts';
import { assertValidRegistration } from '../../admin/apps/validate-registration.ts';
import { badRequest, notFound } from '../../admin/common/admin-api-error.ts';
import { parseInput } from '../../admin/common/parse-input.ts';
import { traceAdmin } from '../../admin/common/trace-admin.ts';
import type { AppRegistration, AppRole, PermissionScope } from '../../directory/types.ts';
import type { LabContext } from '../../protocol/lab-context.ts';
import { changedBy, type Viewer } from '../context.ts';

/**
 * The portal's changes to a registration. Each is the admin API route's
 * sequence with the admin API's own functions: its input schema, its
 * rules (assertValidRegistration, checkNewRedirectUri), the directory
 * write, and the same `admin` trace event (plus who made it, in `detail`).
 * Refusals are thrown exactly as the API throws them; the blades turn them
 * into form problems.
 */

const PARSE = { what: 'The form', reference: '' };

function trace(lab: LabContext, viewer: Viewer, app: AppRegistration, summary: string, detail: Record<string, unknown> = {}): void {
  traceAdmin(lab, summary, { tenantId: app.tenantId, clientId: app.appId, detail: { ...detail, ...changedBy(viewer) } });
}

/** "New registration" (`POST /apps`), always in the admin's tenant. */
export function registerApp(lab: LabContext, viewer: Viewer, form: { displayName: string; signInAudience: string; platform?: Platform; redirectUri?: string }): AppRegistration {
  const body: Record<string, unknown> = { displayName: form.displayName, signInAudience: form.signInAudience, tenantId: viewer.tenant.id };
  if (form.platform && form.redirectUri !== undefined) body[form.platform] = { redirectUris: [form.redirectUri] };
  const candidate = newRegistration(lab.directory, parseInput(NewAppInput, body, PARSE));
  assertValidRegistration(lab, candidate, 'The registration is not valid');
  const app = lab.directory.createApp(candidate);
  trace(lab, viewer, app, `app registered: ${app.displayName}`);
  return app;
}

/** A change to the registration's own fields (`PATCH /apps/{appId}`): the whole result must pass the rules. */
export function changeApp(lab: LabContext, viewer: Viewer, current: AppRegistration, patchBody: z.input<typeof AppPatchInput>): AppRegistration {
  const patch = parseInput(AppPatchInput, patchBody, PARSE);
  const { api, ...fields } = patch;
  const candidate: AppRegistration = { ...current, ...fields, api: { ...current.api, ...api } };
  assertValidRegistration(lab, candidate, 'The change would make the registration invalid');
  const app = lab.directory.updateApp(current.appId, patch);
  trace(lab, viewer, app, `app changed: ${app.displayName}`, { fields: Object.keys(patch) });
  return app;
}

export function deleteApp(lab: LabContext, viewer: Viewer, app: AppRegistration): void {
  lab.directory.deleteApp(app.appId);
  trace(lab, viewer, app, `app deleted: ${app.displayName}`);
}

/** "Add URI" on a platform (`POST /apps/{appId}/redirect-uris`), with Entra's redirect URI rules. */
export function addRedirectUri(lab: LabContext, viewer: Viewer, app: AppRegistration, platform: Platform, uri: string): void {
  const violation = checkNewRedirectUri(app, platform, uri);
  if (violation) throw badRequest(violation.code, violation.message, violation.fix, 'uri');
  lab.directory.updateApp(app.appId, { [platform]: { redirectUris: [...app[platform].redirectUris, uri] } });
  trace(lab, viewer, app, `redirect URI added to ${app.displayName}: ${uri} (${PLATFORM_LABELS[platform]})`);
}

export function removeRedirectUri(lab: LabContext, viewer: Viewer, app: AppRegistration, platform: Platform, uri: string): void {
  if (!app[platform].redirectUris.includes(uri)) {
    throw notFound('REDIRECT_URI_NOT_FOUND', `${uri} is not a ${PLATFORM_LABELS[platform]} redirect URI of "${app.displayName}".`, 'Reload the page.');
  }
  lab.directory.updateApp(app.appId, { [platform]: { redirectUris: app[platform].redirectUris.filter((u) => u !== uri) } });
  trace(lab, viewer, app, `redirect URI removed from ${app.displayName}: ${uri}`);
}

/** "Add a scope" (`POST /apps/{appId}/scopes`): like the portal, an API gets `api://{appId}` first if it has no Application ID URI. */
export function addScope(lab: LabContext, viewer: Viewer, app: AppRegistration, body: z.input<typeof ScopeInput>): PermissionScope {
  const scope = parseInput(ScopeInput, body, PARSE);
  const identifierUris = app.identifierUris.length > 0 ? app.identifierUris : [`api://${app.appId}`];
  const candidate: AppRegistration = { ...app, identifierUris, api: { ...app.api, oauth2PermissionScopes: [...app.api.oauth2PermissionScopes, scope] } };
  assertValidRegistration(lab, candidate, 'The scope cannot be added');
  lab.directory.updateApp(app.appId, { identifierUris, api: candidate.api });
  trace(lab, viewer, app, `scope added to ${app.displayName}: ${scope.value}`);
  return scope;
}

/** "Create app role" (`POST /apps/{appId}/app-roles`). */
export function addAppRole(lab: LabContext, viewer: Viewer, app: AppRegistration, body: z.input<typeof AppRoleInput>): AppRole {
  const role = parseInput(AppRoleInput, body, PARSE);
  const candidate: AppRegistration = { ...app, appRoles: [...app.appRoles, role] };
  assertValidRegistration(lab, candidate, 'The app role cannot be added');
  lab.directory.updateApp(app.appId, { appRoles: candidate.appRoles });
  trace(lab, viewer, app, `app role added to ${app.displayName}: ${role.value}`);
  return role;
}
