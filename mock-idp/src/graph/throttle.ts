import type { RequestHandler } from 'express';
import type { LabContext } from '../protocol/lab-context.ts';
import { graphErrors } from './graph-error.ts';
import { graphLocals } from './graph-locals.ts';

/**
 * The Graph throttling fault: 429 with Retry-After, as Graph answers an app
 * that calls too often. Runs once the token says which tenant and app call.
 */
export function throttle(lab: LabContext): RequestHandler {
  return (_req, res, next) => {
    const { token } = graphLocals(res);
    const seconds = lab.faults.graphThrottle(token?.tenantId, token?.clientId);
    if (seconds !== undefined) throw graphErrors.throttled(seconds);
    next();
  };
}
