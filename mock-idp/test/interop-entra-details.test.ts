/**
 * Small differences from Entra that real libraries exposed, each checked
 * with the library that found it: openid-client's fetchUserInfo (needs
 * `userinfo_endpoint`), its authorization code flow on another localhost port
 * of a Web redirect URI, its end-session URL (returns to the app), jose
 * reading the JWKS's certificate (`x5c`, `x5t`, `issuer`), MSAL Node's
 * acquireTokenByUsernamePassword (ROPC), and the Graph SDK listing users.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { PublicClientApplication } from '@azure/msal-node';
import { Client } from '@microsoft/microsoft-graph-client';
import { compactVerify, decodeJwt, importX509 } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, playUser, SEED } from '../src/index.ts';
import { tokenRequest, userOf } from './support/flows.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';

let idp: TestIdp;
let config: client.Configuration;
const WEB = SEED.apps.webServer.appId;
const REGISTERED = 'http://localhost:3001/auth/callback';

beforeAll(async () => {
  idp = await startTestIdp();
  const secret = idp.info().apps.find((a) => a.clientId === WEB)!.devSecret!;
  config = await client.discovery(new URL(`${idp.authority}/v2.0`), WEB, secret);
});
afterAll(async () => {
  await idp.dispose();
});

/** Alice signs in to the web app through openid-client, at `redirectUri`. */
async function signIn(redirectUri: string) {
  const verifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile User.Read',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
  });
  const delivery = await playUser(url, { ...userOf(idp, 'alice'), consent: 'accept' });
  const callback = new URL(delivery.url);
  delivery.params.forEach((value, key) => callback.searchParams.append(key, value));
  return client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedNonce: nonce, idTokenExpected: true });
}

describe('openid-client', () => {
  it('fetchUserInfo: discovery names Graph’s UserInfo endpoint, which answers the ID token’s sub for a Graph token', async () => {
    expect(config.serverMetadata().userinfo_endpoint).toBe(`${idp.baseUrl}/graph/oidc/userinfo`);
    const tokens = await signIn(REGISTERED);
    const sub = tokens.claims()!.sub;
    const info = await client.fetchUserInfo(config, tokens.access_token, sub);
    expect(info).toMatchObject({ sub, name: 'Alice Jansen', given_name: 'Alice', family_name: 'Jansen', email: 'alice@contoso.test' });
    // An API token is not a Graph token: UserInfo refuses it, as Entra's does.
    const api = await client.clientCredentialsGrant(config, { scope: `api://${SEED.apps.protectedApi.appId}/.default` });
    await expect(client.fetchUserInfo(config, api.access_token, client.skipSubjectCheck)).rejects.toThrow();
  });

  it('a Web redirect URI on http://localhost matches on any port, as on Entra (here 3999 for a registered 3001)', async () => {
    const tokens = await signIn('http://localhost:3999/auth/callback');
    expect(tokens.claims()).toMatchObject({ oid: SEED.users.alice.id });
  });

  it('end-session: a post_logout_redirect_uri that is a registered redirect URI brings the browser back to the app', async () => {
    const tokens = await signIn(REGISTERED);
    const url = client.buildEndSessionUrl(config, { post_logout_redirect_uri: REGISTERED, id_token_hint: tokens.id_token!, state: 'bye' });
    const jar = new CookieJar();
    const first = await fetch(url, { redirect: 'manual' });
    jar.store(url, first.headers.getSetCookie());
    expect(first.status).toBe(200);
    // No session cookie of the IdP in this fetch: oidc-provider posts its confirmation form at once (auto-submit).
    const html = await first.text();
    const action = new URL(/action="([^"]+)"/.exec(html)![1]!, url);
    const fields = new URLSearchParams([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!] as [string, string]));
    const confirm = await fetch(action, { method: 'POST', body: fields, headers: { cookie: jar.header(action) ?? '' }, redirect: 'manual' });
    expect(confirm.status).toBe(303);
    const back = new URL(confirm.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(REGISTERED);
    expect(back.searchParams.get('state')).toBe('bye');

    const refused = client.buildEndSessionUrl(config, { post_logout_redirect_uri: 'https://evil.example/', id_token_hint: tokens.id_token! });
    expect((await fetch(refused, { redirect: 'manual' })).status).toBe(400);
  });
});

describe('jose and the key set', () => {
  it('publishes each key with its certificate (x5c), SHA-1 thumbprint (x5t) and, in v2.0, the issuer; the certificate verifies tokens', async () => {
    const { keys } = (await (await fetch(`${idp.authority}/discovery/v2.0/keys`)).json()) as { keys: { kid: string; x5t: string; x5c: string[]; issuer: string; n: string }[] };
    const key = keys[0]!;
    expect(key.issuer).toBe(`${idp.authority}/v2.0`);
    const der = Buffer.from(key.x5c[0]!, 'base64');
    expect(key.x5t).toBe(createHash('sha1').update(der).digest('base64url'));
    const certificate = new X509Certificate(der);
    expect(certificate.publicKey.export({ format: 'jwk' }).n).toBe(key.n);

    const res = await tokenRequest(idp, { grant_type: 'client_credentials', client_id: WEB, client_secret: idp.info().apps.find((a) => a.clientId === WEB)!.devSecret!, scope: `api://${SEED.apps.protectedApi.appId}/.default` });
    const pem = `-----BEGIN CERTIFICATE-----\n${key.x5c[0]!}\n-----END CERTIFICATE-----`;
    const verified = await compactVerify(String(res.body.access_token), await importX509(pem, 'RS256'));
    expect(verified.protectedHeader.kid).toBe(key.kid);
    // The v1.0 key set has the same keys and certificates, without issuer (as Entra's).
    const v1 = (await (await fetch(`${idp.baseUrl}/common/discovery/keys`)).json()) as { keys: { x5t: string; issuer?: string }[] };
    expect(v1.keys.map((k) => k.x5t)).toEqual(keys.map((k) => k.x5t));
    expect(v1.keys[0]).not.toHaveProperty('issuer');
  });
});

