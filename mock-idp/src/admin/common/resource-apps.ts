import type { AppRegistration, AppRole, PermissionScope } from '../../directory/types.ts';
import { GRAPH_APP_ID, MICROSOFT_GRAPH } from '../../seed/microsoft-graph.ts';
import type { Directory } from '../../store/directory.ts';
import { badRequest, notFound } from './admin-api-error.ts';

/** An API that permissions and roles can name: a stored registration, or the built-in Microsoft Graph. */
export function resourceApp(directory: Directory, resourceAppId: string): AppRegistration | undefined {
  if (resourceAppId.toLowerCase() === GRAPH_APP_ID) return MICROSOFT_GRAPH;
  return directory.app(resourceAppId);
}

/** The API, or a 404 that says how to find it (and spots an Application ID URI used where the appId belongs). */
export function requireResourceApp(directory: Directory, resourceAppId: string): AppRegistration {
  const app = resourceApp(directory, resourceAppId);
  if (app) return app;
  const byUri = directory.appByIdentifierUri(resourceAppId) ?? (resourceAppId.toLowerCase() === MICROSOFT_GRAPH.identifierUris[0] ? MICROSOFT_GRAPH : undefined);
  if (byUri) {
    throw badRequest(
      'RESOURCE_APP_ID_EXPECTED',
      `${resourceAppId} is the Application ID URI of "${byUri.displayName}", not its application (client) ID.`,
      `Send resourceAppId ${byUri.appId}.`,
      'resourceAppId',
    );
  }
  throw notFound(
    'RESOURCE_APP_NOT_FOUND',
    `No API has the application (client) ID ${JSON.stringify(resourceAppId)} in this identity provider.`,
    `Use the appId of a registration (GET /_lab/admin/apps) or Microsoft Graph (${GRAPH_APP_ID}).`,
  );
}

function byValue<T extends { value: string }>(items: T[], value: string): T | undefined {
  return items.find((i) => i.value === value) ?? items.find((i) => i.value.toLowerCase() === value.toLowerCase());
}

/** An app role of the API, by value (`Tools.Read`) or ID, that this kind of principal may hold. */
export function requireAppRole(resource: AppRegistration, wanted: { role?: string | undefined; appRoleId?: string | undefined }, memberType: 'User' | 'Application'): AppRole {
  const candidates = resource.appRoles.filter((r) => r.allowedMemberTypes.includes(memberType));
  const listed = candidates.map((r) => r.value).join(', ') || 'none';
  const role = wanted.appRoleId
    ? resource.appRoles.find((r) => r.id.toLowerCase() === wanted.appRoleId?.toLowerCase())
    : byValue(resource.appRoles, wanted.role ?? '');
  const named = wanted.appRoleId ?? wanted.role ?? '';
  if (!role) {
    throw notFound(
      'APP_ROLE_NOT_FOUND',
      `"${resource.displayName}" defines no app role ${JSON.stringify(named)}.`,
      `Use one of its roles for ${memberType === 'User' ? 'users' : 'applications'}: ${listed}${resource.appId === GRAPH_APP_ID ? '' : `, or add it with POST /_lab/admin/apps/${resource.appId}/app-roles`}.`,
    );
  }
  if (!role.allowedMemberTypes.includes(memberType)) {
    throw badRequest(
      'APP_ROLE_NOT_ALLOWED',
      `The app role ${role.value} of "${resource.displayName}" can be assigned to ${role.allowedMemberTypes.map((t) => (t === 'User' ? 'users' : 'applications')).join(' and ')} only, not to ${memberType === 'User' ? 'users' : 'applications'}.`,
      `Pick one of: ${listed}, or add ${memberType} to the role's allowedMemberTypes with PATCH /_lab/admin/apps/${resource.appId}.`,
      'role',
    );
  }
  return role;
}

/** A delegated permission (scope) of the API, by value (`User.Read`). */
export function requireScope(resource: AppRegistration, value: string): PermissionScope {
  const scope = byValue(resource.api.oauth2PermissionScopes, value);
  if (!scope) {
    const listed = resource.api.oauth2PermissionScopes.map((s) => s.value).join(', ') || 'none';
    throw notFound(
      'SCOPE_NOT_FOUND',
      `"${resource.displayName}" exposes no delegated permission (scope) ${JSON.stringify(value)}.`,
      `Use one of its scopes: ${listed}${resource.appId === GRAPH_APP_ID ? '' : `, or add it with POST /_lab/admin/apps/${resource.appId}/scopes`}.`,
    );
  }
  return scope;
}
