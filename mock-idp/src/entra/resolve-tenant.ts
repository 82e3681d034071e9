import type { RequestHandler } from 'express';
import { EntraError } from '../errors/entra-error.ts';
import type { LabContext } from '../protocol/lab-context.ts';
import type { Tenant } from '../directory/types.ts';
import type { EntraLocals } from './entra-locals.ts';

function tenantOrThrow(lab: LabContext, segment: string): Tenant {
  const tenant = lab.directory.tenant(segment);
  if (!tenant) throw new EntraError(90002, { tenant: segment });
  return tenant;
}

/** `/{tenant}/…` for endpoints oidc-provider serves as they are (keys, logout, resume). */
export function requireTenant(lab: LabContext): RequestHandler {
  return (req, res, next) => {
    res.locals.tenantId = tenantOrThrow(lab, String(req.params.tenant ?? '')).id;
    next();
  };
}

/**
 * `/{tenant}/…`: a tenant ID or verified domain, else AADSTS90002; then the
 * request's parameters, for the Entra steps that follow to read and rewrite.
 */
export function resolveTenant(lab: LabContext): RequestHandler {
  return (req, res, next) => {
    const tenant = tenantOrThrow(lab, String(req.params.tenant ?? ''));
    res.locals.tenantId = tenant.id;
    const params = new URLSearchParams();
    const source: unknown = req.method === 'POST' ? req.body : req.query;
    if (source && typeof source === 'object') {
      for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
        for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') params.append(key, v);
      }
    }
    const locals: EntraLocals = { tenant, params, clientAuth: 'public' };
    res.locals.entra = locals;
    next();
  };
}
