import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, SEED } from '../src/index.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';
import { makePkce, signInForCode, tokenRequest, userOf } from './support/flows.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(async () => {
  await idp.dispose();
});

const CLIENT = SEED.apps.publicClient.appId;
const API = SEED.apps.protectedApi.appId;
const REDIRECT = 'http://localhost:40123';

async function signIn(scope: string, jar: CookieJar): Promise<Record<string, unknown>> {
  const pkce = makePkce();
  const { code } = await signInForCode(idp, { clientId: CLIENT, redirectUri: REDIRECT, scope, pkce }, { ...userOf(idp, 'alice'), jar });
  const { status, body } = await tokenRequest(idp, {
    grant_type: 'authorization_code',
    client_id: CLIENT,
    code,
    redirect_uri: REDIRECT,
    code_verifier: pkce.verifier,
    scope,
  });
  expect(status).toBe(200);
  return body;
}

function refresh(refreshToken: string, scope: string) {
  return tokenRequest(idp, { grant_type: 'refresh_token', client_id: CLIENT, refresh_token: refreshToken, scope });
}

describe('refresh tokens with Entra’s semantics', () => {
  it('returns a new refresh token on each use and keeps the used one valid', async () => {
    const first = await signIn('User.Read openid profile offline_access', new CookieJar());
    const rt1 = String(first.refresh_token);
    expect(rt1).toBeTruthy();

    const second = await refresh(rt1, 'User.Read openid profile offline_access');
    expect(second.status).toBe(200);
    const rt2 = String(second.body.refresh_token);
    expect(rt2).toBeTruthy();
    expect(rt2).not.toBe(rt1);

    // Entra, unlike OAuth 2.1's rotation with reuse detection, still accepts the old one.
    const again = await refresh(rt1, 'User.Read openid profile offline_access');
    expect(again.status).toBe(200);
    const withNew = await refresh(rt2, 'User.Read');
    expect(withNew.status).toBe(200);
  });

  it('serves every API the user consented to from one refresh token, and asks for consent where it is missing', async () => {
    const jar = new CookieJar();
    const graphOnly = await signIn('User.Read openid offline_access', jar);
    const rt = String(graphOnly.refresh_token);

    // Not consented yet: Entra answers 65001, which makes MSAL go interactive.
    const refused = await refresh(rt, `api://${API}/user_impersonation offline_access`);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_grant', error_codes: [65001] });

    // A second sign-in (same browser, so no password) consents to the API.
    await signIn(`api://${API}/user_impersonation openid offline_access`, jar);

    // The FIRST refresh token now works for the API too.
    const apiToken = await refresh(rt, `api://${API}/user_impersonation offline_access`);
    expect(apiToken.status).toBe(200);
    const claims = JSON.parse(Buffer.from(String(apiToken.body.access_token).split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ aud: API, scp: 'user_impersonation' });
  });

  it('adds client_info (uid, utid) when asked, as MSAL’s cache needs', async () => {
    const first = await signIn('User.Read openid offline_access', new CookieJar());
    const { body } = await tokenRequest(idp, {
      grant_type: 'refresh_token',
      client_id: CLIENT,
      refresh_token: String(first.refresh_token),
      scope: 'User.Read openid offline_access',
      client_info: '1',
    });
    const info = JSON.parse(Buffer.from(String(body.client_info), 'base64url').toString()) as Record<string, unknown>;
    expect(info).toEqual({ uid: userOf(idp, 'alice').oid, utid: idp.homeTenantId });
    expect(body.ext_expires_in).toBe(body.expires_in);
  });
});
