import type { RequestHandler } from 'express';
import { v1Issuer } from '../protocol/token-version.ts';
import { entraLocals } from './entra-locals.ts';
import type { TraceBus } from '../trace/trace-bus.ts';
import { traceRead } from './trace-read.ts';

/**
 * `GET /{tenant}/.well-known/openid-configuration`: Entra's v1.0 metadata.
 * Its `issuer` is the one v1.0 access tokens carry
 * (`https://sts.windows.net/{tid}/`), so a resource server that reads the
 * issuer from the metadata of the version its API is issued validates v1.0
 * tokens here as on a real tenant. Its keys are the tenant's signing keys,
 * the same as the v2.0 document's (Entra's v1.0 document names
 * `/common/discovery/keys`).
 *
 * The v1.0 protocol endpoints it names (`/oauth2/token` with `resource=`)
 * are not simulated; they answer with the v2.0 endpoint to use instead.
 */
export function v1Metadata(baseUrl: () => string, trace: TraceBus): RequestHandler {
  return (req, res) => {
    const { tenant } = entraLocals(res);
    const base = `${baseUrl()}/${tenant.id}`;
    res.set('Cache-Control', 'no-store').json({
      token_endpoint: `${base}/oauth2/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${baseUrl()}/common/discovery/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code'],
      scopes_supported: ['openid'],
      issuer: v1Issuer(tenant.id),
      microsoft_multi_refresh_token: true,
      authorization_endpoint: `${base}/oauth2/authorize`,
      device_authorization_endpoint: `${base}/oauth2/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'amr', 'nonce', 'email', 'given_name', 'family_name', 'nickname'],
      userinfo_endpoint: `${baseUrl()}/graph/oidc/userinfo`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'lab.localhost',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: `${new URL(baseUrl()).host}/graph`,
      lab_tenant_name: tenant.name,
      lab_note: `v1.0 access tokens carry this issuer; the v1.0 protocol endpoints are not simulated: use ${base}/oauth2/v2.0/token and /authorize (v2.0 metadata: ${base}/v2.0/.well-known/openid-configuration).`,
    });
    traceRead(trace, req, res, 'discovery');
  };
}
