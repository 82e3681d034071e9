import { CryptoProvider, PublicClientApplication } from '@azure/msal-node';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CookieJar, playUser, SEED } from '../src/index.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';
import { makePkce, signInForCode, tokenRequest, userOf } from './support/flows.ts';
import { admin } from './support/admin.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(async () => {
  await idp.dispose();
});
afterEach(async () => {
  vi.useRealTimers();
  await admin(idp, 'DELETE', '/faults');
});

const WEB = SEED.apps.webServer.appId;
const API = SEED.apps.protectedApi.appId;
const PUBLIC = SEED.apps.publicClient.appId;

function secretOf(appId: string): string {
  return idp.info().apps.find((a) => a.clientId === appId)!.devSecret!;
}

function appOnly(appId: string, tenantId = idp.homeTenantId) {
  return tokenRequest(idp, { grant_type: 'client_credentials', client_id: appId, client_secret: secretOf(appId), scope: `api://${API}/.default` }, tenantId);
}

async function signIn(user = 'alice'): Promise<{ refresh: string; access: string }> {
  const pkce = makePkce();
  const redirectUri = 'http://localhost:47001';
  const { code } = await signInForCode(idp, { clientId: PUBLIC, redirectUri, scope: 'User.Read openid offline_access', pkce }, { ...userOf(idp, user), jar: new CookieJar() });
  const { body } = await tokenRequest(idp, { grant_type: 'authorization_code', client_id: PUBLIC, code, redirect_uri: redirectUri, code_verifier: pkce.verifier, scope: 'User.Read openid offline_access' });
  return { refresh: String(body.refresh_token), access: String(body.access_token) };
}

const refresh = (rt: string) => tokenRequest(idp, { grant_type: 'refresh_token', client_id: PUBLIC, refresh_token: rt, scope: 'User.Read offline_access' });

