import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNewRedirectUri, PLATFORM_LABELS, type Platform } from '../src/admin/apps/redirect-uri-rules.ts';
import { userOf } from './support/flows.ts';
import { accessibilityProblems, alerts, codeById, notice, pageText, portalLinks, PortalBrowser, type Page } from './support/portal-browser.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';

let idp: TestIdp;
let admin: PortalBrowser;
let appId: string;

beforeAll(async () => {
  idp = await startTestIdp();
  admin = new PortalBrowser(idp.baseUrl);
  const { username, password } = userOf(idp, 'admin');
  await admin.signIn(username, password);
  const form = await admin.open('/portal/apps/new');
  const overview = await admin.submit(form, 'Register', { displayName: 'Rules App' });
  appId = codeById(overview, 'client-id');
});
afterAll(async () => {
  await idp.dispose();
});

/** Admin trace events so far: a refused change must add none. */
function adminEvents(): number {
  return idp.trace.history().filter((e) => e.type === 'admin').length;
}

function redirectUris(id: string) {
  const app = idp.directory.app(id)!;
  return { web: app.web.redirectUris, spa: app.spa.redirectUris, publicClient: app.publicClient.redirectUris };
}

describe('redirect URI rules through the Authentication blade', () => {
  /** Each of the admin API's rules, tried as a learner would type it; the page must say what the rule says. */
  const cases: { rule: string; platform: Platform; uri: string; wording?: string }[] = [
    { rule: 'REDIRECT_URI_HTTPS_REQUIRED', platform: 'web', uri: 'http://app.contoso.test/auth/callback', wording: 'Must start with "HTTPS" or "http://localhost"' },
    { rule: 'REDIRECT_URI_WILDCARD', platform: 'web', uri: 'https://*.contoso.test/auth/callback', wording: 'Wildcard URIs are not supported' },
    { rule: 'REDIRECT_URI_TOO_LONG', platform: 'spa', uri: `https://app.contoso.test/${'a'.repeat(260)}`, wording: 'a maximum of 256 characters for each redirect URI' },
    { rule: 'REDIRECT_URI_IPV6_LOOPBACK', platform: 'publicClient', uri: 'http://[::1]:3000/cb' },
    { rule: 'REDIRECT_URI_FRAGMENT', platform: 'spa', uri: 'https://app.contoso.test/cb#x' },
    { rule: 'REDIRECT_URI_CUSTOM_SCHEME', platform: 'web', uri: 'myapp://auth' },
    { rule: 'REDIRECT_URI_FORBIDDEN_SCHEME', platform: 'publicClient', uri: 'javascript:alert(1)' },
    { rule: 'REDIRECT_URI_INVALID', platform: 'web', uri: 'localhost:3000/cb' },
    { rule: 'REDIRECT_URI_SPECIAL_CHARACTERS', platform: 'web', uri: "https://app.contoso.test/cb'(x)" },
    { rule: 'REDIRECT_URI_EMPTY', platform: 'web', uri: '' },
  ];

  for (const { rule, platform, uri, wording } of cases) {
    it(`${rule}: shows the rule's message and fix, keeps what was typed, and changes nothing`, async () => {
      const app = idp.directory.app(appId)!;
      const expected = checkNewRedirectUri(app, platform, uri);
      expect(expected?.code).toBe(rule);
      const before = { uris: redirectUris(appId), events: adminEvents() };

      const blade = await admin.open(`/portal/apps/${appId}/authentication`);
      const page = await admin.submit(blade, `Add URI to ${PLATFORM_LABELS[platform]}`, { uri });
      expect(page.status).toBe(400);
      const [alert, ...more] = alerts(page);
      expect(more).toEqual([]);
      expect(alert).toContain(expected!.message);
      expect(alert).toContain(expected!.fix);
      if (wording) expect(alert).toContain(wording);
      expect(alert).not.toContain('/_lab/admin');
      // The field names the problem (aria-invalid, described by it) and keeps the typed value for a correction.
      expect(page.html).toMatch(new RegExp(`id="add-${platform}-uri" name="uri" value="[^"]*"[^>]*aria-describedby="add-${platform}-uri-hint add-${platform}-problem-0" aria-invalid="true" autofocus`));
      expect(page.html).toContain(`value="${uri.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;')}"`);
      expect(accessibilityProblems(page, { portal: true })).toEqual([]);

      expect(redirectUris(appId)).toEqual(before.uris);
      expect(adminEvents()).toBe(before.events);
    });
  }

  it('REDIRECT_URI_DUPLICATE: a URI belongs to one platform; the fix speaks of this page, not of the API', async () => {
    let page = await admin.open(`/portal/apps/${appId}/authentication`);
    page = await admin.submit(page, 'Add URI to Web', { uri: 'https://app.contoso.test/cb' });
    expect(notice(page)).toBe('Redirect URI added.');
    const before = adminEvents();
    page = await admin.submit(page, 'Add URI to Single-page application', { uri: 'https://app.contoso.test/cb' });
    expect(page.status).toBe(400);
    expect(alerts(page)[0]).toContain('is already registered under Web; a redirect URI can belong to one platform only');
    expect(alerts(page)[0]).toContain('remove it from the other platform on this page first');
    expect(redirectUris(appId).spa).toEqual([]);
    expect(adminEvents()).toBe(before);
  });

  it('REDIRECT_URI_LIMIT: the 257th redirect URI is refused', async () => {
    const full = idp.directory.createApp({ tenantId: idp.homeTenantId, displayName: 'Full App', web: { redirectUris: Array.from({ length: 256 }, (_, i) => `https://app.contoso.test/cb/${i}`) } });
    const page = await admin.submit(await admin.open(`/portal/apps/${full.appId}/authentication`), 'Add URI to Web', { uri: 'https://app.contoso.test/cb/256' });
    expect(page.status).toBe(400);
    expect(alerts(page)[0]).toContain('at most 256 redirect URIs across all platforms');
    expect(idp.directory.app(full.appId)!.web.redirectUris).toHaveLength(256);
  });

  it('New registration applies the same rules to its optional redirect URI, and registers nothing', async () => {
    const apps = idp.directory.apps().length;
    const form = await admin.open('/portal/apps/new');
    const page = await admin.submit(form, 'Register', { displayName: 'Bad Redirect', platform: 'web', redirectUri: 'http://app.contoso.test/cb' });
    expect(page.status).toBe(400);
    expect(alerts(page)[0]).toContain('Redirect URI: Must start with "HTTPS" or "http://localhost"');
    expect(page.html).toContain('value="Bad Redirect"');
    expect(idp.directory.apps()).toHaveLength(apps);

    const noPlatform = await admin.submit(form, 'Register', { displayName: 'No Platform', redirectUri: 'https://app.contoso.test/cb' });
    expect(noPlatform.status).toBe(400);
    expect(alerts(noPlatform)[0]).toContain('Select a platform: A redirect URI belongs to a platform, and none is selected.');
    expect(idp.directory.apps()).toHaveLength(apps);
  });
});

