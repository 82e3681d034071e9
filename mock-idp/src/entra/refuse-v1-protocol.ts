import type { RequestHandler } from 'express';
import { EntraError } from '../errors/entra-error.ts';

/**
 * Entra's v1.0 protocol endpoints (`/oauth2/token` with `resource=`): the lab
 * simulates the v2.0 endpoints only. The error says which one to use; the
 * token it gives is the same (the API decides the token version, not the
 * endpoint).
 */
export function refuseV1Protocol(): RequestHandler {
  return (req) => {
    const tenant = String(req.params.tenant ?? '');
    const endpoint = req.path.slice(tenant.length + 1);
    throw new EntraError(9002313, {
      detail:
        `The lab identity provider does not simulate Entra's v1.0 protocol endpoint ${endpoint}. ` +
        `Use /${tenant}${endpoint.replace('/oauth2/', '/oauth2/v2.0/')} with scope={resource}/.default instead of resource={resource}: ` +
        `it issues the same token, whose version the API's requestedAccessTokenVersion decides.`,
    });
  };
}
