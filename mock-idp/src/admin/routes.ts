import express, { type Router } from 'express';
import type { DatabaseSync } from 'node:sqlite';
import { pendingDeviceCodes } from '../store/pending-device-codes.ts';
import { requireAdmin } from './require-admin.ts';

export interface AdminDeps {
  db: DatabaseSync;
  token: string;
  tokenPath: string;
}

/** `/_lab/admin`: lab-only JSON API for tooling (grader, CLI, tests). */
export function adminRoutes({ db, token, tokenPath }: AdminDeps): Router {
  const router = express.Router();
  router.use(requireAdmin(token, tokenPath));
  router.get('/device-codes', (req, res) => {
    const tenantId = typeof req.query.tenant === 'string' ? req.query.tenant : undefined;
    const clientId = typeof req.query.client === 'string' ? req.query.client : undefined;
    res.set('Cache-Control', 'no-store').json({ value: pendingDeviceCodes(db, { ...(tenantId ? { tenantId } : {}), ...(clientId ? { clientId } : {}) }) });
  });
  return router;
}
