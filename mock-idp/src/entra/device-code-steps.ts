import type { RequestHandler } from 'express';
import { EntraError } from '../errors/entra-error.ts';
import { DEVICE_CODE_GRANT } from '../protocol/koa-steps.ts';
import { entraLocals } from './entra-locals.ts';

/**
 * The device code flow is a public-client flow: Entra allows it only when the
 * app's "Allow public client flows" is on (AADSTS7000218 otherwise).
 */
export function requirePublicClientFlows(): RequestHandler {
  return (_req, res, next) => {
    const locals = entraLocals(res);
    if (!locals.app?.isFallbackPublicClient) throw new EntraError(7000218, { clientId: locals.app?.appId ?? '' });
    locals.clientAuth = 'public';
    next();
  };
}

/** MSAL polls with `grant_type=device_code`, Entra's short name; oidc-provider knows the RFC 8628 URN. */
export function rewriteDeviceCodeGrant(): RequestHandler {
  return (_req, res, next) => {
    const { params } = entraLocals(res);
    if (params.get('grant_type') === 'device_code') params.set('grant_type', DEVICE_CODE_GRANT);
    next();
  };
}
