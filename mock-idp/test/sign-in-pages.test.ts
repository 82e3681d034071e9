import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, SEED } from '../src/index.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';
import { authorizeUrl, makePkce } from './support/flows.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(async () => {
  await idp.dispose();
});

/** Follows redirects like a browser until the IdP shows a page; returns it with its URL and cookies. */
async function openSignIn(): Promise<{ url: URL; page: string; response: Response; jar: CookieJar }> {
  const jar = new CookieJar();
  let url = authorizeUrl(idp, { clientId: SEED.apps.publicClient.appId, redirectUri: 'http://localhost:40900', scope: 'User.Read openid', pkce: makePkce() });
  for (;;) {
    const cookie = jar.header(url);
    const response = await fetch(url, { redirect: 'manual', headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });
    jar.store(url, response.headers.getSetCookie());
    const location = response.headers.get('location');
    if (!location) return { url, page: await response.text(), response, jar };
    url = new URL(location, url);
  }
}

describe('the sign-in page', () => {
  it('is a labelled form in a page that cannot be framed and runs no script', async () => {
    const { page, response } = await openSignIn();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(page).toMatch(/<html lang="en">/);
    expect(page).not.toMatch(/<script/i);
    expect(page).toMatch(/<label for="username">/);
    expect(page).toMatch(/<input type="email" id="username" name="username" autocomplete="username"/);
    expect(page).toMatch(/<label for="password">/);
    expect(page).toMatch(/<input type="password" id="password" name="password" autocomplete="current-password"/);
    expect(page).toContain('MCP Lab Public Client (stdio)');
  });

  it('refuses a post without the form’s CSRF token, and changes nothing', async () => {
    const { url, page, jar } = await openSignIn();
    const action = new URL(/action="([^"]+)"/.exec(page)![1]!, url);
    const response = await fetch(action, {
      method: 'POST',
      redirect: 'manual',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header(action) ?? '' },
      body: new URLSearchParams({ username: 'alice@contoso.test', password: 'alice-lab-2026', csrf: 'forged' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('was not submitted from this sign-in page');
  });

  it('refuses a post from a browser that did not start the sign-in (no interaction cookie)', async () => {
    const { url, page } = await openSignIn();
    const action = new URL(/action="([^"]+)"/.exec(page)![1]!, url);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const response = await fetch(action, {
      method: 'POST',
      redirect: 'manual',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'alice@contoso.test', password: 'alice-lab-2026', csrf }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('start the sign-in again');
  });
});
