import type { AppRoleAssignment } from '../../directory/types.ts';
import type { Directory } from '../../store/directory.ts';
import { requireAppRole, requireResourceApp } from './resource-apps.ts';

/**
 * Assigns an app role, named by value or ID, to a user or to an app's
 * service principal. `created` is false when the principal already held
 * the role (the directory returns the existing assignment).
 */
export function assignRole(
  directory: Directory,
  principal: { id: string; type: 'User' | 'ServicePrincipal' },
  input: { resourceAppId: string; role?: string | undefined; appRoleId?: string | undefined },
): { assignment: AppRoleAssignment; created: boolean } {
  const api = requireResourceApp(directory, input.resourceAppId);
  const role = requireAppRole(api, { role: input.role, appRoleId: input.appRoleId }, principal.type === 'User' ? 'User' : 'Application');
  const before = directory.appRoleAssignments({ principalId: principal.id, resourceAppId: api.appId }).some((a) => a.appRoleId.toLowerCase() === role.id.toLowerCase());
  const assignment = directory.assignAppRole({ principalId: principal.id, principalType: principal.type, resourceAppId: api.appId, appRoleId: role.id });
  return { assignment, created: !before };
}
