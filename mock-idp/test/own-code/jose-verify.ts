import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

/**
 * jose, in an API: verify an access token with the issuer and keys of the
 * metadata of the token version the API gets (its manifest's
 * requestedAccessTokenVersion: 2 → v2.0, null or 1 → v1.0). The same code
 * works on a real tenant with authorityHost https://login.microsoftonline.com.
 */
export async function verifyAccessToken(token: string, authorityHost: string, tenantId: string, audience: string, version: 1 | 2): Promise<JWTPayload> {
  const metadataUrl = version === 2 ? `${authorityHost}/${tenantId}/v2.0/.well-known/openid-configuration` : `${authorityHost}/${tenantId}/.well-known/openid-configuration`;
  const metadata = (await (await fetch(metadataUrl)).json()) as { issuer: string; jwks_uri: string };
  const keys = createRemoteJWKSet(new URL(metadata.jwks_uri));
  const { payload } = await jwtVerify(token, keys, { issuer: metadata.issuer, audience, algorithms: ['RS256'] });
  return payload;
}
