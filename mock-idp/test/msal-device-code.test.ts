import { PublicClientApplication, type DeviceCodeRequest } from '@azure/msal-node';

type DeviceCodeResponse = Parameters<DeviceCodeRequest['deviceCodeCallback']>[0];
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { playDeviceCode, SEED } from '../src/index.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';
import { tokenRequest, userOf } from './support/flows.ts';
import { waitForDeviceCode } from './support/device-codes.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(async () => {
  await idp.dispose();
});

const CLIENT = SEED.apps.publicClient.appId;

function pca(): PublicClientApplication {
  return new PublicClientApplication({ auth: { clientId: CLIENT, authority: idp.authority, knownAuthorities: [idp.knownAuthority] } });
}

describe('device code flow as MSAL speaks it', () => {
  it('shows the user a message, finds the pending code for tooling, and gets tokens once the user signs in', async () => {
    let shown: DeviceCodeResponse | undefined;
    const app = pca();
    const result = app.acquireTokenByDeviceCode({
      scopes: ['User.Read'],
      deviceCodeCallback: (response) => {
        shown = response;
      },
    });
    const pending = await waitForDeviceCode(idp, CLIENT);
    expect(shown?.userCode).toBe(pending.userCode);
    expect(shown?.message).toContain(shown?.verificationUri ?? '(no uri)');
    expect(shown?.message).toContain(pending.userCode);
    expect(shown?.verificationUri).toBe(`${idp.authority}/devicelogin`);
    expect(shown?.interval).toBeGreaterThan(0);

    const final = await playDeviceCode(shown!.verificationUri, { ...userOf(idp, 'alice'), userCode: pending.userCode });
    expect(final.page).toContain('You have signed in to');

    const tokens = await result;
    expect(tokens?.account?.username).toBe('alice@contoso.test');
    expect(tokens?.scopes).toContain('User.Read');
    // The code is used up: tooling no longer lists it.
    const left = (await (await fetch(`${idp.baseUrl}/_lab/admin/device-codes?client=${CLIENT}`, { headers: { authorization: `Bearer ${idp.adminToken}` } })).json()) as { value: unknown[] };
    expect(left.value).toEqual([]);

    const silent = await app.acquireTokenSilent({ account: tokens!.account!, scopes: ['User.Read'] });
    expect(silent.fromCache).toBe(true);
  });

  it('answers a device that polls before the user is done with authorization_pending (AADSTS70016)', async () => {
    const start = await fetch(`${idp.authority}/oauth2/v2.0/devicecode`, { method: 'POST', body: new URLSearchParams({ client_id: CLIENT, scope: 'User.Read' }) });
    const device = (await start.json()) as { device_code: string; interval: number; expires_in: number };
    expect(device.interval).toBe(5);
    expect(device.expires_in).toBe(900);
    const poll = await tokenRequest(idp, { grant_type: 'device_code', client_id: CLIENT, device_code: device.device_code });
    expect(poll.status).toBe(400);
    expect(poll.body).toMatchObject({ error: 'authorization_pending', error_codes: [70016] });
  });

  it('announces the interval a device-code-interval fault sets, for that app only, and MSAL signs in with it', async () => {
    const admin = (method: string, route: string, body?: unknown) =>
      fetch(`${idp.baseUrl}/_lab/admin${route}`, { method, headers: { authorization: `Bearer ${idp.adminToken}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const fault = (await (await admin('POST', '/faults', { fault: { kind: 'device-code-interval', seconds: 1 }, scope: { clientId: CLIENT } })).json()) as { id: string };
    try {
      const start = await fetch(`${idp.authority}/oauth2/v2.0/devicecode`, { method: 'POST', body: new URLSearchParams({ client_id: CLIENT, scope: 'User.Read' }) });
      expect(((await start.json()) as { interval: number }).interval).toBe(1);
      let shown: DeviceCodeResponse | undefined;
      const result = pca().acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: (response) => (shown = response) });
      await vi.waitFor(() => expect(shown).toBeDefined());
      expect(shown?.interval).toBe(1);
      await playDeviceCode(shown!.verificationUri, { ...userOf(idp, 'alice'), userCode: shown!.userCode });
      expect((await result)?.account?.username).toBe('alice@contoso.test');
    } finally {
      await admin('DELETE', `/faults/${fault.id}`);
    }
    // Without the fault: Entra's 5 seconds again.
    const again = await fetch(`${idp.authority}/oauth2/v2.0/devicecode`, { method: 'POST', body: new URLSearchParams({ client_id: CLIENT, scope: 'User.Read' }) });
    expect(((await again.json()) as { interval: number }).interval).toBe(5);
  });

  it('tells a device polling after the code expired (15 minutes) expired_token (AADSTS70019)', async () => {
    const start = await fetch(`${idp.authority}/oauth2/v2.0/devicecode`, { method: 'POST', body: new URLSearchParams({ client_id: CLIENT, scope: 'User.Read' }) });
    const device = (await start.json()) as { device_code: string };
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 16 * 60 * 1000);
      const poll = await tokenRequest(idp, { grant_type: 'device_code', client_id: CLIENT, device_code: device.device_code });
      expect(poll.body).toMatchObject({ error: 'expired_token', error_codes: [70019] });
    } finally {
      vi.useRealTimers();
    }
  });

  it('tells the device authorization_declined when the person cancels', async () => {
    const start = await fetch(`${idp.authority}/oauth2/v2.0/devicecode`, { method: 'POST', body: new URLSearchParams({ client_id: CLIENT, scope: 'User.Read' }) });
    const device = (await start.json()) as { device_code: string; user_code: string; verification_uri: string };
    await playDeviceCode(device.verification_uri, { ...userOf(idp, 'bob'), userCode: device.user_code, consent: 'cancel' });
    const poll = await tokenRequest(idp, { grant_type: 'device_code', client_id: CLIENT, device_code: device.device_code });
    expect(poll.body).toMatchObject({ error: 'authorization_declined', error_codes: [65004] });
  });

  it('refuses the flow for an app without “Allow public client flows” (AADSTS7000218)', async () => {
    const response = await fetch(`${idp.authority}/oauth2/v2.0/devicecode`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: SEED.apps.webServer.appId, scope: 'User.Read' }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client', error_codes: [7000218] });
  });

  it('keeps the admin list behind the admin token', async () => {
    const anonymous = await fetch(`${idp.baseUrl}/_lab/admin/device-codes`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { fix: string } }).error.fix).toContain(idp.adminTokenPath);
    const wrong = await fetch(`${idp.baseUrl}/_lab/admin/device-codes`, { headers: { authorization: 'Bearer guessed' } });
    expect(wrong.status).toBe(401);
  });
});