describe('other form errors say what is wrong and how to fix it', () => {
  it('an empty scope form names each required field, and adds nothing', async () => {
    const page = await admin.submit(await admin.open(`/portal/apps/${appId}/expose-api`), 'Add scope');
    expect(page.status).toBe(400);
    const text = alerts(page)[0] ?? '';
    expect(text).toContain('These 3 things need to be fixed');
    expect(text).toContain('Scope name: must not be empty Fill in Scope name.');
    expect(text).toContain('Admin consent display name: must not be empty');
    expect(page.html).toContain('<a href="#add-scope-value">Scope name</a>');
    expect(idp.directory.app(appId)!.api.oauth2PermissionScopes).toEqual([]);
  });

  it('a scope value with a space gets the rule’s wording', async () => {
    const page = await admin.submit(await admin.open(`/portal/apps/${appId}/expose-api`), 'Add scope', { value: 'tools read', adminConsentDisplayName: 'x', adminConsentDescription: 'y' });
    expect(alerts(page)[0]).toContain('Scope name: must not contain spaces (scp and roles are space-separated); use dots, e.g. Tools.Read');
  });

  it('an Application ID URI another app uses is refused with the directory’s reason', async () => {
    const page = await admin.submit(await admin.open(`/portal/apps/${appId}/expose-api`), 'Save Application ID URI', { identifierUri: 'api://05a91000-0000-4000-8000-000000000005' });
    expect(page.status).toBe(400);
    expect(alerts(page)[0]).toContain('is already used by "MCP Lab Protected API"');
    expect(idp.directory.app(appId)!.identifierUris).toEqual([]);
  });

  it('a secret lifetime over 24 months is refused with the admin API’s rule', async () => {
    const far = new Date(Date.now() + 800 * 86_400_000).toISOString().slice(0, 10);
    const page = await admin.submit(await admin.open(`/portal/apps/${appId}/credentials`), 'Add client secret', { description: 'too long', expires: 'custom', end: far });
    expect(page.status).toBe(400);
    expect(alerts(page)[0]).toContain(`Custom end date: ${far}T23:59:59Z is more than 24 months away; the portal offers at most 24 months. Pick a date within 730 days`);
    expect(idp.directory.secrets(appId)).toEqual([]);
  });

  it('assigning a role to a user needs a role users may hold: the blade says where to create one', async () => {
    const page = await admin.open(`/portal/enterprise-apps/${appId}/users-and-groups`);
    expect(pageText(page)).toContain('defines no enabled app role that users can hold');
    expect(page.html).toContain(`href="/portal/apps/${appId}/app-roles"`);
  });
});

