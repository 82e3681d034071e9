import express, { type Router } from 'express';
import type { DatabaseSync } from 'node:sqlite';
import { deviceCodeRoutes } from './device-code-routes.ts';
import { requireAdmin } from './require-admin.ts';
import { faultRoutes } from './fault-routes.ts';
import { tokenRoutes } from './token-routes.ts';
import type { LabContext } from '../protocol/lab-context.ts';
import { appRoutes } from './apps/app-routes.ts';
import { userRoutes } from './users/user-routes.ts';
import { adminErrorHandler, adminRouteNotFound } from './common/error-handler.ts';

export interface AdminDeps {
  db: DatabaseSync;
  lab: LabContext;
  token: string;
  tokenPath: string;
  baseUrl: () => string;
}

/**
 * `/_lab/admin`: the lab-only JSON API that the portal, the CLI, the grader
 * and the tests all use. Loopback only, behind the admin token. One router
 * per resource, composed here.
 */
export function adminRoutes(deps: AdminDeps): Router {
  const router = express.Router();
  router.use(requireAdmin(deps.token, deps.tokenPath));
  router.use(express.json({ limit: '256kb' }));
  router.use('/device-codes', deviceCodeRoutes(deps.db, deps.baseUrl));
  router.use('/faults', faultRoutes(deps.lab, deps.db));
  router.use('/tokens', tokenRoutes(deps.lab, deps.baseUrl));
  router.use('/apps', appRoutes(deps.lab));
  router.use('/users', userRoutes(deps.lab));
  // Last: unknown routes and every thrown error answer as { error: { code, message, fix } }.
  router.use(adminRouteNotFound());
  router.use(adminErrorHandler());
  return router;
}