describe('fault injection', () => {
  it('access-token lifetime, scoped to one app: that app’s tokens live 60 s, another app’s an hour', async () => {
    const set = await admin(idp, 'POST', '/faults', { fault: { kind: 'access-token-lifetime', seconds: 60 }, scope: { clientId: WEB } });
    expect(set.status).toBe(201);
    const short = decodeJwt(String((await appOnly(WEB)).body.access_token));
    expect(short.exp! - short.iat!).toBe(60);
    const normal = decodeJwt(String((await appOnly(API)).body.access_token));
    expect(normal.exp! - normal.iat!).toBe(3600);
  });

  it('clock skew shifts iat/nbf/exp, so a verifier without tolerance refuses the token', async () => {
    await admin(idp, 'POST', '/faults', { fault: { kind: 'clock-skew', seconds: 600 }, scope: { clientId: WEB } });
    const token = String((await appOnly(WEB)).body.access_token);
    const claims = decodeJwt(token);
    expect(claims.nbf! - Math.floor(Date.now() / 1000)).toBeGreaterThan(590);
    const jwks = createRemoteJWKSet(new URL(`${idp.authority}/discovery/v2.0/keys`));
    await expect(jwtVerify(token, jwks, { audience: API })).rejects.toThrow(/nbf/);
    await expect(jwtVerify(token, jwks, { audience: API, clockTolerance: 900 })).resolves.toBeTruthy();
  });

  it('fail-next-refresh: MSAL’s silent refresh gets invalid_grant once, then works again', async () => {
    const pca = new PublicClientApplication({ auth: { clientId: PUBLIC, authority: idp.authority, knownAuthorities: [idp.knownAuthority] } });
    const redirectUri = 'http://localhost:47002';
    const pkce = await new CryptoProvider().generatePkceCodes();
    const url = await pca.getAuthCodeUrl({ scopes: ['User.Read'], redirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256' });
    const result = await pca.acquireTokenByCode({ code: (await playUser(url, userOf(idp, 'bob'))).params.get('code')!, scopes: ['User.Read'], redirectUri, codeVerifier: pkce.verifier });

    await admin(idp, 'POST', '/faults', { fault: { kind: 'fail-next-refresh' }, scope: { clientId: PUBLIC } });
    const error = (await pca.acquireTokenSilent({ account: result.account!, scopes: ['User.Read'], forceRefresh: true }).catch((e: unknown) => e)) as { errorCode?: string; errorMessage?: string };
    expect(error.errorCode).toBe('invalid_grant');
    expect(error.errorMessage).toContain('AADSTS70008');
    const again = await pca.acquireTokenSilent({ account: result.account!, scopes: ['User.Read'], forceRefresh: true });
    expect(again.fromCache).toBe(false);
  });

  it('strict refresh tokens: reusing a rotated refresh token fails and kills the whole grant', async () => {
    await admin(idp, 'POST', '/faults', { fault: { kind: 'strict-refresh-tokens' }, scope: { clientId: PUBLIC } });
    const { refresh: rt1 } = await signIn();
    const second = await refresh(rt1);
    expect(second.status).toBe(200);
    const rt2 = String(second.body.refresh_token);
    const reuse = await refresh(rt1);
    expect(reuse.body).toMatchObject({ error: 'invalid_grant' });
    // Reuse detection revoked the grant: the newer token is dead too.
    expect((await refresh(rt2)).body).toMatchObject({ error: 'invalid_grant' });
  });

  it('revoke-sessions ends the user’s refresh tokens at once (access tokens live on until they expire)', async () => {
    const { refresh: rt } = await signIn('alice');
    const revoked = await admin(idp, 'POST', '/faults/actions', { action: 'revoke-sessions', userId: 'alice@contoso.test' });
    expect(revoked.body.revoked).toBeGreaterThan(0);
    expect((await refresh(rt)).body).toMatchObject({ error: 'invalid_grant' });
  });

  it('disable-user: the account can neither sign in nor refresh (AADSTS50057), and can be enabled again', async () => {
    const { refresh: rt } = await signIn('bob');
    await admin(idp, 'POST', '/faults/actions', { action: 'disable-user', userId: 'bob@contoso.test' });
    try {
      expect((await refresh(rt)).body).toMatchObject({ error: 'invalid_grant', error_codes: [50057] });
      await expect(signIn('bob')).rejects.toThrow(/AADSTS50057|account is disabled/);
    } finally {
      await admin(idp, 'POST', '/faults/actions', { action: 'disable-user', userId: 'bob@contoso.test', enabled: true });
    }
    expect((await refresh(rt)).status).toBe(200);
  });

  it('key rotation: a JWKS-caching verifier accepts old and new tokens during the grace period, and the old key disappears after it', async () => {
    const before = String((await appOnly(WEB)).body.access_token);
    // jose refetches the JWKS when it meets an unknown kid; its default cooldown (30 s) is set to 0 for the test.
    const jwks = createRemoteJWKSet(new URL(`${idp.authority}/discovery/v2.0/keys`), { cooldownDuration: 0 });
    await jwtVerify(before, jwks, { audience: API });

    const rotated = await admin<{ signingKid: string }>(idp, 'POST', '/faults/actions', { action: 'rotate-signing-key', graceSeconds: 300 });
    const after = String((await appOnly(WEB)).body.access_token);
    expect((JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid).toBe(rotated.body.signingKid);
    await jwtVerify(after, jwks, { audience: API });
    await jwtVerify(before, jwks, { audience: API });

    // After the grace period the old key is gone from the JWKS: tokens it signed no longer verify.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 301_000);
    const fresh = createRemoteJWKSet(new URL(`${idp.authority}/discovery/v2.0/keys`));
    await expect(jwtVerify(before, fresh, { audience: API })).rejects.toThrow(/no applicable key/i);
    await jwtVerify(String((await appOnly(WEB)).body.access_token), fresh, { audience: API });
  });

  it('validates fault requests and names the field that is wrong', async () => {
    const bad = await admin<{ error: { code: string; message: string } }>(idp, 'POST', '/faults', { fault: { kind: 'access-token-lifetime', seconds: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('fault.seconds');
  });

  it('50 concurrent token requests across two tenants, with a fault on one tenant, leave the other untouched', async () => {
    const foreignApp = idp.directory.createApp({ tenantId: idp.foreignTenantId, displayName: 'Fabrikam daemon' });
    const { secretText } = idp.directory.addSecret(foreignApp.appId, { displayName: 'load test' });
    await admin(idp, 'POST', '/faults', { fault: { kind: 'access-token-lifetime', seconds: 120 }, scope: { tenantId: idp.homeTenantId } });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0
          ? appOnly(WEB).then((r) => ({ tenant: 'home', ...r }))
          : tokenRequest(idp, { grant_type: 'client_credentials', client_id: foreignApp.appId, client_secret: secretText, scope: 'https://graph.microsoft.com/.default' }, idp.foreignTenantId).then((r) => ({ tenant: 'foreign', ...r })),
      ),
    );
    for (const r of results) {
      expect(r.status).toBe(200);
      const claims = decodeJwt(String(r.body.access_token));
      expect(claims.exp! - claims.iat!).toBe(r.tenant === 'home' ? 120 : 3600);
      expect(claims.tid).toBe(r.tenant === 'home' ? idp.homeTenantId : idp.foreignTenantId);
    }
  });
});

describe('test tokens', () => {
  it('mints expired, foreign-tenant, wrong-audience and role-less tokens that a real verifier judges correctly, and marks them in the trace', async () => {
    const jwks = createRemoteJWKSet(new URL(`${idp.authority}/discovery/v2.0/keys`));
    const mint = async (body: Record<string, unknown>) => {
      const response = await admin<{ access_token: string }>(idp, 'POST', '/tokens', body);
      expect(response.status).toBe(201);
      return response.body.access_token;
    };

    const good = await mint({ user: 'alice@contoso.test', audience: API });
    const { payload } = await jwtVerify(good, jwks, { issuer: `${idp.authority}/v2.0`, audience: API });
    expect(payload).toMatchObject({ preferred_username: 'alice@contoso.test', scp: 'user_impersonation', roles: ['Tools.Read'] });

    await expect(jwtVerify(await mint({ user: 'alice@contoso.test', audience: API, lifetimeSeconds: -60 }), jwks, { audience: API })).rejects.toThrow(/exp/);
    await expect(jwtVerify(await mint({ user: 'alice@contoso.test', audience: 'graph' }), jwks, { audience: API })).rejects.toThrow(/aud/);
    const foreign = await mint({ tenantId: idp.foreignTenantId, user: 'frank@fabrikam.test', audience: API });
    await expect(jwtVerify(foreign, jwks, { issuer: `${idp.authority}/v2.0`, audience: API })).rejects.toThrow(/iss/);
    expect(decodeJwt(await mint({ user: 'alice@contoso.test', audience: API, roles: [] })).roles).toBeUndefined();
    expect(decodeJwt(await mint({ user: 'alice@contoso.test', audience: API, claims: { tid: null, custom: 'x' } }))).toMatchObject({ custom: 'x' });

    const events = (await (await fetch(`${idp.baseUrl}/_lab/events`, { headers: { accept: 'application/json' } })).json()) as { value: { type: string }[] };
    expect(events.value.filter((e) => e.type === 'token.minted').length).toBeGreaterThanOrEqual(6);
  });

  it('app-only test tokens carry the app’s roles and idtyp', async () => {
    const token = String((await admin<{ access_token: string }>(idp, 'POST', '/tokens', { audience: API })).body.access_token);
    expect(decodeJwt(token)).toMatchObject({ idtyp: 'app', azp: WEB, roles: ['Tools.Read'], oid: SEED.apps.webServer.servicePrincipalId });
  });
});

