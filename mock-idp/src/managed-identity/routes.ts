import { timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { decodeJwt } from 'jose';
import { EntraError } from '../errors/entra-error.ts';
import type { LabContext } from '../protocol/lab-context.ts';
import { resolveScopes } from '../protocol/resources.ts';
import { managedIdentities, type ManagedIdentity } from '../seed/managed-identities.ts';
import { fingerprint } from '../trace/fingerprint.ts';
import { traceHeaders } from '../trace/trace-headers.ts';
import type { NewTraceEvent } from '../trace/trace-event.ts';
import { identityHeader } from './identity-header.ts';
import { managedIdentityToken, TOKEN_EXCHANGE, type MiAudience } from './mi-token.ts';

/** The path of the endpoint; `IDENTITY_ENDPOINT` is `{baseUrl}` + this. */
export const MANAGED_IDENTITY_PATH = '/_lab/managed-identity/token';

/** The grant type the trace names for this endpoint: it is not the token endpoint, and has no grant_type of its own. */
export const MANAGED_IDENTITY_GRANT = 'managed_identity';

/**
 * One `token` trace event per request to the endpoint, as for the token
 * endpoint's requests, so the site's flows and trace show a managed
 * identity's tokens beside the others: the identity, the resource, the
 * token's fingerprint and claims, or the refusal. The identity header is a
 * secret and shows only as a fingerprint.
 */
function traceMiRequest(lab: LabContext, req: Request, res: Response, fields: { mi?: ManagedIdentity; resource?: string; token?: string; error?: { error: string; description: string } }): void {
  const { mi, resource, token, error } = fields;
  const event: NewTraceEvent = {
    type: 'token',
    summary: error
      ? `token (managed identity) refused: ${error.error}`
      : `token (managed identity) issued to ${mi?.name ?? '?'} for ${resource ?? '?'}`,
    tenantId: mi?.tenantId ?? lab.directory.tenants()[0]?.id ?? '',
    grantType: MANAGED_IDENTITY_GRANT,
    http: {
      method: req.method,
      path: req.path,
      status: res.statusCode,
      requestHeaders: traceHeaders(req.headers),
      responseHeaders: traceHeaders(res.getHeaders()),
    },
    ...(mi ? { clientId: mi.clientId } : {}),
    ...(req.get('client-request-id') ? { correlationId: req.get('client-request-id') } : {}),
    ...(resource ? { scopes: [`${resource}/.default`] } : {}),
    ...(token ? { fingerprints: { accessToken: fingerprint(token) }, claims: decodeJwt(token) } : {}),
    ...(error ? { error } : {}),
    detail: { endpoint: 'App Service managed identity (api-version 2019-08-01)', ...(mi ? { identity: mi.name, identityType: mi.type } : {}), ...(resource ? { resource } : {}) },
  };
  lab.trace.emit(event);
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
    let mi: ManagedIdentity | undefined = undefined;
    let resource: string | undefined = undefined;
    // App Service's error shape (`statusCode`, `message`), plus OAuth's `error`/`error_description`, which MSAL reads.
    const refuse = (status: number, error: string, message: string): void => {
      res.status(status).json({ statusCode: status, message, error, error_description: message });
      traceMiRequest(lab, req, res, { mi, resource, error: { error, description: message } });
    };
    const header = req.get('x-identity-header') ?? '';
    if (!header || !sameSecret(header, identityHeader(lab.directory))) {
      refuse(401, 'unauthorized', 'The X-IDENTITY-HEADER header is missing or wrong. Set IDENTITY_HEADER to the value GET /_lab/info lists under managedIdentity.env.');
      return;
    }
    const query = req.query as Record<string, unknown>;
    if (query['api-version'] !== '2019-08-01') {
      refuse(400, 'invalid_request', "api-version must be 2019-08-01 (App Service's managed identity API).");
      return;
    }
    resource = typeof query.resource === 'string' ? query.resource.trim().replace(/\/+$/, '') || undefined : undefined;
    if (!resource) {
      refuse(400, 'invalid_request', "The 'resource' parameter is missing: the API to get a token for, e.g. https://graph.microsoft.com or api://AzureADTokenExchange.");
      return;
    }
    mi = pickIdentity(query);
    if (!mi) {
      refuse(400, 'invalid_request', 'No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.');
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
        refuse(400, error.error, error.message);
        return;
      }
    }
    const { token, exp } = await managedIdentityToken(lab, baseUrl(), mi, audience);
    res.json({ access_token: token, expires_on: String(exp), resource, token_type: 'Bearer', client_id: mi.clientId });
    traceMiRequest(lab, req, res, { mi, resource, token });
  });
  return router;
}
