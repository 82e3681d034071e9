import { PublicClientApplication } from '@azure/msal-node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { deliver, playUser, SEED } from '../src/index.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';
import { userOf } from './support/flows.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(async () => {
  await idp.dispose();
});
afterEach(() => {
  vi.useRealTimers();
});

function pca(): PublicClientApplication {
  return new PublicClientApplication({ auth: { clientId: SEED.apps.publicClient.appId, authority: idp.authority, knownAuthorities: [idp.knownAuthority] } });
}

describe('MSAL acquireTokenInteractive (the system-browser flow of lab 02)', () => {
  it('signs in through MSAL’s own loopback server, with the test playing the browser', async () => {
    const app = pca();
    const opened: string[] = [];
    const result = await app.acquireTokenInteractive({
      scopes: ['User.Read'],
      openBrowser: async (url) => {
        opened.push(url);
        // What a browser does: sign in, consent, then land on MSAL's loopback redirect URI.
        const delivery = await playUser(url, userOf(idp, 'alice'));
        expect(delivery.url.hostname).toBe('localhost');
        const landed = await deliver(delivery);
        expect(landed.status).toBeLessThan(500);
      },
      successTemplate: 'Signed in. You can close this window.',
      errorTemplate: 'Sign-in failed.',
    });
    expect(opened).toHaveLength(1);
    // MSAL picked a free port; the registration says only http://localhost (any port matches).
    expect(new URL(new URL(opened[0]!).searchParams.get('redirect_uri')!).port).not.toBe('');
    expect(result.account?.username).toBe('alice@contoso.test');
  });

  it('renews silently with the refresh token once the access token has expired', async () => {
    const app = pca();
    const first = await app.acquireTokenInteractive({
      scopes: ['User.Read'],
      openBrowser: async (url) => {
        await deliver(await playUser(url, userOf(idp, 'bob')));
      },
    });
    const cached = await app.acquireTokenSilent({ account: first.account!, scopes: ['User.Read'] });
    expect(cached.fromCache).toBe(true);

    // Two hours later (only Date moves: the IdP in this process sees the same clock, as a real one would).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2 * 3600 * 1000);
    const renewed = await app.acquireTokenSilent({ account: first.account!, scopes: ['User.Read'] });
    expect(renewed.fromCache).toBe(false);
    expect(renewed.accessToken).not.toBe(first.accessToken);
    expect(renewed.expiresOn!.getTime()).toBeGreaterThan(Date.now());
  });
});
