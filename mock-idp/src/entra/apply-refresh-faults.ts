import type { RequestHandler } from 'express';
import { EntraError } from '../errors/entra-error.ts';
import type { LabContext } from '../protocol/lab-context.ts';
import { entraLocals } from './entra-locals.ts';

/** The "fail the next refresh" fault: the refresh is refused as Entra refuses a revoked one (AADSTS70008). */
export function applyRefreshFaults(lab: LabContext): RequestHandler {
  return (_req, res, next) => {
    const { params, tenant, app } = entraLocals(res);
    if (params.get('grant_type') !== 'refresh_token') return next();
    if (lab.faults.takeRefreshFailure(tenant.id, app?.appId)) {
      lab.trace.emit({ type: 'fault', summary: 'fault: this refresh fails with invalid_grant', tenantId: tenant.id, ...(app ? { clientId: app.appId } : {}), detail: { fault: 'fail-next-refresh' } });
      throw new EntraError(70008);
    }
    next();
  };
}
