import { createHmac } from 'node:crypto';
import type { AppRegistration } from '../directory/types.ts';
import { requestContext } from './request-context.ts';
import { hmacKey } from '../store/hmac-key.ts';

const internalSecrets = new WeakMap<Buffer, Map<string, string>>();

/**
 * The secret oidc-provider compares against. The app's real secrets are only
 * stored as keyed hashes, so the Entra step `authenticate_client` verifies the
 * presented secret itself and then hands oidc-provider this per-app value,
 * which exists only in this process's memory.
 */
export function internalClientSecret(pepper: Buffer, appId: string): string {
  // The same value for the life of the process: computed once per app (twice per token otherwise).
  let byApp = internalSecrets.get(pepper);
  if (!byApp) internalSecrets.set(pepper, (byApp = new Map<string, string>()));
  let secret = byApp.get(appId);
  if (secret === undefined) {
    secret = createHmac('sha256', hmacKey(pepper)).update(`oidc-provider-client-secret|${appId}`).digest('base64url');
    byApp.set(appId, secret);
  }
  return secret;
}

/** Every redirect URI of an app, across platforms. */
function allRedirectUris(app: AppRegistration): string[] {
  return [...app.web.redirectUris, ...app.spa.redirectUris, ...app.publicClient.redirectUris];
}

/**
 * Whether the app's ID tokens carry a pairwise `sub` (per app, as Entra's) or
 * `sub` = oid: oidc-provider allows pairwise subjects with the device code
 * grant only given a sector_identifier_uri and jwks_uri it fetches, so apps
 * with public client flows get `sub` = oid (a documented difference).
 */
export function usesPairwiseSubject(app: AppRegistration): boolean {
  return allRedirectUris(app).length > 0 && !app.isFallbackPublicClient;
}

/**
 * An app registration as oidc-provider client metadata. Built from the
 * directory's current app (the caller keeps it only until the next
 * directory write), so portal edits apply to the next request.
 */
export function clientMetadata(app: AppRegistration, pepper: Buffer, hasSecrets: boolean): Record<string, unknown> {
  const confidential = hasSecrets && requestContext.getStore()?.clientAuth !== 'public';
  const redirectUris = allRedirectUris(app);
  // An app without redirect URIs (a daemon) cannot sign users in, only itself.
  const interactive = redirectUris.length > 0;
  const publicFlows = !confidential && app.isFallbackPublicClient;
  const grantTypes = [
    ...(interactive ? ['authorization_code'] : []),
    ...(interactive || publicFlows ? ['refresh_token'] : []),
    ...(publicFlows ? ['urn:ietf:params:oauth:grant-type:device_code'] : []),
    // ROPC: a public client with public client flows on, or a confidential client with its secret.
    ...(publicFlows || confidential ? ['password'] : []),
    ...(confidential ? ['client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer'] : []),
  ];
  // Redirect URIs are matched by `redirect-uris.ts` (Entra's per-platform
  // rules, through the replaced `redirectUriAllowed`); oidc-provider only
  // needs a list it accepts as metadata. A "web" client may not list custom
  // schemes (myapp://auth, allowed on Entra's Mobile and desktop platform),
  // so those are left out unless they are all the app has.
  const httpUris = redirectUris.filter((u) => /^https?:\/\//i.test(u));
  const onlyCustomSchemes = httpUris.length === 0 && redirectUris.length > 0;
  // Pairwise `sub` (per app, as Entra) makes oidc-provider want one host per
  // client (its "sector"); the subject is derived from the client ID, not the
  // sector, so the URIs of the first host are enough here.
  const firstHost = URL.parse(httpUris[0] ?? '')?.host;
  const sameHost = httpUris.filter((u) => URL.parse(u)?.host === firstHost);
  return {
    client_id: app.appId,
    client_name: app.displayName,
    application_type: onlyCustomSchemes ? 'native' : 'web',
    redirect_uris: onlyCustomSchemes ? redirectUris.slice(0, 1) : sameHost,
    ...(usesPairwiseSubject(app) ? { subject_type: 'pairwise' } : {}),
    grant_types: grantTypes,
    response_types: interactive ? ['code'] : [],
    token_endpoint_auth_method: confidential ? 'client_secret_post' : 'none',
    ...(confidential ? { client_secret: internalClientSecret(pepper, app.appId) } : {}),
  };
}
