import express, { type Router } from 'express';
import type { DatabaseSync } from 'node:sqlite';
import { ROUTES } from '../protocol/create-provider.ts';
import { pendingDeviceCodes, type PendingDeviceCode } from '../store/pending-device-codes.ts';

/** A pending code as the admin API lists it: with the page where a person enters it, so no caller builds that route. */
export type ListedDeviceCode = PendingDeviceCode & { verificationUri: string };

/** `GET /_lab/admin/device-codes?tenant=&client=`: device codes waiting for a person. */
export function deviceCodeRoutes(db: DatabaseSync, baseUrl: () => string): Router {
  const router = express.Router();
  router.get('/', (req, res) => {
    const tenantId = typeof req.query.tenant === 'string' ? req.query.tenant : undefined;
    const clientId = typeof req.query.client === 'string' ? req.query.client : undefined;
    const value: ListedDeviceCode[] = pendingDeviceCodes(db, { ...(tenantId ? { tenantId } : {}), ...(clientId ? { clientId } : {}) }).map((code) => ({
      ...code,
      verificationUri: `${baseUrl()}/${code.tenantId}${ROUTES.code_verification}`,
    }));
    res.set('Cache-Control', 'no-store').json({ value });
  });
  return router;
}
