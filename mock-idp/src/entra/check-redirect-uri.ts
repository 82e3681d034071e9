import type { RequestHandler } from 'express';
import { EntraError } from '../errors/entra-error.ts';
import { isPublicPlatform, matchRedirectUri } from '../protocol/redirect-uris.ts';
import { entraLocals } from './entra-locals.ts';

/**
 * The redirect URI must be registered, per platform. Checked before anything
 * else can redirect: an error must never be sent to an unregistered address
 * (that would be an open redirector). AADSTS50011 names the URI it got.
 */
export function checkRedirectUri(): RequestHandler {
  return (_req, res, next) => {
    const locals = entraLocals(res);
    const app = locals.app;
    if (!app) throw new Error('check_redirect_uri runs after find_client');
    const redirectUri = locals.params.get('redirect_uri') ?? '';
    const platform = matchRedirectUri(app, redirectUri);
    if (!platform) throw new EntraError(50011, { redirectUri: redirectUri || '(none)', clientId: app.appId });
    locals.platform = platform;
    locals.clientAuth = isPublicPlatform(platform) ? 'public' : 'secret';
    next();
  };
}
