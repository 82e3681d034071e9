import express, { type RequestHandler, type Router } from 'express';
import { EntraError } from '../errors/entra-error.ts';
import type { LabContext } from '../protocol/lab-context.ts';
import { presentedClientId } from './find-client.ts';

/** Entra's tenant-independent authorities. */
const COMMON_SEGMENTS = new Set(['common', 'organizations', 'consumers']);

function lookupParams(req: express.Request): URLSearchParams {
  const source: unknown = req.method === 'POST' ? req.body : req.query;
  const params = new URLSearchParams();
  if (source && typeof source === 'object') {
    for (const [k, v] of Object.entries(source as Record<string, unknown>)) if (typeof v === 'string') params.set(k, v);
  }
  return params;
}

/**
 * `/common`, `/organizations`: Entra finds the user's tenant during sign-in.
 * A single-tenant app may not use them (AADSTS50194) — the usual mistake of
 * copying a multi-tenant sample. Multi-tenant sign-in through `/common` is
 * not simulated by the lab; it says so and names the tenant-specific URL.
 */
function refuseCommon(lab: LabContext): RequestHandler {
  return (req, _res, next) => {
    const clientId = presentedClientId(req, lookupParams(req));
    const app = clientId ? lab.directory.app(clientId) : undefined;
    if (!app) throw new EntraError(700016, { clientId: clientId ?? '(none)', tenantName: String(req.params.tenant) });
    if (app.signInAudience === 'AzureADMyOrg') throw new EntraError(50194, { clientId: app.appId, appName: app.displayName });
    next(
      new EntraError(9002313, {
        detail: `The lab identity provider does not simulate sign-in through /${String(req.params.tenant)}. Use the tenant-specific authority /${app.tenantId}.`,
      }),
    );
  };
}

/**
 * Discovery for `/common` as Entra publishes it: endpoints under `/common`
 * and the literal `{tenantid}` in the issuer, which a client must replace with
 * the `tid` of each token it validates.
 */
function commonDiscovery(lab: LabContext, baseUrl: () => string): RequestHandler {
  return (req, res) => {
    const segment = String(req.params.tenant);
    const base = `${baseUrl()}/${segment}`;
    const home = lab.directory.tenants()[0];
    res.set('Cache-Control', 'no-store').json({
      issuer: `${baseUrl()}/{tenantid}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_types_supported: ['code'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      request_uri_parameter_supported: false,
      tenant_region_scope: null,
      cloud_instance_name: 'lab.localhost',
      lab_note: `Multi-tenant sign-in through /${segment} is not simulated; the home tenant is ${home?.id ?? '(none)'}.`,
    });
  };
}

export function commonEndpoints(lab: LabContext, baseUrl: () => string): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '56kb' });
  const only: RequestHandler = (req, _res, next) => (COMMON_SEGMENTS.has(String(req.params.tenant).toLowerCase()) ? next() : next('route'));
  router.get('/:tenant/v2.0/.well-known/openid-configuration', only, commonDiscovery(lab, baseUrl));
  router.all(['/:tenant/oauth2/v2.0/authorize', '/:tenant/oauth2/v2.0/token', '/:tenant/oauth2/v2.0/devicecode'], only, form, refuseCommon(lab));
  return router;
}
