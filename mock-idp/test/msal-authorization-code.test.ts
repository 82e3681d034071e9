import { ConfidentialClientApplication, CryptoProvider, PublicClientApplication, type AuthenticationResult } from '@azure/msal-node';
import { randomUUID } from 'node:crypto';
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

function code(delivery: { params: URLSearchParams }): string {
  const value = delivery.params.get('code');
  if (!value) throw new Error(`the IdP sent no code: ${delivery.params.toString()}`);
  return value;
}

describe('MSAL ConfidentialClientApplication, authorization code + PKCE (lab 03 shape)', () => {
  const redirectUri = 'http://localhost:3001/auth/callback';
  let cca: ConfidentialClientApplication;
  let first: AuthenticationResult;

  beforeAll(async () => {
    const web = idp.info().apps.find((a) => a.clientId === SEED.apps.webServer.appId)!;
    cca = new ConfidentialClientApplication({
      auth: { clientId: web.clientId, clientSecret: web.devSecret!, authority: idp.authority, knownAuthorities: [idp.knownAuthority] },
    });
    const pkce = await new CryptoProvider().generatePkceCodes();
    const state = randomUUID();
    const nonce = randomUUID();
    const url = await cca.getAuthCodeUrl({
      scopes: ['User.Read'],
      redirectUri,
      codeChallenge: pkce.challenge,
      codeChallengeMethod: 'S256',
      state,
      nonce,
    });
    const delivery = await playUser(url, userOf(idp, 'alice'));
    expect(delivery.url.href).toBe(redirectUri);
    expect(delivery.params.get('state')).toBe(state);
    first = await cca.acquireTokenByCode({ code: code(delivery), scopes: ['User.Read'], redirectUri, codeVerifier: pkce.verifier, nonce, state });
  });

  it('returns tokens and an account for the signed-in user', () => {
    const alice = userOf(idp, 'alice');
    expect(first.accessToken).toMatch(/^eyJ/);
    expect(first.idToken).toMatch(/^eyJ/);
    expect(first.account?.username).toBe(alice.username);
    expect(first.account?.localAccountId).toBe(alice.oid);
    expect(first.account?.tenantId).toBe(idp.homeTenantId);
    expect(first.account?.homeAccountId).toBe(`${alice.oid}.${idp.homeTenantId}`);
    expect(first.idTokenClaims).toMatchObject({ oid: alice.oid, tid: idp.homeTenantId, preferred_username: alice.username, name: 'Alice Jansen' });
    // Entra's ID-token sub is per app (43 characters of base64url), never the oid.
    const idSub = (first.idTokenClaims as { sub?: string }).sub;
    expect(idSub).toMatch(/^[\w-]{43}$/);
    expect(idSub).not.toBe(alice.oid);
    expect(first.scopes).toContain('User.Read');
  });

  it('serves the same token from the cache, then renews it with the refresh token when forced', async () => {
    const cached = await cca.acquireTokenSilent({ account: first.account!, scopes: ['User.Read'] });
    expect(cached.fromCache).toBe(true);
    expect(cached.accessToken).toBe(first.accessToken);

    const renewed = await cca.acquireTokenSilent({ account: first.account!, scopes: ['User.Read'], forceRefresh: true });
    expect(renewed.fromCache).toBe(false);
    expect(renewed.accessToken).not.toBe(first.accessToken);
    expect(renewed.account?.homeAccountId).toBe(first.account?.homeAccountId);
  });
});

describe('MSAL PublicClientApplication, authorization code + PKCE (lab 02 shape)', () => {
  it('signs in through a loopback redirect on any port, then answers silently from the cache', async () => {
    const pca = new PublicClientApplication({
      auth: { clientId: SEED.apps.publicClient.appId, authority: idp.authority, knownAuthorities: [idp.knownAuthority] },
    });
    // Registered as plain http://localhost: any port must match (RFC 8252), as in Entra.
    const redirectUri = 'http://localhost:53682';
    const pkce = await new CryptoProvider().generatePkceCodes();
    const url = await pca.getAuthCodeUrl({ scopes: ['User.Read'], redirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256' });
    const delivery = await playUser(url, userOf(idp, 'bob'));
    const result = await pca.acquireTokenByCode({ code: code(delivery), scopes: ['User.Read'], redirectUri, codeVerifier: pkce.verifier });
    expect(result.account?.username).toBe('bob@contoso.test');

    const [account] = await pca.getTokenCache().getAllAccounts();
    const silent = await pca.acquireTokenSilent({ account: account!, scopes: ['User.Read'] });
    expect(silent.fromCache).toBe(true);
    expect(silent.accessToken).toBe(result.accessToken);
  });

  it('refuses an authorization request without PKCE from a public client', async () => {
    const url = new URL(`${idp.authority}/oauth2/v2.0/authorize`);
    url.search = new URLSearchParams({
      client_id: SEED.apps.publicClient.appId,
      response_type: 'code',
      redirect_uri: 'http://localhost:53682',
      scope: 'User.Read openid',
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    const location = new URL(response.headers.get('location')!);
    expect(location.origin).toBe('http://localhost:53682');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/^AADSTS9002313: .*PKCE/);
  });
});

describe('custom-scheme redirect URIs (Mobile and desktop platform)', () => {
  it('sends the code to myapp://auth, alone or next to web redirect URIs', async () => {
    for (const web of [[], ['https://app.contoso.test/callback']]) {
      const app = idp.directory.createApp({
        tenantId: idp.homeTenantId,
        displayName: `Mobile app ${web.length}`,
        publicClient: { redirectUris: ['myapp://auth'] },
        web: { redirectUris: web },
        requiredResourceAccess: [],
      });
      const pca = new PublicClientApplication({ auth: { clientId: app.appId, authority: idp.authority, knownAuthorities: [idp.knownAuthority] } });
      const pkce = await new CryptoProvider().generatePkceCodes();
      const url = await pca.getAuthCodeUrl({ scopes: ['User.Read'], redirectUri: 'myapp://auth', codeChallenge: pkce.challenge, codeChallengeMethod: 'S256' });
      const delivery = await playUser(url, userOf(idp, 'bob'));
      expect(delivery.url.protocol).toBe('myapp:');
      const result = await pca.acquireTokenByCode({ code: code(delivery), scopes: ['User.Read'], redirectUri: 'myapp://auth', codeVerifier: pkce.verifier });
      expect(result.account?.username).toBe('bob@contoso.test');
    }
  });
});
