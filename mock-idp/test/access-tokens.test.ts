import { ConfidentialClientApplication, CryptoProvider, PublicClientApplication } from '@azure/msal-node';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playUser, SEED } from '../src/index.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';
import { userOf } from './support/flows.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(async () => {
  await idp.dispose();
});

const API = SEED.apps.protectedApi.appId;

/**
 * Verifies a token as a resource server must: signature against the tenant's JWKS, issuer, audience,
 * expiry — with the issuer read from the metadata of the token version the API gets (Graph: v1.0).
 */
async function verify(token: string, tenantId: string, audience: string, version: 1 | 2 = 2): Promise<JWTPayload> {
  const metadata = version === 2 ? `${idp.baseUrl}/${tenantId}/v2.0/.well-known/openid-configuration` : `${idp.baseUrl}/${tenantId}/.well-known/openid-configuration`;
  const discovery = (await (await fetch(metadata)).json()) as { jwks_uri: string; issuer: string };
  const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(discovery.jwks_uri)), { issuer: discovery.issuer, audience, algorithms: ['RS256'] });
  return payload;
}

function webServerApp() {
  const web = idp.info().apps.find((a) => a.clientId === SEED.apps.webServer.appId)!;
  return new ConfidentialClientApplication({
    auth: { clientId: web.clientId, clientSecret: web.devSecret!, authority: idp.authority, knownAuthorities: [idp.knownAuthority] },
  });
}

describe('client credentials (app-only) with MSAL', () => {
  it('issues an Entra v2.0 app-only token, then serves the second call from MSAL’s cache', async () => {
    const cca = webServerApp();
    const first = await cca.acquireTokenByClientCredential({ scopes: [`api://${API}/.default`] });
    expect(first?.fromCache).toBe(false);
    const second = await cca.acquireTokenByClientCredential({ scopes: [`api://${API}/.default`] });
    expect(second?.fromCache).toBe(true);
    expect(second?.accessToken).toBe(first?.accessToken);

    const header = decodeProtectedHeader(first!.accessToken);
    expect(header).toMatchObject({ typ: 'JWT', alg: 'RS256' });
    expect(header.kid).toEqual(expect.any(String));

    const claims = await verify(first!.accessToken, idp.homeTenantId, API);
    expect(claims).toMatchObject({
      aud: API,
      iss: `${idp.baseUrl}/${idp.homeTenantId}/v2.0`,
      tid: idp.homeTenantId,
      azp: SEED.apps.webServer.appId,
      azpacr: '1',
      oid: SEED.apps.webServer.servicePrincipalId,
      sub: SEED.apps.webServer.servicePrincipalId,
      idtyp: 'app',
      roles: ['Tools.Read'],
      ver: '2.0',
    });
    expect(claims.scp).toBeUndefined();
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(claims.uti).toMatch(/^[\w-]{22}$/);
    // oidc-provider's own claims must not leak into an Entra-shaped token.
    expect(claims).not.toHaveProperty('scope');
    expect(claims).not.toHaveProperty('client_id');
    expect(claims).not.toHaveProperty('jti');
  });

  it('accepts {appId}/.default and Graph’s .default, with roles from the role assignments', async () => {
    const cca = webServerApp();
    const byGuid = await cca.acquireTokenByClientCredential({ scopes: [`${API}/.default`] });
    expect((await verify(byGuid!.accessToken, idp.homeTenantId, API)).roles).toEqual(['Tools.Read']);
    const graph = await cca.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    // Graph's tokens are v1.0, as on Entra: aud is the URI the scope named.
    const claims = await verify(graph!.accessToken, idp.homeTenantId, 'https://graph.microsoft.com', 1);
    expect(claims.roles).toEqual(['User.Read.All']);
  });
});

describe('delegated tokens', () => {
  it('carries the Entra v2.0 delegated claim set: scp with short names, the user’s roles, pairwise sub', async () => {
    const pca = new PublicClientApplication({ auth: { clientId: SEED.apps.publicClient.appId, authority: idp.authority, knownAuthorities: [idp.knownAuthority] } });
    const redirectUri = 'http://localhost:41001';
    const pkce = await new CryptoProvider().generatePkceCodes();
    const scopes = [`api://${API}/user_impersonation`];
    const url = await pca.getAuthCodeUrl({ scopes, redirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256' });
    const delivery = await playUser(url, userOf(idp, 'alice'));
    const result = await pca.acquireTokenByCode({ code: delivery.params.get('code')!, scopes, redirectUri, codeVerifier: pkce.verifier });
    const alice = userOf(idp, 'alice');

    const claims = await verify(result.accessToken, idp.homeTenantId, API);
    expect(claims).toMatchObject({
      aud: API,
      tid: idp.homeTenantId,
      oid: alice.oid,
      azp: SEED.apps.publicClient.appId,
      azpacr: '0',
      scp: 'user_impersonation',
      roles: ['Tools.Read'],
      name: 'Alice Jansen',
      preferred_username: alice.username,
      ver: '2.0',
    });
    expect(claims.idtyp).toBeUndefined();
    expect(claims.sub).toMatch(/^[\w-]{43}$/);
    expect(claims.sub).not.toBe(alice.oid);

    // The ID token is for the app: aud is the client, and it holds what MSAL reads.
    const id = await verify(result.idToken, idp.homeTenantId, SEED.apps.publicClient.appId);
    expect(id).toMatchObject({ oid: alice.oid, tid: idp.homeTenantId, preferred_username: alice.username, ver: '2.0' });
    // An app with public client flows gets sub = oid in its ID token (oidc-provider cannot combine
    // pairwise subjects with the device code grant; see client-metadata.ts). Web apps: see below.
    expect(id.sub).toBe(alice.oid);
    expect(id.sub).not.toBe(claims.sub);
  });

  it('issues a foreign tenant’s tokens under its own issuer and tenant ID', async () => {
    const foreignApp = idp.directory.createApp({
      tenantId: idp.foreignTenantId,
      displayName: 'Fabrikam desktop tool',
      publicClient: { redirectUris: ['http://localhost'] },
      isFallbackPublicClient: true,
    });
    const authority = `${idp.baseUrl}/${idp.foreignTenantId}`;
    const pca = new PublicClientApplication({ auth: { clientId: foreignApp.appId, authority, knownAuthorities: [idp.knownAuthority] } });
    const redirectUri = 'http://localhost:41002';
    const pkce = await new CryptoProvider().generatePkceCodes();
    const url = await pca.getAuthCodeUrl({ scopes: ['User.Read'], redirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256' });
    const delivery = await playUser(url, userOf(idp, 'frank'));
    const result = await pca.acquireTokenByCode({ code: delivery.params.get('code')!, scopes: ['User.Read'], redirectUri, codeVerifier: pkce.verifier });

    const claims = await verify(result.accessToken, idp.foreignTenantId, 'https://graph.microsoft.com', 1);
    expect(claims.iss).toBe(`https://sts.windows.net/${idp.foreignTenantId}/`);
    expect(claims.tid).toBe(idp.foreignTenantId);
    // A resource server of the home tenant, checking the issuer, must reject it.
    await expect(verify(result.accessToken, idp.homeTenantId, 'https://graph.microsoft.com', 1)).rejects.toThrow(/iss/);
  });
});
