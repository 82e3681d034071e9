import { ConfidentialClientApplication } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playUser, SEED, SignInError } from '../src/index.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';
import { authorizeUrl, makePkce, signInForCode, tokenRequest, userOf } from './support/flows.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(async () => {
  await idp.dispose();
});

const WEB = SEED.apps.webServer.appId;
const PUBLIC = SEED.apps.publicClient.appId;
const API = SEED.apps.protectedApi.appId;
const WEB_REDIRECT = 'http://localhost:3001/auth/callback';

function devSecret(): string {
  return idp.info().apps.find((a) => a.clientId === WEB)!.devSecret!;
}

/** Entra's JSON error shape, with the AADSTS code where Entra puts it. */
function expectEntraShape(body: Record<string, unknown>, error: string, code: number): void {
  expect(body).toMatchObject({ error, error_codes: [code] });
  expect(body.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
  expect(body.error_description).toMatch(/Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: /);
  expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  expect(body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(body.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(typeof body.lab_fix).toBe('string');
}

describe('errors in Entra’s shape', () => {
  it('AADSTS7000215: wrong client secret (and the secret is not echoed)', async () => {
    const wrong = 'abc8Q~not-the-right-secret-at-all-0000000000000';
    const { status, body } = await tokenRequest(idp, { grant_type: 'client_credentials', client_id: WEB, client_secret: wrong, scope: `api://${API}/.default` });
    expect(status).toBe(401);
    expectEntraShape(body, 'invalid_client', 7000215);
    expect(JSON.stringify(body)).not.toContain(wrong);
  });

  it('AADSTS7000215 through MSAL too, as an error MSAL surfaces with the code', async () => {
    const cca = new ConfidentialClientApplication({
      auth: { clientId: WEB, clientSecret: 'xyz8Q~wrong', authority: idp.authority, knownAuthorities: [idp.knownAuthority] },
    });
    const error = (await cca.acquireTokenByClientCredential({ scopes: [`api://${API}/.default`] }).catch((e: unknown) => e)) as {
      errorCode?: string;
      errorMessage?: string;
    };
    expect(error.errorCode).toBe('invalid_client');
    expect(error.errorMessage).toContain('AADSTS7000215');
  });

  it('AADSTS7000222: an expired secret', async () => {
    const { secretText } = idp.directory.addSecret(WEB, { displayName: 'already expired', endDateTime: new Date(Date.now() - 60_000).toISOString() });
    const { status, body } = await tokenRequest(idp, { grant_type: 'client_credentials', client_id: WEB, client_secret: secretText, scope: `api://${API}/.default` });
    expect(status).toBe(401);
    expectEntraShape(body, 'invalid_client', 7000222);
  });

  it('AADSTS7000218: a confidential app sending no secret', async () => {
    const { body } = await tokenRequest(idp, { grant_type: 'client_credentials', client_id: WEB, scope: `api://${API}/.default` });
    expectEntraShape(body, 'invalid_client', 7000218);
  });

  it('AADSTS700016: an unknown application', async () => {
    const unknown = '11111111-2222-4333-8444-555555555555';
    const { status, body } = await tokenRequest(idp, { grant_type: 'client_credentials', client_id: unknown, client_secret: 'x', scope: `api://${API}/.default` });
    expect(status).toBe(400);
    expectEntraShape(body, 'unauthorized_client', 700016);
    expect(body.error_description).toContain(unknown);
  });

  it('AADSTS700016: a home-tenant app used with the foreign tenant’s authority', async () => {
    const { body } = await tokenRequest(idp, { grant_type: 'client_credentials', client_id: WEB, client_secret: devSecret(), scope: `api://${API}/.default` }, idp.foreignTenantId);
    expectEntraShape(body, 'unauthorized_client', 700016);
  });

  it('AADSTS90002: an unknown tenant, as JSON for clients and as a page for browsers', async () => {
    const json = await fetch(`${idp.baseUrl}/not-a-tenant/v2.0/.well-known/openid-configuration`);
    expect(json.status).toBe(400);
    expectEntraShape((await json.json()) as Record<string, unknown>, 'invalid_request', 90002);

    const page = await fetch(`${idp.baseUrl}/not-a-tenant/oauth2/v2.0/authorize?client_id=${PUBLIC}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(400);
    const text = await page.text();
    expect(text).toContain('AADSTS90002');
    expect(text).toContain('How to fix it');
  });

  it('AADSTS50011: a redirect URI that is not registered — a page naming it, never a redirect', async () => {
    const url = authorizeUrl(idp, { clientId: WEB, redirectUri: 'https://evil.example/steal', scope: 'User.Read openid', pkce: makePkce() });
    const response = await fetch(url, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    const page = await response.text();
    expect(page).toContain('AADSTS50011');
    expect(page).toContain('https://evil.example/steal');
    expect(page).toContain(WEB);
  });

  it('AADSTS50011: web redirect URIs match exactly, but for the port of a localhost URI (Entra ignores it on every platform)', async () => {
    const otherPath = authorizeUrl(idp, { clientId: WEB, redirectUri: 'http://localhost:3001/auth/other', scope: 'User.Read', pkce: makePkce() });
    const refused = await fetch(otherPath, { headers: { accept: 'application/json' }, redirect: 'manual' });
    expectEntraShape((await refused.json()) as Record<string, unknown>, 'invalid_request', 50011);
    const otherPort = authorizeUrl(idp, { clientId: WEB, redirectUri: 'http://localhost:3002/auth/callback', scope: 'User.Read', pkce: makePkce() });
    const accepted = await fetch(otherPort, { redirect: 'manual' });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toMatch(/\/login\//);
  });

  it('AADSTS54005: an authorization code redeemed twice', async () => {
    const pkce = makePkce();
    const request = { clientId: WEB, redirectUri: WEB_REDIRECT, scope: 'User.Read openid offline_access', pkce };
    const { code } = await signInForCode(idp, request, userOf(idp, 'alice'));
    const exchange = { grant_type: 'authorization_code', client_id: WEB, client_secret: devSecret(), code, redirect_uri: WEB_REDIRECT, code_verifier: pkce.verifier, scope: 'User.Read' };
    expect((await tokenRequest(idp, exchange)).status).toBe(200);
    const second = await tokenRequest(idp, exchange);
    expect(second.status).toBe(400);
    expectEntraShape(second.body, 'invalid_grant', 54005);
  });

  it('AADSTS501481: a PKCE verifier that does not match the challenge', async () => {
    const pkce = makePkce();
    const { code } = await signInForCode(idp, { clientId: PUBLIC, redirectUri: 'http://localhost:40777', scope: 'User.Read openid', pkce }, userOf(idp, 'bob'));
    const { status, body } = await tokenRequest(idp, {
      grant_type: 'authorization_code',
      client_id: PUBLIC,
      code,
      redirect_uri: 'http://localhost:40777',
      code_verifier: makePkce().verifier,
      scope: 'User.Read',
    });
    expect(status).toBe(400);
    expectEntraShape(body, 'invalid_grant', 501481);
  });

  it('AADSTS50126: a wrong password, shown on the sign-in page with a way to retry', async () => {
    const url = authorizeUrl(idp, { clientId: PUBLIC, redirectUri: 'http://localhost:40778', scope: 'User.Read', pkce: makePkce() });
    const attempt = playUser(url, { username: 'alice@contoso.test', password: 'not-her-password' });
    await expect(attempt).rejects.toBeInstanceOf(SignInError);
    const error = (await attempt.catch((e: unknown) => e)) as SignInError;
    expect(error.message).toContain('Error validating credentials due to invalid username or password.');
    expect(error.page).toContain('AADSTS50126');
    // The form is there again, with the user name kept and the password field to retry.
    expect(error.page).toContain('value="alice@contoso.test"');
    expect(error.page).toMatch(/<input type="password"[^>]*aria-invalid="true"/);
  });

  it('AADSTS50020: a user of another tenant signing in to a single-tenant app', async () => {
    const url = authorizeUrl(idp, { clientId: PUBLIC, redirectUri: 'http://localhost:40779', scope: 'User.Read', pkce: makePkce() });
    const error = (await playUser(url, userOf(idp, 'frank')).catch((e: unknown) => e)) as SignInError;
    expect(error.page).toContain('AADSTS50020');
  });

  it('AADSTS70011 and 500011: a scope the API does not expose, an API that is not registered', async () => {
    const cc = (scope: string) => tokenRequest(idp, { grant_type: 'client_credentials', client_id: WEB, client_secret: devSecret(), scope });
    expectEntraShape((await cc(`api://${API}/Files.ReadWrite`)).body, 'invalid_scope', 70011);
    expectEntraShape((await cc('api://99999999-9999-4999-8999-999999999999/.default')).body, 'invalid_resource', 500011);
  });

  it('AADSTS1002012 and 28000: app-only needs /.default; one API per token request', async () => {
    const cc = (scope: string) => tokenRequest(idp, { grant_type: 'client_credentials', client_id: WEB, client_secret: devSecret(), scope });
    expectEntraShape((await cc(`api://${API}/user_impersonation`)).body, 'invalid_scope', 1002012);
    expectEntraShape((await cc(`api://${API}/.default https://graph.microsoft.com/.default`)).body, 'invalid_scope', 28000);
  });

  it('AADSTS65004: a declined consent goes back to the app as access_denied', async () => {
    const url = authorizeUrl(idp, { clientId: PUBLIC, redirectUri: 'http://localhost:40780', scope: `api://${API}/user_impersonation`, pkce: makePkce(), state: 's-65004' });
    const delivery = await playUser(url, { ...userOf(idp, 'bob'), consent: 'cancel' });
    expect(delivery.url.href).toBe('http://localhost:40780/');
    expect(delivery.params.get('error')).toBe('access_denied');
    expect(delivery.params.get('error_description')).toMatch(/^AADSTS65004: User declined to consent/);
    expect(delivery.params.get('state')).toBe('s-65004');
    expect(delivery.params.get('code')).toBeNull();
  });
});

describe('more of the catalogue', () => {
  it('AADSTS50194: a single-tenant app using /common (through MSAL, which reads /common discovery first)', async () => {
    const url = new URL(`${idp.baseUrl}/common/oauth2/v2.0/authorize`);
    url.search = new URLSearchParams({ client_id: PUBLIC, response_type: 'code', redirect_uri: 'http://localhost:40781', scope: 'User.Read' }).toString();
    const page = await fetch(url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('AADSTS50194');

    const discovery = (await (await fetch(`${idp.baseUrl}/common/v2.0/.well-known/openid-configuration`)).json()) as { issuer: string; token_endpoint: string };
    expect(discovery.issuer).toBe(`${idp.baseUrl}/{tenantid}/v2.0`);
    const token = await fetch(discovery.token_endpoint, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: WEB, client_secret: devSecret(), scope: `api://${API}/.default` }) });
    expectEntraShape((await token.json()) as Record<string, unknown>, 'invalid_request', 50194);
  });

  it('AADSTS50034 and 50057: an unknown user name, a disabled account', async () => {
    const url = () => authorizeUrl(idp, { clientId: PUBLIC, redirectUri: 'http://localhost:40782', scope: 'User.Read', pkce: makePkce() });
    const unknown = (await playUser(url(), { username: 'nobody@contoso.test', password: 'x' }).catch((e: unknown) => e)) as SignInError;
    expect(unknown.page).toContain('AADSTS50034');
    const carol = idp.directory.createUser({ tenantId: idp.homeTenantId, userPrincipalName: 'carol@contoso.test', displayName: 'Carol', password: 'carol-pass', accountEnabled: false });
    const disabled = (await playUser(url(), { username: carol.userPrincipalName, password: 'carol-pass' }).catch((e: unknown) => e)) as SignInError;
    expect(disabled.page).toContain('AADSTS50057');
  });

  it('AADSTS500112: the redirect_uri at /token differs from the one sent to /authorize', async () => {
    const pkce = makePkce();
    const { code } = await signInForCode(idp, { clientId: PUBLIC, redirectUri: 'http://localhost:40783', scope: 'User.Read', pkce }, userOf(idp, 'bob'));
    const { body } = await tokenRequest(idp, { grant_type: 'authorization_code', client_id: PUBLIC, code, redirect_uri: 'http://localhost:40784', code_verifier: pkce.verifier });
    expectEntraShape(body, 'invalid_grant', 500112);
  });

  it('AADSTS70000: a refresh token this tenant never issued', async () => {
    const { body } = await tokenRequest(idp, { grant_type: 'refresh_token', client_id: PUBLIC, refresh_token: 'not-a-real-refresh-token', scope: 'User.Read' });
    expectEntraShape(body, 'invalid_grant', 70000);
  });

  it('AADSTS9002313: a malformed request names what is wrong, sent back to the (registered) app', async () => {
    const url = `${idp.authority}/oauth2/v2.0/authorize?client_id=${PUBLIC}&redirect_uri=${encodeURIComponent('http://localhost:40785')}&response_type=code&state=s1`;
    const response = await fetch(url, { redirect: 'manual' });
    const location = new URL(response.headers.get('location')!);
    expect(location.origin).toBe('http://localhost:40785');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/^AADSTS9002313: .*'scope'/);
    expect(location.searchParams.get('state')).toBe('s1');
  });
});
