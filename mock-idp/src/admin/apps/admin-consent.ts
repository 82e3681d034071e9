import type { AppRegistration, AppRoleAssignment, PermissionGrant } from '../../directory/types.ts';
import type { Directory } from '../../store/directory.ts';
import { resourceApp } from '../common/resource-apps.ts';

export interface SkippedPermission {
  resourceAppId: string;
  id: string;
  type: 'Scope' | 'Role';
  reason: string;
}

export interface AdminConsentResult {
  /** One tenant-wide grant (consentType AllPrincipals) per API with delegated permissions. */
  oauth2PermissionGrants: PermissionGrant[];
  /** Application permissions, as app roles assigned to the app's service principal. */
  appRoleAssignments: AppRoleAssignment[];
  /** Listed permissions that could not be granted, and why. */
  skipped: SkippedPermission[];
}

/**
 * "Grant admin consent for <tenant>": every delegated permission on the API
 * permissions blade is granted for all users (no consent prompt for anyone),
 * and every application permission is assigned to the app's service
 * principal (so it appears in app-only tokens' `roles`). One transaction.
 */
export function grantAdminConsent(directory: Directory, app: AppRegistration): AdminConsentResult {
  return directory.transaction(() => {
    const result: AdminConsentResult = { oauth2PermissionGrants: [], appRoleAssignments: [], skipped: [] };
    for (const entry of app.requiredResourceAccess) {
      const api = resourceApp(directory, entry.resourceAppId);
      const scopes: string[] = [];
      for (const access of entry.resourceAccess) {
        const skip = (reason: string) => result.skipped.push({ resourceAppId: entry.resourceAppId, id: access.id, type: access.type, reason });
        if (!api) {
          skip('No API with this application ID exists in this identity provider.');
          continue;
        }
        if (access.type === 'Scope') {
          const scope = api.api.oauth2PermissionScopes.find((s) => s.id.toLowerCase() === access.id.toLowerCase());
          if (!scope) skip(`"${api.displayName}" exposes no scope with this ID.`);
          else if (!scope.isEnabled) skip(`The scope ${scope.value} of "${api.displayName}" is disabled.`);
          else scopes.push(scope.value);
          continue;
        }
        const role = api.appRoles.find((r) => r.id.toLowerCase() === access.id.toLowerCase());
        if (!role) skip(`"${api.displayName}" defines no app role with this ID.`);
        else if (!role.isEnabled) skip(`The app role ${role.value} of "${api.displayName}" is disabled.`);
        else if (!role.allowedMemberTypes.includes('Application')) skip(`The app role ${role.value} of "${api.displayName}" cannot be held by applications.`);
        else {
          result.appRoleAssignments.push(
            directory.assignAppRole({ principalId: app.servicePrincipalId, principalType: 'ServicePrincipal', resourceAppId: api.appId, appRoleId: role.id }),
          );
        }
      }
      if (api && scopes.length > 0) {
        result.oauth2PermissionGrants.push(directory.grantPermission({ clientAppId: app.appId, consentType: 'AllPrincipals', principalId: null, resourceAppId: api.appId, scopes }));
      }
    }
    return result;
  });
}
