import type { RequestHandler } from 'express';
import type { LabContext } from '../protocol/lab-context.ts';

/**
 * The tenants' published signing keys, read per request (a rotation applies
 * at once): `/{tenant}/discovery/v2.0/keys` (v2.0 metadata) and
 * `/common/discovery/keys`, `/{tenant}/discovery/keys` (v1.0 metadata). One
 * key set serves every tenant, as Entra's keys are shared across tenants.
 */
export function signingKeys(lab: LabContext): RequestHandler {
  return (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ keys: lab.keys.publicKeys() });
  };
}
