import { decodeJwt } from 'jose';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { TraceBus } from './trace-bus.ts';
import type { NewTraceEvent, TraceEventType } from './trace-event.ts';
import { fingerprint } from './fingerprint.ts';
import { traceHeaders } from './trace-headers.ts';
import type { Directory } from '../store/directory.ts';

type Next = () => Promise<void>;

const TYPES: Record<string, TraceEventType> = {
  discovery: 'discovery',
  jwks: 'jwks',
  authorization: 'authorize',
  resume: 'authorize.result',
  token: 'token',
  device_authorization: 'devicecode',
  code_verification: 'devicecode.verify',
  device_resume: 'devicecode.verify',
};

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** The app's side of an authorize result: where the browser goes, with a code or an error. */
function redirectOutcome(location: string | undefined, body: unknown): URLSearchParams | undefined {
  if (location) {
    const url = URL.parse(location);
    if (!url) return undefined;
    const params = new URLSearchParams(url.search);
    new URLSearchParams(url.hash.slice(1)).forEach((v, k) => params.set(k, v));
    return params;
  }
  // form_post: the page carries hidden inputs.
  if (typeof body === 'string' && body.includes('type="hidden"')) {
    const params = new URLSearchParams();
    for (const m of body.matchAll(/name="([^"]+)" value="([^"]*)"/g)) params.set(m[1]!, m[2]!);
    return params;
  }
  return undefined;
}

/**
 * Emits one trace event per oidc-provider exchange (discovery, keys,
 * authorize, its result, token, device code), after the response is ready,
 * with fingerprints instead of any token, code or secret.
 */
export function koaTrace(bus: TraceBus, tenantId: string, directory: Directory) {
  return async (koa: KoaContextWithOIDC, next: Next): Promise<void> => {
    await next();
    const route = koa.oidc?.route;
    const type = route ? TYPES[route] : undefined;
    if (!type) return;
    const params = record(koa.oidc?.params) ?? {};
    const body = record(koa.body);
    // Entra's discovery takes `?appid=` (for apps with their own signing keys); it also names who asked.
    const clientId = koa.oidc?.client?.clientId ?? str(params.client_id) ?? str(koa.query.appid);
    const correlationId = koa.get('client-request-id') || str(koa.query['client-request-id']);
    const event: NewTraceEvent = {
      type,
      summary: '',
      tenantId,
      http: {
        method: koa.method,
        path: koa.originalUrl.split('?')[0] ?? '',
        status: koa.status,
        requestHeaders: traceHeaders(koa.request.headers),
        responseHeaders: traceHeaders(koa.response.headers),
      },
      ...(clientId ? { clientId } : {}),
      ...(correlationId ? { correlationId } : {}),
    };
    const scope = str(params.scope);
    if (scope) event.scopes = scope.split(' ');

    const accountId = koa.oidc?.entities.Account?.accountId ?? koa.oidc?.session?.accountId;
    const user = accountId ? directory.user(accountId) : undefined;
    if (user) event.user = { oid: user.id, username: user.userPrincipalName };

    if (body && typeof body.error === 'string') {
      const codes = body.error_codes;
      event.error = {
        error: body.error,
        ...(Array.isArray(codes) && typeof codes[0] === 'number' ? { aadsts: codes[0] } : {}),
        ...(typeof body.error_description === 'string' ? { description: body.error_description.replace(/ Trace ID: .*$/, '') } : {}),
      };
    }

    if (type === 'token') {
      const grantType = str(params.grant_type);
      if (grantType) event.grantType = grantType;
      if (body && typeof body.access_token === 'string') {
        event.fingerprints = {
          accessToken: fingerprint(body.access_token),
          ...(typeof body.refresh_token === 'string' ? { refreshToken: fingerprint(body.refresh_token) } : {}),
          ...(typeof body.id_token === 'string' ? { idToken: fingerprint(body.id_token) } : {}),
        };
        try {
          event.claims = decodeJwt(body.access_token);
        } catch {
          // An opaque token has no claims to show.
        }
        if (!event.user && typeof event.claims?.oid === 'string' && event.claims.idtyp !== 'app') {
          const u = directory.user(event.claims.oid);
          if (u) event.user = { oid: u.id, username: u.userPrincipalName };
        }
      }
      const presented = str(params.code) ?? str(params.refresh_token) ?? str(params.device_code) ?? str(params.assertion);
      if (presented) {
        const kind = params.code ? 'code' : params.device_code ? 'device_code' : params.assertion ? 'assertion' : 'refresh_token';
        event.fingerprints = { ...event.fingerprints, presented: fingerprint(presented) };
        event.detail = { presented: kind };
      }
      event.summary = event.error
        ? `token (${grantType ?? '?'}) refused: ${event.error.aadsts ? `AADSTS${event.error.aadsts}` : event.error.error}`
        : `token (${grantType ?? '?'}) issued${event.user ? ` for ${event.user.username}` : clientId ? ` to app ${clientId}` : ''}`;
    } else if (type === 'authorize.result' || type === 'authorize') {
      const outcome = redirectOutcome(koa.response.get('location') || undefined, koa.body);
      const code = outcome?.get('code');
      const error = outcome?.get('error');
      const isResult = Boolean(code || error);
      if (isResult) {
        event.type = 'authorize.result';
        if (code) event.fingerprints = { code: fingerprint(code) };
        if (error) event.error = { error, ...(outcome?.get('error_description') ? { description: outcome.get('error_description')!.replace(/ Trace ID: .*$/, '') } : {}) };
        event.summary = code ? 'the IdP sends the browser back to the app with an authorization code' : `the IdP sends the browser back to the app with ${error}`;
      } else {
        event.type = 'authorize';
        event.summary = route === 'resume' ? 'the sign-in goes on to its next step' : `the app sends the browser to sign in${scope ? ` (${scope})` : ''}`;
      }
    } else if (type === 'devicecode') {
      event.summary = event.error ? `device code refused: ${event.error.error}` : 'a device code was issued; the person must enter it';
      if (body && typeof body.device_code === 'string') event.fingerprints = { deviceCode: fingerprint(body.device_code) };
    } else if (type === 'devicecode.verify') {
      event.summary = 'the person works on the device-code page';
    } else if (type === 'jwks') {
      event.summary = 'someone fetched the signing keys (to verify tokens locally)';
    } else {
      event.summary = 'someone read the tenant’s OpenID configuration';
    }
    bus.emit(event);
  };
}
