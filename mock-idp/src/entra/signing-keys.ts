import type { RequestHandler } from 'express';
import type { LabContext } from '../protocol/lab-context.ts';
import { v2Issuer } from '../protocol/token-version.ts';
import { traceRead } from './trace-read.ts';

/**
 * The tenants' published signing keys, read per request (a rotation applies
 * at once): `/{tenant}/discovery/v2.0/keys` (v2.0 metadata) and
 * `/common/discovery/keys`, `/{tenant}/discovery/keys` (v1.0 metadata). One
 * key set serves every tenant, as Entra's keys are shared across tenants.
 * Each key carries its certificate (`x5c`) and thumbprint (`x5t`), as Entra's do.
 */
export function signingKeys(lab: LabContext, baseUrl: () => string, options: { withIssuer: boolean }): RequestHandler {
  return (req, res) => {
    const keys = lab.keys.publicKeys();
    // Entra's v2.0 key set names, per key, the issuer whose tokens it signs (libraries use it to
    // tell clouds and tenants apart); its v1.0 key set does not.
    const tenantId = typeof res.locals.tenantId === 'string' ? res.locals.tenantId : undefined;
    const published = options.withIssuer && tenantId ? keys.map((k) => ({ ...k, issuer: v2Issuer(baseUrl(), tenantId) })) : keys;
    res.set('Cache-Control', 'no-store').json({ keys: published });
    traceRead(lab.trace, req, res, 'jwks');
  };
}
