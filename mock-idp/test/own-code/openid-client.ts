import * as client from 'openid-client';

/** openid-client: discovery from the tenant's v2.0 issuer, then client credentials. */
export async function openidClientToken(authorityHost: string, tenantId: string, clientId: string, clientSecret: string, scope: string): Promise<string> {
  const config = await client.discovery(new URL(`${authorityHost}/${tenantId}/v2.0`), clientId, clientSecret);
  const tokens = await client.clientCredentialsGrant(config, { scope });
  return tokens.access_token;
}
