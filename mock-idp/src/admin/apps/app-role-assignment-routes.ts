import express, { type Router } from 'express';
import type { LabContext } from '../../protocol/lab-context.ts';
import { notFound } from '../common/admin-api-error.ts';
import { assignRole } from '../common/assign-role.ts';
import { assignmentView } from '../common/assignment-view.ts';
import { parseInput } from '../common/parse-input.ts';
import { traceAdmin } from '../common/trace-admin.ts';
import { RoleAssignmentInput } from '../common/role-assignment-input.ts';
import { requireApp } from './require-app.ts';

/**
 * `/apps/{appId}/app-role-assignments`: application permissions held by the
 * app's service principal (the `roles` of its app-only tokens). Admin
 * consent assigns the ones on its API permissions blade; these routes
 * assign or remove one directly.
 */
export function appRoleAssignmentRoutes(lab: LabContext): Router {
  const { directory } = lab;
  const router = express.Router();

  router.get('/:appId/app-role-assignments', (req, res) => {
    const app = requireApp(directory, req.params.appId);
    res.set('Cache-Control', 'no-store').json({ value: directory.appRoleAssignments({ principalId: app.servicePrincipalId }).map((a) => assignmentView(directory, a)) });
  });

  router.post('/:appId/app-role-assignments', (req, res) => {
    const input = parseInput(RoleAssignmentInput, req.body, { what: 'The request body', reference: 'docs/admin-api.md#app-role-assignments shows the request body.' });
    const app = requireApp(directory, req.params.appId);
    const { assignment, created } = assignRole(directory, { id: app.servicePrincipalId, type: 'ServicePrincipal' }, input);
    const view = assignmentView(directory, assignment);
    if (created) traceAdmin(lab, `app role ${view.appRoleValue ?? assignment.appRoleId} of ${view.resourceDisplayName ?? assignment.resourceAppId} assigned to ${app.displayName}`, { tenantId: app.tenantId, clientId: app.appId });
    res.status(created ? 201 : 200).json(view);
  });

  router.delete('/:appId/app-role-assignments/:assignmentId', (req, res) => {
    const app = requireApp(directory, req.params.appId);
    const assignment = directory.appRoleAssignments({ principalId: app.servicePrincipalId }).find((a) => a.id.toLowerCase() === req.params.assignmentId.toLowerCase());
    if (!assignment) {
      throw notFound('ASSIGNMENT_NOT_FOUND', `"${app.displayName}" holds no app role assignment ${JSON.stringify(req.params.assignmentId)}.`, `List them with GET /_lab/admin/apps/${app.appId}/app-role-assignments.`);
    }
    directory.unassignAppRole(assignment.id);
    traceAdmin(lab, `app role assignment removed from ${app.displayName}`, { tenantId: app.tenantId, clientId: app.appId, detail: { assignmentId: assignment.id } });
    res.status(204).end();
  });

  return router;
}
