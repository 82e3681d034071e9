import type { KoaContextWithOIDC } from 'oidc-provider';
import { decodeJwt } from 'jose';
import { fromOidcFailure, type OidcFailure } from '../errors/from-oidc-error.ts';
import { EntraError } from '../errors/entra-error.ts';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
import type { TenantContext } from './lab-context.ts';

type Next = () => Promise<void>;
type KoaStep = (ctx: KoaContextWithOIDC, next: Next) => Promise<void>;

/** Where the error handler's event leaves the full oidc-provider error (with its detail). */
export const FAILURE_KEY = 'oidcFailure';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Discovery as Entra publishes it: Entra supports PKCE but leaves
 * `code_challenge_methods_supported` out of its metadata, which some clients
 * notice; the mock does the same so they notice here first.
 */
export function entraDiscovery(ctx: TenantContext): KoaStep {
  return async (koa, next) => {
    await next();
    if (koa.oidc?.route !== 'discovery' || !isRecord(koa.body)) return;
    const body = koa.body;
    delete body.code_challenge_methods_supported;
    // Advertise what Entra advertises, not oidc-provider's wider feature set.
    for (const key of ['dpop_signing_alg_values_supported', 'claims_parameter_supported', 'authorization_response_iss_parameter_supported']) {
      delete body[key];
    }
    body.token_endpoint_auth_methods_supported = ['client_secret_post', 'private_key_jwt', 'client_secret_basic'];
    body.subject_types_supported = ['pairwise'];
    body.tenant_region_scope = 'EU';
    body.cloud_instance_name = 'lab.localhost';
    body.msgraph_host = `${new URL(String(body.issuer)).host}/graph`;
    // Entra names Graph's UserInfo endpoint (https://graph.microsoft.com/oidc/userinfo); so does the mock.
    body.userinfo_endpoint = `${new URL(String(body.issuer)).origin}/graph/oidc/userinfo`;
    body.lab_tenant_name = ctx.tenant.name;
  };
}

/** Token endpoint failures in Entra's JSON shape (AADSTS code, trace and correlation IDs). */
export function entraTokenErrors(): KoaStep {
  return async (koa, next) => {
    await next();
    const route = koa.oidc?.route;
    if ((route !== 'token' && route !== 'device_authorization') || !isRecord(koa.body) || typeof koa.body.error !== 'string') return;
    const failure = (koa.state[FAILURE_KEY] as OidcFailure | undefined) ?? (koa.body as unknown as OidcFailure);
    const correlation = koa.get('client-request-id') || undefined;
    const scope = koa.oidc?.params?.scope;
    const details = {
      correlationId: correlation,
      clientId: koa.oidc?.client?.clientId,
      appName: koa.oidc?.client?.clientName,
      ...(typeof scope === 'string' ? { scope } : {}),
    };
    // A person who cancels a device-code sign-in: Entra tells the polling device `authorization_declined`.
    const declinedDevice = failure.error === 'access_denied' && koa.oidc?.params?.grant_type === DEVICE_CODE_GRANT;
    const err = declinedDevice ? new EntraError(65004, details, { error: 'authorization_declined' }) : fromOidcFailure(failure, details);
    koa.status = err.status;
    koa.body = err.toJSON();
  };
}

/**
 * Token responses as Entra shapes them: `ext_expires_in`, and `client_info`
 * (base64url `{uid, utid}`) when the client asks for it — MSAL keys its
 * account cache on it and falls back to less reliable claims without it.
 */
export function entraTokenResponse(ctx: TenantContext): KoaStep {
  return async (koa, next) => {
    await next();
    if (koa.oidc?.route !== 'token' || !isRecord(koa.body) || typeof koa.body.access_token !== 'string') return;
    const body = koa.body;
    if (typeof body.expires_in === 'number') body.ext_expires_in = body.expires_in;
    const wantsClientInfo = isRecord(koa.oidc.body) && koa.oidc.body.client_info === '1';
    if (!wantsClientInfo) return;
    const oid = typeof body.id_token === 'string' ? decodeJwt(body.id_token).oid : undefined;
    const accountId = typeof oid === 'string' ? oid : (koa.oidc.entities.Account?.accountId ?? '');
    const user = accountId ? ctx.directory.user(accountId) : undefined;
    if (user) body.client_info = Buffer.from(JSON.stringify({ uid: user.id, utid: user.tenantId })).toString('base64url');
  };
}

/**
 * Authorization errors that oidc-provider sends back to the app (redirect or
 * form post) get Entra's AADSTS description; errors that already carry one
 * (a declined consent) pass unchanged.
 */
export function entraAuthorizeErrors(): KoaStep {
  return async (koa, next) => {
    await next();
    const route = koa.oidc?.route;
    const failure = koa.state[FAILURE_KEY] as OidcFailure | undefined;
    if ((route !== 'authorization' && route !== 'resume') || !failure) return;
    if (failure.error_description?.startsWith('AADSTS')) return;
    const description = fromOidcFailure(failure).description;

    const location = koa.response.get('location');
    if (location) {
      const url = new URL(location);
      const fragment = new URLSearchParams(url.hash.slice(1));
      if (url.searchParams.has('error')) url.searchParams.set('error_description', description);
      else if (fragment.has('error')) {
        fragment.set('error_description', description);
        url.hash = fragment.toString();
      } else return;
      koa.set('location', url.href);
      return;
    }
    if (typeof koa.body === 'string' && koa.body.includes('name="error_description"')) {
      const escaped = description.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      koa.body = koa.body.replace(/(name="error_description" value=")[^"]*(")/, `$1${escaped}$2`);
    }
  };
}

/**
 * The device authorization response as MSAL reads it: MSAL needs `interval`
 * and shows `message` to the user verbatim.
 */
export function entraDeviceCodeResponse(ctx: TenantContext): KoaStep {
  return async (koa, next) => {
    await next();
    if (koa.oidc?.route !== 'device_authorization' || !isRecord(koa.body) || typeof koa.body.user_code !== 'string') return;
    const body = koa.body;
    body.interval = ctx.faults.deviceCodeInterval(ctx.tenant.id, koa.oidc.client?.clientId) ?? 5;
    body.message = `To sign in, use a web browser to open the page ${String(body.verification_uri)} and enter the code ${String(body.user_code)} to authenticate.`;
  };
}
