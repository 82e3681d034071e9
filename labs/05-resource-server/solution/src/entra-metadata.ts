import type { Config } from './config.ts';

/** What this server needs from Entra's OpenID configuration: who signs the tokens, and with which keys. */
export interface EntraMetadata {
  issuer: string;
  jwks_uri: string;
}

/**
 * The OpenID configuration for the token version this API is registered for.
 * Entra publishes two per tenant, and they name different issuers: v1.0
 * tokens say `https://sts.windows.net/{tid}/`, v2.0 tokens
 * `https://login.microsoftonline.com/{tid}/v2.0`. Reading the issuer from
 * the matching document (never from the token) is what pins both the
 * version and the tenant.
 */
export function metadataUrl(config: Config): URL {
  const versionPath = config.tokenVersion === 2 ? '/v2.0' : '';
  return new URL(`${config.authorityHost}/${config.tenantId}${versionPath}/.well-known/openid-configuration`);
}

/** The v2.0 issuer, which the protected-resource metadata names as this API's authorization server (clients sign in at v2.0 endpoints). */
export function authorizationServer(config: Config): string {
  return `${config.authorityHost}/${config.tenantId}/v2.0`;
}

export async function loadEntraMetadata(config: Config): Promise<EntraMetadata> {
  const url = metadataUrl(config);
  const response = await fetch(url, { headers: { accept: 'application/json' } }).catch((error: Error) => {
    throw new Error(`Could not reach ${url.href} (${error.cause instanceof Error ? error.cause.message : error.message}). Is AUTHORITY_HOST right, and does Node trust its certificate (NODE_EXTRA_CA_CERTS)?`);
  });
  if (!response.ok) throw new Error(`${url.href} answered ${response.status}. Check TENANT_ID (a tenant ID, not a domain name only).`);
  const body = (await response.json()) as Partial<EntraMetadata>;
  if (typeof body.issuer !== 'string' || typeof body.jwks_uri !== 'string') throw new Error(`${url.href} has no issuer or jwks_uri: is AUTHORITY_HOST an Entra-compatible authority?`);
  return { issuer: body.issuer, jwks_uri: body.jwks_uri };
}
