import type { AppRegistration } from '../directory/types.ts';
import type { ApiResource } from './resources.ts';

/**
 * Which access token Entra issues is the API's choice, not the client's nor
 * the endpoint's: the resource's `api.requestedAccessTokenVersion` decides.
 * 2 gives a v2.0 token; 1 and null (the value of every new registration in
 * Entra) give a v1.0 token, even from the /oauth2/v2.0/token endpoint.
 * Microsoft Graph's tokens are v1.0.
 *
 * The two versions differ in issuer, audience and claims:
 *
 * | | v1.0 | v2.0 |
 * |---|---|---|
 * | `iss` | `https://sts.windows.net/{tid}/` | `{authority host}/{tid}/v2.0` |
 * | `aud` | the identifier the client named (App ID URI, or the appId) | the API's appId |
 * | client | `appid`, `appidacr` | `azp`, `azpacr` |
 * | user | `upn`, `unique_name`, `given_name`, `family_name`, `amr`, `acr` | `preferred_username` |
 */
export type TokenVersion = 1 | 2;

export function accessTokenVersion(resource: ApiResource): TokenVersion {
  if (resource.isGraph) return 1;
  return resource.app.api.requestedAccessTokenVersion === 2 ? 2 : 1;
}

/**
 * The v1.0 issuer, literally Entra's: a v1.0 token from a real tenant says
 * `https://sts.windows.net/{tid}/` whichever host issued it, and the v1.0
 * metadata document names that issuer. The mock says the same, so code that
 * reads the issuer from metadata, or writes Entra's form down, works here
 * and on a tenant alike. (Nothing is fetched from that host: the keys are
 * found through the metadata's `jwks_uri`, which is this IdP's.)
 */
export function v1Issuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

export function v2Issuer(baseUrl: string, tenantId: string): string {
  return `${baseUrl}/${tenantId}/v2.0`;
}

/** The tenant a v1.0 or v2.0 issuer of this IdP names, or undefined. */
export function tenantOfIssuer(issuer: string, baseUrl: string): string | undefined {
  const v1 = /^https:\/\/sts\.windows\.net\/([0-9a-f-]{36})\/$/i.exec(issuer);
  if (v1?.[1]) return v1[1].toLowerCase();
  const prefix = `${baseUrl}/`;
  if (!issuer.startsWith(prefix) || !issuer.endsWith('/v2.0')) return undefined;
  const tenant = issuer.slice(prefix.length, -'/v2.0'.length);
  return /^[0-9a-f-]{36}$/i.test(tenant) ? tenant.toLowerCase() : undefined;
}

/**
 * A v1.0 token's `aud`: the identifier the client named the API by in its
 * scope (`api://contoso/x` gives `api://contoso`, `{appId}/.default` the
 * appId). When the request named none (an authorization code redeemed
 * without `scope`), the App ID URI, else the appId.
 */
export function v1Audience(resource: ApiResource, named: string | undefined): string {
  if (named) return named;
  return resource.isGraph ? resource.indicator : (resource.app.identifierUris[0] ?? resource.app.appId);
}

/** Every `aud` a token for this app may carry: its appId (v2.0, or v1.0 by GUID) and its Application ID URIs (v1.0). */
export function audiencesOf(app: AppRegistration): string[] {
  return [app.appId, ...app.identifierUris];
}
