import express, { type Router } from 'express';
import type { LabContext } from '../../protocol/lab-context.ts';
import { userCrudRoutes } from './user-crud-routes.ts';
import { userRoleAssignmentRoutes } from './user-role-assignment-routes.ts';

/** `/_lab/admin/users`: users and their app role assignments. docs/admin-api.md lists every route. */
export function userRoutes(lab: LabContext): Router {
  const router = express.Router();
  router.use(userCrudRoutes(lab));
  router.use(userRoleAssignmentRoutes(lab));
  return router;
}
