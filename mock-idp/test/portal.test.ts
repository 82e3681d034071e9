import { ConfidentialClientApplication, CryptoProvider, PublicClientApplication } from '@azure/msal-node';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_APP_ID, playUser } from '../src/index.ts';
import { GRAPH_SCOPE_IDS } from '../src/seed/microsoft-graph.ts';
import { userOf } from './support/flows.ts';
import { alerts, codeById, notice, optionValue, pageText, PortalBrowser, type Page } from './support/portal-browser.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(async () => {
  await idp.dispose();
});

function expectOk(page: Page, status = 200): void {
  expect(alerts(page), `alerts on ${page.url.pathname}`).toEqual([]);
  expect(page.status, page.url.pathname).toBe(status);
}

/**
 * The seed's exercise 1 ("Registreer een applicatie in Entra ID"), done by
 * hand in the portal as a learner would, and then used by real MSAL code:
 * the registration must work for a public client (lab 02), a confidential
 * client with the new secret (lab 03), and an API whose token carries the
 * role assigned in the portal.
 */
describe('exercise 1 in the portal, from sign-in to a working registration', () => {
  const browser = () => portal;
  let portal: PortalBrowser;
  let appId = '';
  let tenantId = '';
  let secret = '';
  const scope = 'access_as_user';

  beforeAll(() => {
    portal = new PortalBrowser(idp.baseUrl);
  });

  it('signs in as the tenant admin and lands where it was going', async () => {
    const first = await browser().open('/portal/apps');
    expect(first.url.pathname).toBe('/portal/sign-in');
    const admin = userOf(idp, 'admin');
    const page = await browser().submit(first, 'Sign in', { username: admin.username, password: admin.password });
    expectOk(page);
    expect(page.url.pathname).toBe('/portal/apps');
    expect(page.html).toContain('<h1>App registrations</h1>');
    expect(pageText(page)).toContain('Megan Admin');
  });

  it('registers a single-tenant app with New registration and shows its IDs on Overview', async () => {
    const list = await browser().open('/portal/apps');
    expect(list.html).toContain('href="/portal/apps/new"');
    const form = await browser().open('/portal/apps/new');
    expectOk(form);
    const overview = await browser().submit(form, 'Register', { displayName: 'Learner Lab 01 App', signInAudience: 'AzureADMyOrg' });
    expectOk(overview);
    expect(notice(overview)).toMatch(/Application registered/);
    appId = codeById(overview, 'client-id');
    tenantId = codeById(overview, 'tenant-id');
    expect(appId).toMatch(/^[0-9a-f-]{36}$/);
    expect(tenantId).toBe(idp.homeTenantId);
    expect(overview.url.pathname).toBe(`/portal/apps/${appId}/overview`);
    expect(pageText(overview)).toContain('My organization only');
    // The same registration the admin API sees.
    expect(idp.directory.app(appId)).toMatchObject({ displayName: 'Learner Lab 01 App', signInAudience: 'AzureADMyOrg', tenantId });
  });

  it('Authentication: adds Mobile and desktop http://localhost, turns on public client flows, adds the Web callback', async () => {
    let page = await browser().open(`/portal/apps/${appId}/authentication`);
    expectOk(page);
    page = await browser().submit(page, 'Add URI to Mobile and desktop applications', { uri: 'http://localhost' });
    expectOk(page);
    expect(notice(page)).toBe('Redirect URI added.');
    page = await browser().submit(page, 'Save "Allow public client flows"', { allowPublicClient: 'yes' });
    expectOk(page);
    expect(page.html).toMatch(/value="yes" checked/);
    page = await browser().submit(page, 'Add URI to Web', { uri: 'http://localhost:3001/auth/callback' });
    expectOk(page);
    expect(page.html).toContain('aria-label="Remove http://localhost:3001/auth/callback from Web"');
    expect(page.html).toContain('aria-label="Remove http://localhost from Mobile and desktop applications"');
    expect(idp.directory.app(appId)).toMatchObject({ isFallbackPublicClient: true, publicClient: { redirectUris: ['http://localhost'] }, web: { redirectUris: ['http://localhost:3001/auth/callback'] } });
  });

  it('Certificates & secrets: shows a new secret value once, with a copy button, on a page a reload cannot post again; then only its hint', async () => {
    const blade = await browser().open(`/portal/apps/${appId}/credentials`);
    expectOk(blade);
    const before = idp.directory.secrets(appId).length;
    const created = await browser().submit(blade, 'Add client secret', { description: 'lab 01', expires: '180' });
    // POST/redirect/GET: the value is on the blade's own address, reached with a GET.
    expectOk(created);
    expect(created.url.pathname).toBe(`/portal/apps/${appId}/credentials`);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(pageText(created)).toContain("Client secret values cannot be viewed, except for immediately after creation");
    secret = codeById(created, 'new-secret-value');
    expect(secret.length).toBeGreaterThanOrEqual(40);
    expect(created.html).toMatch(/<button type="button" class="secondary" data-copy="new-secret-value"[^>]*>Copy the client secret value<\/button>/);
    expect(created.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = await fetch(new URL(/<script src="([^"]+)"/.exec(created.html)![1]!, idp.baseUrl));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain('navigator.clipboard.writeText');

    // F5 on that page: a GET again — no second secret, and the value is not shown twice.
    const again = await browser().open(`${created.url.pathname}${created.url.search}`);
    expectOk(again);
    expect(again.html).not.toContain(secret);
    expect(notice(again)).toContain('shown once');
    expect(again.headers.get('content-security-policy')).not.toContain('script-src');
    expect(idp.directory.secrets(appId)).toHaveLength(before + 1);

    const reloaded = await browser().open(`/portal/apps/${appId}/credentials`);
    expectOk(reloaded);
    expect(reloaded.html).not.toContain(secret);
    expect(reloaded.html).toContain(`${secret.slice(0, 3)}*************`);
    expect(pageText(reloaded)).toContain('lab 01');
    const end = new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10);
    expect(pageText(reloaded)).toContain(end);
  });

  it('Expose an API: sets api://{appId} and adds a scope', async () => {
    let page = await browser().open(`/portal/apps/${appId}/expose-api`);
    expectOk(page);
    expect(page.html).toContain(`value="api://${appId}"`);
    page = await browser().submit(page, 'Save Application ID URI');
    expectOk(page);
    expect(codeById(page, 'identifier-uri')).toBe(`api://${appId}`);
    page = await browser().submit(page, 'Add scope', {
      value: scope,
      type: 'User',
      adminConsentDisplayName: 'Use the lab MCP server',
      adminConsentDescription: "Lets the app call the lab MCP server's tools for the signed-in user.",
      userConsentDisplayName: 'Use the lab MCP server as you',
      userConsentDescription: "Lets the app call the MCP server's tools for you.",
    });
    expectOk(page);
    expect(pageText(page)).toContain(`api://${appId}/${scope}`);
  });

  it('App roles: creates a role users can hold', async () => {
    let page = await browser().open(`/portal/apps/${appId}/app-roles`);
    page = await browser().submit(page, 'Apply', { displayName: 'Tool runners', allowedMemberTypes: 'User', value: 'Tools.Run', description: 'Run the MCP server tools.' });
    expectOk(page);
    expect(pageText(page)).toContain('Tools.Run');
    expect(idp.directory.app(appId)?.appRoles).toEqual([expect.objectContaining({ value: 'Tools.Run', allowedMemberTypes: ['User'], isEnabled: true })]);
  });

  it('Enterprise applications: assigns alice to the role', async () => {
    const alice = userOf(idp, 'alice');
    const list = await browser().open('/portal/enterprise-apps');
    expect(list.html).toContain(`href="/portal/enterprise-apps/${appId}/overview"`);
    let page = await browser().open(`/portal/enterprise-apps/${appId}/users-and-groups`);
    expectOk(page);
    page = await browser().submit(page, 'Assign the role to the user', { user: optionValue(page, 'user', 'alice@contoso.test'), role: optionValue(page, 'role', 'Tools.Run') });
    expectOk(page);
    expect(notice(page)).toMatch(/Assignment added/);
    expect(page.html).toContain(`href="/portal/users/${alice.oid}"`);
    const user = await browser().open(`/portal/users/${alice.oid}`);
    expect(pageText(user)).toContain('Tools.Run');
  });

  it('API permissions: adds Graph User.Read and its own scope, then grants admin consent', async () => {
    let page = await browser().open(`/portal/apps/${appId}/api-permissions/add`);
    expectOk(page);
    expect(page.html).toContain(`?api=${GRAPH_APP_ID}`);
    expect(page.html).toContain(`?api=${appId}`);
    page = await browser().open(`/portal/apps/${appId}/api-permissions/add?api=${GRAPH_APP_ID}`);
    page = await browser().submit(page, 'Add permissions', { delegated: ['Scope:User.Read'] });
    expectOk(page);
    expect(pageText(page)).toContain('Not granted for Contoso Lab');
    page = await browser().open(`/portal/apps/${appId}/api-permissions/add?api=${appId}`);
    page = await browser().submit(page, 'Add permissions', { delegated: [`Scope:${scope}`] });
    expectOk(page);
    page = await browser().submit(page, 'Grant admin consent for Contoso Lab');
    expectOk(page);
    expect(notice(page)).toMatch(/Admin consent granted/);
    expect(pageText(page)).not.toContain('Not granted for Contoso Lab');
    expect(pageText(page).match(/Granted for Contoso Lab/g)).toHaveLength(2);
  });

  it('Manifest: shows and downloads the settings, never the secret value', async () => {
    const blade = await browser().open(`/portal/apps/${appId}/manifest`);
    expectOk(blade);
    expect(blade.html).toContain('<pre class="manifest"');
    expect(blade.html).not.toContain(secret);
    const download = await fetch(`${idp.baseUrl}/portal/apps/${appId}/manifest/download`, { headers: { cookie: browser().jar.header(new URL(`${idp.baseUrl}/portal/apps`)) ?? '' } });
    expect(download.status).toBe(200);
    // The file lab 01 asks for, so the download can be handed in as it is.
    expect(download.headers.get('content-disposition')).toBe('attachment; filename=app-manifest.json');
    expect(blade.html).toContain('download="app-manifest.json"');
    const text = await download.text();
    expect(text).not.toContain(secret);
    const manifest = JSON.parse(text) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      appId,
      displayName: 'Learner Lab 01 App',
      signInAudience: 'AzureADMyOrg',
      isFallbackPublicClient: true,
      identifierUris: [`api://${appId}`],
      publicClient: { redirectUris: ['http://localhost'] },
      web: { redirectUris: ['http://localhost:3001/auth/callback'] },
      api: { oauth2PermissionScopes: [expect.objectContaining({ value: scope, type: 'User' })] },
      appRoles: [expect.objectContaining({ value: 'Tools.Run', allowedMemberTypes: ['User'] })],
      passwordCredentials: [expect.objectContaining({ displayName: 'lab 01', hint: secret.slice(0, 3), secretText: null })],
    });
    expect(manifest.requiredResourceAccess).toEqual(
      expect.arrayContaining([{ resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: GRAPH_SCOPE_IDS['User.Read'], type: 'Scope' }] }]),
    );
    // The same document the admin API exports (apart from the export time in notes).
    const exported = (await (await fetch(`${idp.baseUrl}/_lab/admin/apps/${appId}/manifest`, { headers: { authorization: `Bearer ${idp.adminToken}` } })).json()) as Record<string, unknown>;
    expect({ ...manifest, notes: '' }).toEqual({ ...exported, notes: '' });
  });

  it('works with MSAL as a public client: alice signs in, her token for the API carries the role, and Graph answers /me', async () => {
    const pca = new PublicClientApplication({ auth: { clientId: appId, authority: `${idp.baseUrl}/${tenantId}`, knownAuthorities: [idp.knownAuthority] } });
    const redirectUri = 'http://localhost:53123'; // registered as http://localhost: any port
    const pkce = await new CryptoProvider().generatePkceCodes();
    const scopes = [`api://${appId}/${scope}`];
    const url = await pca.getAuthCodeUrl({ scopes, redirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256' });
    // Admin consent covers the API scope and User.Read; MSAL also asks for openid profile offline_access, which alice accepts.
    const delivery = await playUser(url, { ...userOf(idp, 'alice'), consent: 'accept' });
    const code = delivery.params.get('code');
    expect(code, delivery.params.toString()).toBeTruthy();
    const result = await pca.acquireTokenByCode({ code: code!, scopes, redirectUri, codeVerifier: pkce.verifier });

    // A new registration has requestedAccessTokenVersion null, as in Entra: v1.0 tokens, whose
    // issuer the v1.0 metadata names and whose aud is the Application ID URI the scope used.
    const v1 = (await (await fetch(`${idp.baseUrl}/${tenantId}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    const { payload } = await jwtVerify(result.accessToken, createRemoteJWKSet(new URL(v1.jwks_uri)), { issuer: v1.issuer, audience: `api://${appId}` });
    expect(payload).toMatchObject({ ver: '1.0', tid: tenantId, oid: userOf(idp, 'alice').oid, scp: scope, roles: ['Tools.Run'], appid: appId });

    const graph = await pca.acquireTokenSilent({ account: result.account!, scopes: ['User.Read'] });
    const me = await fetch(`${idp.baseUrl}/graph/v1.0/me`, { headers: { authorization: `Bearer ${graph.accessToken}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ userPrincipalName: 'alice@contoso.test' });
  });

  it('works with MSAL as a confidential client with the secret from the portal, until the secret is deleted there', async () => {
    const cca = new ConfidentialClientApplication({ auth: { clientId: appId, clientSecret: secret, authority: `${idp.baseUrl}/${tenantId}`, knownAuthorities: [idp.knownAuthority] } });
    const redirectUri = 'http://localhost:3001/auth/callback';
    const pkce = await new CryptoProvider().generatePkceCodes();
    const url = await cca.getAuthCodeUrl({ scopes: ['User.Read'], redirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256' });
    const delivery = await playUser(url, userOf(idp, 'alice'));
    expect(delivery.url.href).toBe(redirectUri);
    const result = await cca.acquireTokenByCode({ code: delivery.params.get('code')!, scopes: ['User.Read'], redirectUri, codeVerifier: pkce.verifier });
    expect(result.account?.username).toBe('alice@contoso.test');

    let page = await browser().open(`/portal/apps/${appId}/credentials`);
    page = await browser().submit(page, 'Delete client secret lab 01');
    expectOk(page);
    const again = new ConfidentialClientApplication({ auth: { clientId: appId, clientSecret: secret, authority: `${idp.baseUrl}/${tenantId}`, knownAuthorities: [idp.knownAuthority] } });
    await expect(again.acquireTokenByClientCredential({ scopes: [`api://${appId}/.default`] })).rejects.toThrow(/AADSTS7000215/);
  });

  it('recorded every change as an admin trace event, by the admin, without the secret', () => {
    const events = idp.trace.history().filter((e) => e.type === 'admin' && e.clientId === appId);
    const summaries = events.map((e) => e.summary);
    expect(summaries).toEqual(
      expect.arrayContaining([
        'app registered: Learner Lab 01 App',
        'redirect URI added to Learner Lab 01 App: http://localhost (Mobile and desktop applications)',
        'app changed: Learner Lab 01 App',
        'secret added to Learner Lab 01 App',
        `scope added to Learner Lab 01 App: ${scope}`,
        'app role added to Learner Lab 01 App: Tools.Run',
        'API permission added to Learner Lab 01 App: Microsoft Graph User.Read (delegated)',
        'admin consent granted for Learner Lab 01 App',
        'secret deleted from Learner Lab 01 App',
      ]),
    );
    for (const event of events) expect(event.detail).toMatchObject({ via: 'portal', by: 'admin@contoso.test' });
    expect(JSON.stringify(idp.trace.history())).not.toContain(secret);
  });
});

describe('undoing changes in the portal', () => {
  let portal: PortalBrowser;
  let appId = '';

  beforeAll(async () => {
    portal = new PortalBrowser(idp.baseUrl);
    const admin = userOf(idp, 'admin');
    await portal.signIn(admin.username, admin.password);
    const overview = await portal.submit(await portal.open('/portal/apps/new'), 'Register', { displayName: 'Undo App', platform: 'spa', redirectUri: 'https://spa.contoso.test/' });
    appId = codeById(overview, 'client-id');
    expect(idp.directory.app(appId)?.spa.redirectUris).toEqual(['https://spa.contoso.test/']);
  });

  it('removes a redirect URI', async () => {
    const page = await portal.submit(await portal.open(`/portal/apps/${appId}/authentication`), 'Remove https://spa.contoso.test/ from Single-page application');
    expectOk(page);
    expect(notice(page)).toBe('Redirect URI removed.');
    expect(idp.directory.app(appId)?.spa.redirectUris).toEqual([]);
  });

  it('removes a permission and revokes admin consent', async () => {
    let page = await portal.open(`/portal/apps/${appId}/api-permissions/add?api=${GRAPH_APP_ID}`);
    page = await portal.submit(page, 'Add permissions', { delegated: ['Scope:User.Read', 'Scope:profile'], application: ['Role:User.Read.All'] });
    expectOk(page);
    page = await portal.submit(page, 'Grant admin consent for Contoso Lab');
    expectOk(page);
    const app = idp.directory.app(appId)!;
    expect(idp.directory.consentedScopes(appId, userOf(idp, 'bob').oid, GRAPH_APP_ID)).toEqual(['User.Read', 'profile']);
    expect(idp.directory.appRoleAssignments({ principalId: app.servicePrincipalId }).map((a) => a.appRoleId)).toHaveLength(1);

    page = await portal.submit(page, 'Remove permission profile of Microsoft Graph');
    expectOk(page);
    expect(notice(page)).toMatch(/Permission removed/);
    expect(pageText(page)).not.toContain('Microsoft Graph · profile');
    page = await portal.submit(page, 'Revoke admin consent');
    expectOk(page);
    expect(idp.directory.consentedScopes(appId, userOf(idp, 'bob').oid, GRAPH_APP_ID)).toEqual([]);
    // Application permissions stay assigned (as with the admin API's DELETE /admin-consent).
    expect(pageText(page)).toContain('Granted for Contoso Lab');
  });

  it('removes a user’s role assignment', async () => {
    let page = await portal.submit(await portal.open(`/portal/apps/${appId}/app-roles`), 'Apply', { displayName: 'Readers', allowedMemberTypes: 'Both', value: 'Things.Read', description: 'Read things.' });
    expectOk(page);
    page = await portal.open(`/portal/enterprise-apps/${appId}/users-and-groups`);
    page = await portal.submit(page, 'Assign the role to the user', { user: optionValue(page, 'user', 'bob@contoso.test'), role: optionValue(page, 'role', 'Things.Read') });
    expect(idp.directory.roleValues(userOf(idp, 'bob').oid, appId)).toEqual(['Things.Read']);
    page = await portal.submit(page, 'Assign the role to the user', { user: optionValue(page, 'user', 'bob@contoso.test'), role: optionValue(page, 'role', 'Things.Read') });
    expect(notice(page)).toBe('The user already had that role: nothing changed.');
    page = await portal.submit(page, 'Remove Things.Read from Bob de Vries');
    expectOk(page);
    expect(notice(page)).toMatch(/Assignment removed/);
    expect(idp.directory.roleValues(userOf(idp, 'bob').oid, appId)).toEqual([]);
  });

  it('deletes the registration only after confirmation', async () => {
    let page = await portal.submit(await portal.open(`/portal/apps/${appId}/overview`), 'Delete this app registration');
    expect(page.status).toBe(400);
    expect(alerts(page)[0]).toContain('Deleting needs your confirmation.');
    expect(idp.directory.app(appId)).toBeDefined();
    page = await portal.submit(page, 'Delete this app registration', { confirm: 'yes' });
    expectOk(page);
    expect(page.url.pathname).toBe('/portal/apps');
    expect(notice(page)).toBe('The app registration was deleted.');
    expect(idp.directory.app(appId)).toBeUndefined();
    expect((await portal.open(`/portal/apps/${appId}/overview`)).status).toBe(404);
  });
});
