import { timingSafeEqual } from 'node:crypto';
import express, { type Response, type Router } from 'express';
import { EntraError } from '../errors/entra-error.ts';
import type { LabContext } from '../protocol/lab-context.ts';
import { resolveScopes } from '../protocol/resources.ts';
import { managedIdentities, type ManagedIdentity } from '../seed/managed-identities.ts';
import { identityHeader } from './identity-header.ts';
import { managedIdentityToken, TOKEN_EXCHANGE, type MiAudience } from './mi-token.ts';

/** The path of the endpoint; `IDENTITY_ENDPOINT` is `{baseUrl}` + this. */
export const MANAGED_IDENTITY_PATH = '/_lab/managed-identity/token';

/** App Service's error shape (`statusCode`, `message`), plus OAuth's `error`/`error_description`, which MSAL reads. */
function refuse(res: Response, status: number, error: string, message: string): void {
  res.status(status).set('Cache-Control', 'no-store').json({ statusCode: status, message, error, error_description: message });
}

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Which identity: none named is the system-assigned one; a user-assigned one by client ID, object (principal) ID or resource ID. */
function pickIdentity(query: Record<string, unknown>): ManagedIdentity | undefined {
  const all = managedIdentities();
  const byClient = typeof query.client_id === 'string' ? query.client_id.toLowerCase() : undefined;
  const byObject = typeof query.object_id === 'string' ? query.object_id.toLowerCase() : typeof query.principal_id === 'string' ? query.principal_id.toLowerCase() : undefined;
  const byResource = typeof query.mi_res_id === 'string' ? query.mi_res_id.toLowerCase() : undefined;
  if (!byClient && !byObject && !byResource) return all.find((m) => m.type === 'SystemAssigned');
  return all.find((m) => m.type === 'UserAssigned' && (m.clientId === byClient || m.objectId === byObject || m.resourceId.toLowerCase() === byResource));
}

/**
 * A managed identity endpoint as Azure App Service runs one (api-version
 * 2019-08-01): `GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=…`
 * with `X-IDENTITY-HEADER: {IDENTITY_HEADER}`, answering `access_token`,
 * `expires_on`, `resource`, `token_type`, `client_id`. @azure/identity's
 * ManagedIdentityCredential and MSAL Node's ManagedIdentityApplication use
 * it unmodified when those two variables are set (see /_lab/info).
 */
export function managedIdentityRoutes(lab: LabContext, baseUrl: () => string): Router {
  const router = express.Router();
  router.get(MANAGED_IDENTITY_PATH, async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const header = req.get('x-identity-header') ?? '';
    if (!header || !sameSecret(header, identityHeader(lab.directory))) {
      refuse(res, 401, 'unauthorized', 'The X-IDENTITY-HEADER header is missing or wrong. Set IDENTITY_HEADER to the value GET /_lab/info lists under managedIdentity.env.');
      return;
    }
    const query = req.query as Record<string, unknown>;
    if (query['api-version'] !== '2019-08-01') {
      refuse(res, 400, 'invalid_request', "api-version must be 2019-08-01 (App Service's managed identity API).");
      return;
    }
    const resource = typeof query.resource === 'string' ? query.resource.trim().replace(/\/+$/, '') : '';
    if (!resource) {
      refuse(res, 400, 'invalid_request', "The 'resource' parameter is missing: the API to get a token for, e.g. https://graph.microsoft.com or api://AzureADTokenExchange.");
      return;
    }
    const mi = pickIdentity(query);
    if (!mi) {
      refuse(res, 400, 'invalid_request', 'No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.');
      return;
    }
    let audience: MiAudience;
    if (resource.toLowerCase() === TOKEN_EXCHANGE.toLowerCase()) {
      audience = { kind: 'exchange' };
    } else {
      const tenant = lab.directory.tenant(mi.tenantId);
      try {
        const [entry] = resolveScopes(`${resource}/.default`, lab.lookup, tenant?.name ?? mi.tenantId).resources.values();
        if (!entry) throw new EntraError(500011, { resource, tenantName: tenant?.name ?? '' });
        audience = { kind: 'api', resource: entry.resource, named: entry.named };
      } catch (error) {
        if (!(error instanceof EntraError)) throw error;
        refuse(res, 400, error.error, error.message);
        return;
      }
    }
    const { token, exp } = await managedIdentityToken(lab, baseUrl(), mi, audience);
    res.json({ access_token: token, expires_on: String(exp), resource, token_type: 'Bearer', client_id: mi.clientId });
  });
  return router;
}
