import express, { type Router } from 'express';
import type { DatabaseSync } from 'node:sqlite';
import { pendingDeviceCodes } from '../store/pending-device-codes.ts';

/** `GET /_lab/admin/device-codes?tenant=&client=`: device codes waiting for a person. */
export function deviceCodeRoutes(db: DatabaseSync): Router {
  const router = express.Router();
  router.get('/', (req, res) => {
    const tenantId = typeof req.query.tenant === 'string' ? req.query.tenant : undefined;
    const clientId = typeof req.query.client === 'string' ? req.query.client : undefined;
    res.set('Cache-Control', 'no-store').json({ value: pendingDeviceCodes(db, { ...(tenantId ? { tenantId } : {}), ...(clientId ? { clientId } : {}) }) });
  });
  return router;
}
