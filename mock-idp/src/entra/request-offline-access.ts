import type { RequestHandler } from 'express';
import { entraLocals } from './entra-locals.ts';

/**
 * Entra issues a refresh token whenever `offline_access` is asked for.
 * oidc-provider follows OpenID Connect Core §11 and drops `offline_access`
 * unless the request also says `prompt=consent` — and MSAL never sends that.
 * So the request is marked as a consent request; the consent step then asks
 * the user only when the directory does not already hold their consent.
 */
export function requestOfflineAccess(): RequestHandler {
  return (_req, res, next) => {
    const { params } = entraLocals(res);
    const scopes = (params.get('scope') ?? '').split(' ');
    const prompts = new Set((params.get('prompt') ?? '').split(' ').filter(Boolean));
    if (scopes.includes('offline_access') && !prompts.has('none')) {
      prompts.delete('select_account');
      prompts.add('consent');
      params.set('prompt', [...prompts].join(' '));
    }
    next();
  };
}
