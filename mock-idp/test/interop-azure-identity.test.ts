/**
 * Interop: @azure/identity's ClientSecretCredential (the credential the Azure
 * SDKs use for app-only access) against the mock, as a learner would point it
 * at the lab: `authorityHost` = the mock's base URL, instance discovery off
 * (otherwise it asks login.microsoftonline.com which authorities it knows).
 */
import { ClientSecretCredential } from '@azure/identity';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../src/index.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(async () => {
  await idp.dispose();
});

const API = SEED.apps.protectedApi.appId;
const WEB = SEED.apps.webServer.appId;

function devSecret(): string {
  const secret = idp.info().apps.find((a) => a.clientId === WEB)?.devSecret;
  if (!secret) throw new Error('the seeded web-server app has no dev secret in /_lab/info');
  return secret;
}

function credential(secret: string): ClientSecretCredential {
  return new ClientSecretCredential(idp.homeTenantId, WEB, secret, { authorityHost: idp.baseUrl, disableInstanceDiscovery: true });
}

describe('@azure/identity ClientSecretCredential', () => {
  it('gets an app-only token that a resource server verifies against the tenant JWKS', async () => {
    const token = await credential(devSecret()).getToken(`api://${API}/.default`);
    expect(token.token).toEqual(expect.any(String));
    // The SDK turns expires_in into an absolute time; the mock issues one-hour tokens.
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 55 * 60_000);
    expect(token.tokenType).toBe('Bearer');

    expect(decodeProtectedHeader(token.token)).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    // Verified as a resource server does: keys and issuer from the tenant's metadata.
    const issuer = `${idp.baseUrl}/${idp.homeTenantId}/v2.0`;
    const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    expect(metadata.issuer).toBe(issuer);
    const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri));
    const { payload } = await jwtVerify(token.token, jwks, { issuer, audience: API, algorithms: ['RS256'] });
    expect(payload).toMatchObject({
      iss: issuer,
      aud: API,
      tid: idp.homeTenantId,
      azp: WEB,
      oid: SEED.apps.webServer.servicePrincipalId,
      roles: ['Tools.Read'],
      idtyp: 'app',
      ver: '2.0',
    });
    expect(payload.scp).toBeUndefined();
  });

  it('rejects a wrong secret with AADSTS7000215', async () => {
    // @azure/identity wraps MSAL's ServerError in AuthenticationRequiredError
    // (its behaviour for any server error, Entra's too); the AADSTS text is kept.
    await expect(credential(`${devSecret()}-wrong`).getToken(`api://${API}/.default`)).rejects.toMatchObject({
      name: 'AuthenticationRequiredError',
      message: expect.stringMatching(/invalid_client.*AADSTS7000215/s) as unknown,
    });
  });
});
