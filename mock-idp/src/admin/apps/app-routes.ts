import express, { type Router } from 'express';
import type { LabContext } from '../../protocol/lab-context.ts';
import { apiRoutes } from './api-routes.ts';
import { appCrudRoutes } from './app-crud-routes.ts';
import { appRoleAssignmentRoutes } from './app-role-assignment-routes.ts';
import { manifestRoutes } from './manifest-routes.ts';
import { permissionRoutes } from './permission-routes.ts';
import { redirectUriRoutes } from './redirect-uri-routes.ts';
import { secretRoutes } from './secret-routes.ts';
import { certificateRoutes } from './certificate-routes.ts';
import { federatedCredentialRoutes } from './federated-credential-routes.ts';

/** `/_lab/admin/apps`: app registrations and everything on their blades. docs/admin-api.md lists every route. */
export function appRoutes(lab: LabContext): Router {
  const router = express.Router();
  // First, so that `/import` is never read as an appId.
  router.use(manifestRoutes(lab));
  router.use(appCrudRoutes(lab));
  router.use(secretRoutes(lab));
  router.use(certificateRoutes(lab));
  router.use(federatedCredentialRoutes(lab));
  router.use(redirectUriRoutes(lab));
  router.use(apiRoutes(lab));
  router.use(permissionRoutes(lab));
  router.use(appRoleAssignmentRoutes(lab));
  return router;
}
