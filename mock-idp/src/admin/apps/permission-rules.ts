import type { RequiredResourceAccess } from '../../directory/types.ts';
import type { Directory } from '../../store/directory.ts';
import type { ProblemDetail } from '../common/admin-api-error.ts';
import { resourceApp } from '../common/resource-apps.ts';
import type { RegistrationShape } from './registration-rules.ts';

/**
 * API permissions that name nothing: an unknown API, a scope or role ID the
 * API does not define, or an application permission on a role that apps may
 * not hold. `self` is the registration being written: an app may ask for
 * permissions on its own API (a SPA and its API in one registration).
 */
export function requiredResourceAccessProblems(directory: Directory, required: readonly RequiredResourceAccess[], self: RegistrationShape & { displayName: string }): ProblemDetail[] {
  const problems: ProblemDetail[] = [];
  const seen = new Set<string>();
  required.forEach((entry, i) => {
    const path = `requiredResourceAccess[${i}]`;
    const key = entry.resourceAppId.toLowerCase();
    if (seen.has(key)) {
      problems.push({ path: `${path}.resourceAppId`, code: 'PERMISSION_RESOURCE_DUPLICATE', message: `The API ${entry.resourceAppId} is listed twice.`, fix: 'Merge the two entries into one resourceAccess list.' });
    }
    seen.add(key);
    const api = key === self.appId.toLowerCase() ? self : resourceApp(directory, entry.resourceAppId);
    if (!api) {
      problems.push({
        path: `${path}.resourceAppId`,
        code: 'RESOURCE_APP_NOT_FOUND',
        message: `No API has the application (client) ID ${entry.resourceAppId} in this identity provider.`,
        fix: 'Use the appId of a registration (GET /_lab/admin/apps) or of Microsoft Graph (00000003-0000-0000-c000-000000000000).',
      });
      return;
    }
    const name = api.displayName;
    entry.resourceAccess.forEach((access, j) => {
      const at = `${path}.resourceAccess[${j}].id`;
      if (access.type === 'Scope') {
        if (!api.api.oauth2PermissionScopes.some((s) => s.id.toLowerCase() === access.id.toLowerCase())) {
          problems.push({ path: at, code: 'SCOPE_NOT_FOUND', message: `"${name}" exposes no delegated permission with ID ${access.id}.`, fix: `Use one of: ${api.api.oauth2PermissionScopes.map((s) => `${s.value} (${s.id})`).join(', ') || 'none'}.` });
        }
        return;
      }
      const role = api.appRoles.find((r) => r.id.toLowerCase() === access.id.toLowerCase());
      if (!role || !role.allowedMemberTypes.includes('Application')) {
        const roles = api.appRoles.filter((r) => r.allowedMemberTypes.includes('Application'));
        problems.push({
          path: at,
          code: role ? 'APP_ROLE_NOT_ALLOWED' : 'APP_ROLE_NOT_FOUND',
          message: role ? `The app role ${role.value} of "${name}" cannot be held by applications, so it is not an application permission.` : `"${name}" defines no app role with ID ${access.id}.`,
          fix: `Use one of its application permissions: ${roles.map((r) => `${r.value} (${r.id})`).join(', ') || 'none'}.`,
        });
      }
    });
  });
  return problems;
}