describe('portal security', () => {
  it('lets no non-admin in: "You don\'t have access", no session cookie', async () => {
    const bob = userOf(idp, 'bob');
    const browser = new PortalBrowser(idp.baseUrl);
    const page = await browser.signIn(bob.username, bob.password);
    expect(page.status).toBe(403);
    expect(alerts(page)[0]).toContain("You don't have access to this. Your sign-in was successful, but Bob de Vries (bob@contoso.test) isn't an administrator of Contoso Lab");
    expect(alerts(page)[0]).toContain('Ask your administrator');
    expect(page.setCookies.some((c) => c.startsWith('mcp_lab_portal='))).toBe(false);
    const apps = await browser.open('/portal/apps');
    expect(apps.url.pathname).toBe('/portal/sign-in');
  });

  it('answers a wrong password, an unknown user and a disabled admin with Entra’s AADSTS errors', async () => {
    const browser = new PortalBrowser(idp.baseUrl);
    expect(alerts(await browser.signIn('admin@contoso.test', 'wrong'))[0]).toContain('AADSTS50126');
    expect(alerts(await browser.signIn('nobody@contoso.test', 'whatever'))[0]).toContain('The user account nobody@contoso.test does not exist in the Contoso Lab directory');
    idp.directory.createUser({ tenantId: idp.homeTenantId, userPrincipalName: 'dora@contoso.test', displayName: 'Dora', password: 'dora-lab-2026', isAdmin: true, accountEnabled: false });
    expect(alerts(await browser.signIn('dora@contoso.test', 'dora-lab-2026'))[0]).toContain('AADSTS50057');
    expect((await browser.open('/portal')).url.pathname).toBe('/portal/sign-in');
  });

  it('sets the session cookie HttpOnly, Secure, SameSite=Lax, scoped to /portal, with an expiry', async () => {
    const browser = new PortalBrowser(idp.baseUrl);
    const start = await browser.open('/portal/sign-in');
    const response = await fetch(`${idp.baseUrl}/portal/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: browser.jar.header(start.url) ?? '', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: /name="csrf" value="([^"]+)"/.exec(start.html)![1]!, username: 'admin@contoso.test', password: 'admin-lab-2026' }),
    });
    expect(response.status).toBe(303);
    const session = response.headers.getSetCookie().find((c) => c.startsWith('mcp_lab_portal='));
    expect(session).toMatch(/^mcp_lab_portal=[\w-]+\.[\w-]+; Path=\/portal; Max-Age=28800; HttpOnly; Secure; SameSite=Lax$/);
    const signInNonce = start.setCookies.find((c) => c.startsWith('mcp_lab_portal_signin='));
    expect(signInNonce).toMatch(/HttpOnly; Secure; SameSite=Lax$/);
  });

  it('refuses a forged or altered session cookie', async () => {
    const cookie = admin.jar.header(new URL(`${idp.baseUrl}/portal/apps`))!;
    const [name, value] = cookie.split('=');
    const [payload, mac] = value!.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), userId: userOf(idp, 'bob').oid })).toString('base64url');
    for (const forged of [`${name}=${forgedPayload}.${mac}`, `${name}=${payload}.AAAA${mac!.slice(4)}`, `${name}=${payload}`]) {
      const response = await fetch(`${idp.baseUrl}/portal/apps`, { headers: { cookie: forged }, redirect: 'manual' });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toMatch(/^\/portal\/sign-in\?next=/);
    }
  });

  it('refuses a POST without the form’s CSRF token, with another form’s token, or from another site, and changes nothing', async () => {
    const blade = await admin.open(`/portal/apps/${appId}/authentication`);
    const otherToken = /action="\/portal\/apps\/[^"]+\/authentication\/web\/add"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)"/.exec(blade.html)![1]!;
    const ownToken = /action="\/portal\/apps\/[^"]+\/authentication\/public-client-flows"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)"/.exec(blade.html)![1]!;
    const action = `/portal/apps/${appId}/authentication/public-client-flows`;
    const before = { app: idp.directory.app(appId), events: adminEvents() };
    for (const attempt of [
      admin.post(action, { allowPublicClient: 'yes' }),
      admin.post(action, { allowPublicClient: 'yes', csrf: 'forged' }),
      admin.post(action, { allowPublicClient: 'yes', csrf: otherToken }),
      admin.post(action, { allowPublicClient: 'yes', csrf: ownToken }, { 'sec-fetch-site': 'cross-site' }),
    ]) {
      const page = await attempt;
      expect(page.status).toBe(403);
      expect(alerts(page)[0]).toContain('Nothing was changed');
    }
    // Another admin session's token does not work in this one.
    const other = new PortalBrowser(idp.baseUrl);
    await other.signIn('admin@contoso.test', 'admin-lab-2026');
    expect((await other.post(action, { allowPublicClient: 'yes', csrf: ownToken })).status).toBe(403);
    expect(idp.directory.app(appId)).toEqual(before.app);
    expect(adminEvents()).toBe(before.events);
    // The token itself works.
    expect((await admin.post(action, { allowPublicClient: 'no', csrf: ownToken })).status).toBe(200);
  });

  it('refuses a sign-in post without the sign-in form’s token', async () => {
    const browser = new PortalBrowser(idp.baseUrl);
    const page = await browser.post('/portal/sign-in', { username: 'admin@contoso.test', password: 'admin-lab-2026' });
    expect(page.status).toBe(403);
    expect(page.setCookies.some((c) => c.startsWith('mcp_lab_portal='))).toBe(false);
  });

  it('does not follow a "next" that leaves the portal', async () => {
    const browser = new PortalBrowser(idp.baseUrl);
    const start = await browser.open('/portal/sign-in?next=%2F%2Fevil.example%2Fx');
    const page = await browser.submit(start, 'Sign in', { username: 'admin@contoso.test', password: 'admin-lab-2026' });
    expect(page.url.href).toBe(`${idp.baseUrl}/portal/apps`);
  });

  it('cannot be framed, runs no script and is not cached: on pages, redirects and the sign-in page', async () => {
    const responses = [
      await fetch(`${idp.baseUrl}/portal/sign-in`),
      await fetch(`${idp.baseUrl}/portal/apps`, { redirect: 'manual' }),
      await fetch(`${idp.baseUrl}/portal/apps`, { headers: { cookie: admin.jar.header(new URL(`${idp.baseUrl}/portal/apps`))! } }),
    ];
    for (const response of responses) {
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('script-src');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).not.toMatch(/<script/i);
    }
  });

  it('refuses an oversized form with a page (no stack trace), and answers an unknown page with a 404 page', async () => {
    const big = await admin.post(`/portal/apps/${appId}/authentication/web/add`, { uri: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
    expect(alerts(big)[0]).toContain('Nothing was changed');
    expect(big.headers.get('x-frame-options')).toBe('DENY');
    const missing = await admin.open('/portal/no-such-blade');
    expect(missing.status).toBe(404);
    expect(accessibilityProblems(missing, { portal: true })).toEqual([]);
  });

  it('shows another tenant’s registration as not found', async () => {
    const foreign = idp.directory.createApp({ tenantId: idp.foreignTenantId, displayName: 'Fabrikam App' });
    const page = await admin.open(`/portal/apps/${foreign.appId}/overview`);
    expect(page.status).toBe(404);
    expect(alerts(page)[0]).toContain(`No app registration in Contoso Lab has the Application (client) ID ${foreign.appId}`);
    expect((await admin.open('/portal/apps')).html).not.toContain('Fabrikam App');
  });

  it('ends the session on sign-out, even for a copy of the cookie, and at once for an admin who loses the role', async () => {
    const browser = new PortalBrowser(idp.baseUrl);
    const home = await browser.signIn('admin@contoso.test', 'admin-lab-2026');
    const copy = browser.jar.header(new URL(`${idp.baseUrl}/portal/apps`))!;
    const out = await browser.submit(home, 'Sign out');
    expect(out.url.pathname).toBe('/portal/sign-in');
    expect(notice(out)).toBe('You signed out of the admin center.');
    const replay = await fetch(`${idp.baseUrl}/portal/apps`, { headers: { cookie: copy }, redirect: 'manual' });
    expect(replay.status).toBe(303);

    idp.directory.createUser({ tenantId: idp.homeTenantId, userPrincipalName: 'erin@contoso.test', displayName: 'Erin', password: 'erin-lab-2026', isAdmin: true });
    const erin = new PortalBrowser(idp.baseUrl);
    expect((await erin.signIn('erin@contoso.test', 'erin-lab-2026')).url.pathname).toBe('/portal/apps');
    const erinUser = idp.directory.userByName('erin@contoso.test')!;
    idp.directory.updateUser(erinUser.id, { isAdmin: false });
    expect((await erin.open('/portal/apps')).url.pathname).toBe('/portal/sign-in');
  });
});

describe('every portal page', () => {
  let pages: Page[] = [];
  let secret = '';

  beforeAll(async () => {
    // A secret made a moment ago, and the seeded apps' dev secrets: no page may ever show them again.
    const created = await admin.submit(await admin.open(`/portal/apps/${appId}/credentials`), 'Add client secret', { description: 'crawl' });
    secret = codeById(created, 'new-secret-value');
    const seen = new Set<string>();
    const queue = ['/portal'];
    while (queue.length > 0 && seen.size < 150) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const page = await admin.open(path);
      pages.push(page);
      if (!path.endsWith('/download')) for (const link of portalLinks(page)) if (!seen.has(link)) queue.push(link);
    }
    pages = pages.filter((p) => p.status === 200);
  });

  it('was reached: the crawl covers every blade of the seeded apps, users and enterprise apps', () => {
    const paths = pages.map((p) => p.url.pathname);
    for (const blade of ['overview', 'authentication', 'credentials', 'api-permissions', 'expose-api', 'app-roles', 'manifest']) {
      expect(paths).toContain(`/portal/apps/05a91000-0000-4000-8000-000000000005/${blade}`);
    }
    expect(paths).toContain('/portal/users/a11ce000-0000-4000-8000-000000000001');
    expect(paths).toContain('/portal/enterprise-apps/05a91000-0000-4000-8000-000000000005/users-and-groups');
    expect(paths).toContain('/portal/apps/05a91000-0000-4000-8000-000000000005/api-permissions/add');
    expect(pages.length).toBeGreaterThan(40);
  });

  it('names an icon that the IdP serves, on every page and on the sign-in pages (no 404 for /favicon.ico)', async () => {
    const signIn = await (await fetch(`${idp.baseUrl}/portal/sign-in`)).text();
    for (const html of [signIn, ...pages.map((p) => p.html).filter((h) => h.startsWith('<!doctype html>'))]) expect(html).toContain('<link rel="icon" href="/_lab/assets/favicon.svg" type="image/svg+xml">');
    for (const path of ['/_lab/assets/favicon.svg', '/favicon.ico']) {
      const icon = await fetch(`${idp.baseUrl}${path}`);
      expect(icon.status, path).toBe(200);
      expect(icon.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
      expect(await icon.text()).toContain('<svg');
    }
  });

  it('never shows a secret value (only the creation response does)', () => {
    const devSecrets = idp.info().apps.flatMap((a) => (a.devSecret ? [a.devSecret] : []));
    expect(devSecrets.length).toBeGreaterThan(0);
    for (const page of pages) {
      for (const value of [secret, ...devSecrets]) expect(page.html, page.url.pathname).not.toContain(value);
    }
  });

  it('meets the accessibility basics: one h1, landmarks, breadcrumb, labelled fields, scoped table headers, named buttons', () => {
    for (const page of pages.filter((p) => p.headers.get('content-type')?.startsWith('text/html'))) {
      expect(accessibilityProblems(page, { portal: true }), page.url.pathname).toEqual([]);
      expect(page.html, page.url.pathname).toMatch(/<nav aria-label="Portal"/);
    }
  });

  it('marks the current blade in the app’s menu', () => {
    const page = pages.find((p) => p.url.pathname === `/portal/apps/${appId}/credentials`)!;
    expect(page.html).toContain('<nav aria-label="Rules App menu" class="blade-menu">');
    expect(page.html).toContain(`<a href="/portal/apps/${appId}/credentials" aria-current="page">Certificates &amp; secrets</a>`);
    expect(page.html).toMatch(/<nav aria-label="Breadcrumb" class="breadcrumb"><ol>\s*<li><a href="\/portal">Home<\/a><\/li>\s*<li><a href="\/portal\/apps">App registrations<\/a><\/li>\s*<li><a href="[^"]+">Rules App<\/a><\/li>\s*<li><span aria-current="page">Certificates &amp; secrets<\/span><\/li>/);
    expect(page.html).toMatch(/<p class="lab-note"><strong>In Microsoft Entra:<\/strong> .+ <strong>In this lab:<\/strong> /);
  });

  it('the sign-in page is accessible too', async () => {
    const page = await new PortalBrowser(idp.baseUrl).open('/portal/sign-in');
    expect(accessibilityProblems(page, { portal: false })).toEqual([]);
    const failed = await new PortalBrowser(idp.baseUrl).signIn('admin@contoso.test', 'wrong');
    expect(failed.html).toMatch(/role="alert"/);
    expect(failed.html).toMatch(/aria-describedby="signin-problem" aria-invalid="true" autofocus/);
    expect(accessibilityProblems(failed, { portal: false })).toEqual([]);
  });
});
