import { assignRole } from '../../admin/common/assign-role.ts';
import { assignmentView } from '../../admin/common/assignment-view.ts';
import { notFound } from '../../admin/common/admin-api-error.ts';
import { parseInput } from '../../admin/common/parse-input.ts';
import { RoleAssignmentInput } from '../../admin/common/role-assignment-input.ts';
import { traceAdmin } from '../../admin/common/trace-admin.ts';
import type { AppRegistration, User } from '../../directory/types.ts';
import type { LabContext } from '../../protocol/lab-context.ts';
import { changedBy, type Viewer } from '../context.ts';

/**
 * Enterprise applications › Users and groups › Add assignment: the user
 * route `POST /users/{id}/app-role-assignments` with the same functions.
 * The role is in the user's next token for that API.
 */
export function assignUser(lab: LabContext, viewer: Viewer, user: User, app: AppRegistration, appRoleId: string): boolean {
  const input = parseInput(RoleAssignmentInput, { resourceAppId: app.appId, appRoleId }, { what: 'The form', reference: '' });
  const { assignment, created } = assignRole(lab.directory, { id: user.id, type: 'User' }, input);
  const view = assignmentView(lab.directory, assignment);
  if (created) {
    traceAdmin(lab, `app role ${view.appRoleValue ?? assignment.appRoleId} of ${view.resourceDisplayName ?? assignment.resourceAppId} assigned to ${user.userPrincipalName}`, {
      tenantId: user.tenantId,
      user: { oid: user.id, username: user.userPrincipalName },
      detail: changedBy(viewer),
    });
  }
  return created;
}

/** Remove assignment (`DELETE /users/{id}/app-role-assignments/{assignmentId}`), for an assignment of this app's roles to a user. */
export function removeUserAssignment(lab: LabContext, viewer: Viewer, app: AppRegistration, assignmentId: string): void {
  const assignment = lab.directory
    .appRoleAssignments({ resourceAppId: app.appId })
    .find((a) => a.principalType === 'User' && a.id.toLowerCase() === assignmentId.toLowerCase());
  const user = assignment ? lab.directory.user(assignment.principalId) : undefined;
  if (!assignment || !user) throw notFound('ASSIGNMENT_NOT_FOUND', `"${app.displayName}" has no user assignment ${assignmentId}.`, 'Reload the page.');
  lab.directory.unassignAppRole(assignment.id);
  traceAdmin(lab, `app role assignment removed from ${user.userPrincipalName}`, {
    tenantId: user.tenantId,
    user: { oid: user.id, username: user.userPrincipalName },
    detail: { assignmentId: assignment.id, ...changedBy(viewer) },
  });
}
