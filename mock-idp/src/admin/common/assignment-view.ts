import type { AppRoleAssignment } from '../../directory/types.ts';
import type { Directory } from '../../store/directory.ts';
import { resourceApp } from './resource-apps.ts';

/** An app role assignment as Graph shows it (appRoleAssignment), plus the role's value and the API's appId. */
export interface AppRoleAssignmentView {
  id: string;
  principalId: string;
  principalType: 'User' | 'ServicePrincipal';
  principalDisplayName: string | null;
  /** The API's service principal object ID (Graph's resourceId). */
  resourceId: string | null;
  resourceAppId: string;
  resourceDisplayName: string | null;
  appRoleId: string;
  /** What appears in the `roles` claim; null when the API no longer defines the role. */
  appRoleValue: string | null;
  createdDateTime: string;
}

export function assignmentView(directory: Directory, assignment: AppRoleAssignment): AppRoleAssignmentView {
  const resource = resourceApp(directory, assignment.resourceAppId);
  const role = resource?.appRoles.find((r) => r.id.toLowerCase() === assignment.appRoleId.toLowerCase());
  const principalDisplayName =
    assignment.principalType === 'User'
      ? (directory.user(assignment.principalId)?.displayName ?? null)
      : (directory.apps(undefined, { managedIdentities: true }).find((a) => a.servicePrincipalId.toLowerCase() === assignment.principalId.toLowerCase())?.displayName ?? null);
  return {
    id: assignment.id,
    principalId: assignment.principalId,
    principalType: assignment.principalType,
    principalDisplayName,
    resourceId: resource?.servicePrincipalId ?? null,
    resourceAppId: assignment.resourceAppId,
    resourceDisplayName: resource?.displayName ?? null,
    appRoleId: assignment.appRoleId,
    appRoleValue: role?.value ?? null,
    createdDateTime: assignment.createdDateTime,
  };
}
