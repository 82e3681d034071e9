import express, { type Router } from 'express';
import type { LabContext } from '../../protocol/lab-context.ts';
import { notFound } from '../common/admin-api-error.ts';
import { assignRole } from '../common/assign-role.ts';
import { assignmentView } from '../common/assignment-view.ts';
import { parseInput } from '../common/parse-input.ts';
import { traceAdmin } from '../common/trace-admin.ts';
import { RoleAssignmentInput } from '../common/role-assignment-input.ts';
import { requireUser } from './require-user.ts';

/** `/users/{id}/app-role-assignments`: the app roles a user holds (the `roles` claim of their next token). */
export function userRoleAssignmentRoutes(lab: LabContext): Router {
  const { directory } = lab;
  const router = express.Router();

  router.get('/:user/app-role-assignments', (req, res) => {
    const user = requireUser(directory, req.params.user);
    res.set('Cache-Control', 'no-store').json({ value: directory.appRoleAssignments({ principalId: user.id }).map((a) => assignmentView(directory, a)) });
  });

  router.post('/:user/app-role-assignments', (req, res) => {
    const input = parseInput(RoleAssignmentInput, req.body, { what: 'The request body', reference: 'docs/admin-api.md#user-app-role-assignments shows the request body.' });
    const user = requireUser(directory, req.params.user);
    const { assignment, created } = assignRole(directory, { id: user.id, type: 'User' }, input);
    const view = assignmentView(directory, assignment);
    if (created) {
      traceAdmin(lab, `app role ${view.appRoleValue ?? assignment.appRoleId} of ${view.resourceDisplayName ?? assignment.resourceAppId} assigned to ${user.userPrincipalName}`, {
        tenantId: user.tenantId,
        user: { oid: user.id, username: user.userPrincipalName },
      });
    }
    res.status(created ? 201 : 200).json(view);
  });

  router.delete('/:user/app-role-assignments/:assignmentId', (req, res) => {
    const user = requireUser(directory, req.params.user);
    const assignment = directory.appRoleAssignments({ principalId: user.id }).find((a) => a.id.toLowerCase() === req.params.assignmentId.toLowerCase());
    if (!assignment) {
      throw notFound('ASSIGNMENT_NOT_FOUND', `${user.userPrincipalName} holds no app role assignment ${JSON.stringify(req.params.assignmentId)}.`, `List them with GET /_lab/admin/users/${user.id}/app-role-assignments.`);
    }
    directory.unassignAppRole(assignment.id);
    traceAdmin(lab, `app role assignment removed from ${user.userPrincipalName}`, { tenantId: user.tenantId, user: { oid: user.id, username: user.userPrincipalName }, detail: { assignmentId: assignment.id } });
    res.status(204).end();
  });

  return router;
}