describe('MSAL Node: acquireTokenByUsernamePassword (ROPC)', () => {
  const pca = () => new PublicClientApplication({ auth: { clientId: SEED.apps.publicClient.appId, authority: idp.authority, knownAuthorities: [idp.knownAuthority] } });
  const bob = () => userOf(idp, 'bob');

  it('refuses a wrong password with AADSTS50126, and a user who never consented with AADSTS65001 (ROPC cannot ask)', async () => {
    const wrong = (await pca()
      .acquireTokenByUsernamePassword({ scopes: ['User.Read'], username: bob().username, password: 'not-it' })
      .catch((e: unknown) => e)) as { errorCode?: string; errorMessage?: string };
    expect(wrong.errorCode).toBe('invalid_grant');
    expect(wrong.errorMessage).toContain('AADSTS50126');
    const unconsented = (await pca()
      .acquireTokenByUsernamePassword({ scopes: ['User.Read'], username: bob().username, password: bob().password })
      .catch((e: unknown) => e)) as { errorCode?: string; errorMessage?: string };
    expect(unconsented.errorMessage).toContain('AADSTS65001');
  });

  it('serves a public client with public client flows on once consent exists: a Graph token, an ID token, an account', async () => {
    idp.directory.grantPermission({ clientAppId: SEED.apps.publicClient.appId, consentType: 'Principal', principalId: SEED.users.bob.id, resourceAppId: SEED.graph.appId, scopes: ['User.Read'] });
    const result = await pca().acquireTokenByUsernamePassword({ scopes: ['User.Read'], username: bob().username, password: bob().password });
    expect(result?.account?.username).toBe('bob@contoso.test');
    expect(result?.account?.homeAccountId).toBe(`${SEED.users.bob.id}.${idp.homeTenantId}`);
    expect(decodeJwt(result!.accessToken)).toMatchObject({ aud: 'https://graph.microsoft.com', upn: 'bob@contoso.test', scp: 'User.Read', ver: '1.0' });
    const me = await fetch(`${idp.baseUrl}/graph/v1.0/me`, { headers: { authorization: `Bearer ${result!.accessToken}` } });
    expect(((await me.json()) as { userPrincipalName: string }).userPrincipalName).toBe('bob@contoso.test');
  });

  it('refuses an app without public client flows, as Entra does (AADSTS7000218)', async () => {
    const app = idp.directory.createApp({ tenantId: idp.homeTenantId, displayName: 'No public flows', publicClient: { redirectUris: ['http://localhost'] } });
    const other = new PublicClientApplication({ auth: { clientId: app.appId, authority: idp.authority, knownAuthorities: [idp.knownAuthority] } });
    const refused = (await other.acquireTokenByUsernamePassword({ scopes: ['User.Read'], username: bob().username, password: bob().password }).catch((e: unknown) => e)) as { errorMessage?: string };
    expect(refused.errorMessage).toContain('AADSTS7000218');
  });
});

describe('Graph SDK: GET /users', () => {
  it('lists the users of the token’s tenant for an app with User.Read.All, and refuses one without', async () => {
    const web = idp.info().apps.find((a) => a.clientId === WEB)!;
    const res = await tokenRequest(idp, { grant_type: 'client_credentials', client_id: WEB, client_secret: web.devSecret!, scope: 'https://graph.microsoft.com/.default' });
    const graph = Client.init({
      authProvider: (done) => done(null, String(res.body.access_token)),
      baseUrl: `${idp.baseUrl}/graph/`,
      defaultVersion: 'v1.0',
      customHosts: new Set([new URL(idp.baseUrl).hostname]),
    });
    const users = (await graph.api('/users').select(['id', 'userPrincipalName']).get()) as { value: { userPrincipalName: string }[] };
    expect(users.value.map((u) => u.userPrincipalName).sort()).toEqual(['admin@contoso.test', 'alice@contoso.test', 'bob@contoso.test']);

    const api = idp.info().apps.find((a) => a.clientId === SEED.apps.protectedApi.appId)!;
    const without = await tokenRequest(idp, { grant_type: 'client_credentials', client_id: api.clientId, client_secret: api.devSecret!, scope: 'https://graph.microsoft.com/.default' });
    const denied = await fetch(`${idp.baseUrl}/graph/v1.0/users`, { headers: { authorization: `Bearer ${String(without.body.access_token)}` } });
    expect(denied.status).toBe(403);
  });
});
