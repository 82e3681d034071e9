import fs from 'node:fs';
import path from 'node:path';
import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playUser, SEED, GRAPH_APP_ID } from '../src/index.ts';
import type { AppView, SecretView } from '../src/admin/apps/app-view.ts';
import type { AppRoleAssignmentView } from '../src/admin/common/assignment-view.ts';
import type { PermissionScope, AppRole } from '../src/directory/types.ts';
import { adminClient, containing } from './support/admin-client.ts';
import { tokenRequest, userOf } from './support/flows.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';

let idp: TestIdp;
let call: ReturnType<typeof adminClient>;

beforeAll(async () => {
  idp = await startTestIdp();
  call = adminClient(idp);
});
afterAll(async () => {
  await idp.dispose();
});

const SECRET_SHAPE = /^[A-Za-z0-9_.~-]{3}8Q~[A-Za-z0-9_.~-]{40}$/;

/** A v2.0 token (the seeded API states 2), or v1.0 (an API registered here keeps Entra's default, null). */
async function claimsOf(token: string, audience: string, version: 1 | 2 = 2): Promise<JWTPayload> {
  const jwks = createRemoteJWKSet(new URL(`${idp.baseUrl}/${idp.homeTenantId}/discovery/v2.0/keys`));
  const issuer = version === 2 ? `${idp.baseUrl}/${idp.homeTenantId}/v2.0` : `https://sts.windows.net/${idp.homeTenantId}/`;
  const { payload } = await jwtVerify(token, jwks, { issuer, audience });
  return payload;
}

/** Everything the IdP has written to disk, as one string, to search for a plaintext secret. */
function stateOnDisk(): string {
  return fs
    .readdirSync(idp.dataDir)
    .filter((f) => f.startsWith('idp.sqlite'))
    .map((f) => fs.readFileSync(path.join(idp.dataDir, f)).toString('latin1'))
    .join('\n');
}

describe('admin API: access', () => {
  it('answers 401 in the admin error shape without the admin token, or with a wrong one', async () => {
    const missing = await call('GET', '/apps', undefined, { token: null });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    expect(missing.body.error).toMatchObject({ code: 'ADMIN_TOKEN_MISSING', fix: containing(idp.adminTokenPath) });

    const wrong = await call('POST', '/apps', { displayName: 'Sneaky' }, { token: 'x'.repeat(43) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('ADMIN_TOKEN_INVALID');
    expect(idp.directory.apps().some((a) => a.displayName === 'Sneaky')).toBe(false);
  });

  it('answers unknown routes and malformed JSON in the same shape', async () => {
    const unknown = await call('GET', '/applications');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'ADMIN_ROUTE_NOT_FOUND', fix: containing('docs/admin-api.md') });

    const broken = await call('POST', '/apps', undefined, { rawBody: '{"displayName": "x",}' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('INVALID_JSON');

    const notJson = await call('POST', '/apps', undefined, { rawBody: '{"displayName": "x"}', contentType: 'text/plain' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toMatchObject({ code: 'INVALID_REQUEST', message: containing('no JSON body'), fix: containing('Content-Type: application/json') });

    const graph = await call('DELETE', `/apps/${GRAPH_APP_ID}`);
    expect(graph.status).toBe(404);
    expect(graph.body.error.code).toBe('BUILT_IN_APP');
  });
});

describe('admin API: validation errors name the JSON path and the fix', () => {
  it('names a wrongly typed field by its path', async () => {
    const res = await call('POST', '/apps', { displayName: 'Typed', web: { redirectUris: ['https://ok.test/cb', 42] } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_REQUEST', path: 'web.redirectUris[1]' });
    expect(res.body.error.message).toContain('web.redirectUris[1]');
    expect(res.body.error.fix).toContain('web.redirectUris[1]');
  });

  it('names a misspelt field instead of ignoring it, and a missing one', async () => {
    const typo = await call('POST', '/apps', { displayName: 'Typo', isFallbackPublicCLient: true });
    expect(typo.status).toBe(400);
    expect(typo.body.error.message).toContain('"isFallbackPublicCLient"');
    expect(typo.body.error.fix).toContain('Did you mean isFallbackPublicClient?');

    const missing = await call('POST', '/apps', { signInAudience: 'AzureADMyOrg' });
    expect(missing.body.error).toMatchObject({ path: 'displayName', message: containing('displayName is missing') });
  });

  it('explains why personal accounts are refused', async () => {
    const res = await call('POST', '/apps', { displayName: 'Consumer', signInAudience: 'AzureADandPersonalMicrosoftAccount' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('personal Microsoft accounts do not exist in this lab');
  });

  it('applies the redirect URI rules to a new registration, with the path of the offending URI', async () => {
    const res = await call('POST', '/apps', { displayName: 'Bad URIs', web: { redirectUris: ['https://ok.test/cb'] }, spa: { redirectUris: ['http://spa.test/'] } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'REDIRECT_URI_HTTPS_REQUIRED', path: 'spa.redirectUris[0]' });
    expect(res.body.error.message).toContain('Must start with "HTTPS" or "http://localhost"');
  });

  it('maps directory refusals: 404 with the appId for an object ID, 409 for a taken Application ID URI', async () => {
    const byObjectId = await call('GET', `/apps/${SEED.apps.webServer.id}`);
    expect(byObjectId.status).toBe(404);
    expect(byObjectId.body.error).toMatchObject({ code: 'APP_NOT_FOUND', fix: containing(SEED.apps.webServer.appId) });

    const created = await call<AppView>('POST', '/apps', { displayName: 'URI thief' });
    const taken = await call('PATCH', `/apps/${created.body.appId}`, { identifierUris: [`api://${SEED.apps.protectedApi.appId}`] });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'IDENTIFIER_URI_TAKEN', message: containing('MCP Lab Protected API') });
  });
});

describe('admin API: a registration from scratch, used by MSAL', () => {
  let api: AppView;
  let client: AppView;
  let secret: SecretView & { secretText: string };

  it('creates an API registration in the home tenant with random IDs', async () => {
    const res = await call<AppView>('POST', '/apps', { displayName: 'Reports API' });
    expect(res.status).toBe(201);
    api = res.body;
    expect(res.headers.get('location')).toBe(`/_lab/admin/apps/${api.appId}`);
    expect(api).toMatchObject({ displayName: 'Reports API', tenantId: idp.homeTenantId, signInAudience: 'AzureADMyOrg', identifierUris: [], passwordCredentials: [] });
    expect(api.appId).not.toBe(api.id);
    expect((await call<{ value: AppView[] }>('GET', `/apps?tenant=contoso.test`)).body.value.map((a) => a.appId)).toContain(api.appId);
    expect((await call<{ value: AppView[] }>('GET', `/apps?tenant=fabrikam.test`)).body.value.map((a) => a.appId)).not.toContain(api.appId);
  });

  it('exposes a scope (setting api://{appId} like the portal) and app roles', async () => {
    const scope = await call<PermissionScope & { scopeUri: string }>('POST', `/apps/${api.appId}/scopes`, {
      value: 'Reports.Read',
      adminConsentDisplayName: 'Read reports',
      adminConsentDescription: 'Lets the app read reports for the signed-in user.',
    });
    expect(scope.status).toBe(201);
    expect(scope.body).toMatchObject({ value: 'Reports.Read', type: 'User', isEnabled: true, scopeUri: `api://${api.appId}/Reports.Read` });

    const exporter = await call<AppRole>('POST', `/apps/${api.appId}/app-roles`, {
      value: 'Reports.Export',
      displayName: 'Export reports',
      description: 'Daemons that export every report.',
      allowedMemberTypes: ['Application'],
    });
    expect(exporter.status).toBe(201);
    const reader = await call<AppRole>('POST', `/apps/${api.appId}/app-roles`, {
      value: 'Reports.Reader',
      displayName: 'Report readers',
      description: 'People who read reports.',
      allowedMemberTypes: ['User'],
    });
    expect(reader.status).toBe(201);

    const duplicate = await call('POST', `/apps/${api.appId}/app-roles`, { value: 'reports.export', displayName: 'x', description: 'y', allowedMemberTypes: ['User'] });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error).toMatchObject({ code: 'APP_ROLE_VALUE_DUPLICATE', path: 'appRoles[2].value' });
    const spaced = await call('POST', `/apps/${api.appId}/scopes`, { value: 'Read reports', adminConsentDisplayName: 'x', adminConsentDescription: 'y' });
    expect(spaced.body.error).toMatchObject({ code: 'INVALID_REQUEST', path: 'value', message: containing('must not contain spaces') });

    api = (await call<AppView>('GET', `/apps/${api.appId}`)).body;
    expect(api.identifierUris).toEqual([`api://${api.appId}`]);
    expect(api.appRoles.map((r) => r.value)).toEqual(['Reports.Export', 'Reports.Reader']);
  });

  it('creates a client and gives it a secret whose value appears only in the POST response', async () => {
    client = (await call<AppView>('POST', '/apps', { displayName: 'Reports Daemon', web: { redirectUris: ['http://localhost:3010/auth/callback'] } })).body;
    const res = await call<SecretView & { secretText: string }>('POST', `/apps/${client.appId}/secrets`, { displayName: 'ci', expiresInDays: 30 });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    secret = res.body;
    expect(secret.secretText).toMatch(SECRET_SHAPE);
    expect(secret.hint).toBe(secret.secretText.slice(0, 3));
    const days = (Date.parse(secret.endDateTime) - Date.parse(secret.startDateTime)) / 86_400_000;
    expect(Math.round(days)).toBe(30);

    const list = await call<{ value: SecretView[] }>('GET', `/apps/${client.appId}/secrets`);
    expect(list.body.value).toEqual([{ keyId: secret.keyId, displayName: 'ci', hint: secret.hint, startDateTime: secret.startDateTime, endDateTime: secret.endDateTime }]);
    expect(list.text).not.toContain(secret.secretText);
    const app = await call<AppView>('GET', `/apps/${client.appId}`);
    expect(app.body.passwordCredentials).toHaveLength(1);
    expect(app.text).not.toContain(secret.secretText);
    expect(app.text).not.toContain('secretText');

    // Stored as a keyed hash only: not in the database files, not in the trace.
    expect(stateOnDisk()).not.toContain(secret.secretText);
    expect(JSON.stringify(idp.trace.history())).not.toContain(secret.secretText);
  });

  it('refuses secret lifetimes Entra would not give', async () => {
    const both = await call('POST', `/apps/${client.appId}/secrets`, { expiresInDays: 30, endDateTime: '2030-01-01T00:00:00Z' });
    expect(both.body.error).toMatchObject({ code: 'INVALID_REQUEST', path: 'expiresInDays' });
    const tooLong = await call('POST', `/apps/${client.appId}/secrets`, { expiresInDays: 1000 });
    expect(tooLong.body.error.message).toContain('at most 730');
    const past = await call('POST', `/apps/${client.appId}/secrets`, { endDateTime: '2020-01-01T00:00:00Z' });
    expect(past.body.error.code).toBe('SECRET_END_IN_PAST');
  });

  it('enforces Entra’s redirect URI rules, one refusal per rule', async () => {
    const add = (platform: string, uri: string) => call<{ platform: string; uri: string; redirectUris: string[] }>('POST', `/apps/${client.appId}/redirect-uris`, { platform, uri });
    const refusals: [string, string, string][] = [
      ['web', 'http://reports.contoso.test/callback', 'REDIRECT_URI_HTTPS_REQUIRED'],
      ['web', 'https://*.contoso.test/callback', 'REDIRECT_URI_WILDCARD'],
      ['web', `https://reports.contoso.test/${'x'.repeat(240)}`, 'REDIRECT_URI_TOO_LONG'],
      ['web', 'reports://callback', 'REDIRECT_URI_CUSTOM_SCHEME'],
      ['spa', 'https://reports.contoso.test/#callback', 'REDIRECT_URI_FRAGMENT'],
      ['web', 'http://localhost:3010/auth/callback', 'REDIRECT_URI_DUPLICATE'],
      ['spa', 'http://localhost:3010/auth/callback', 'REDIRECT_URI_DUPLICATE'],
    ];
    for (const [platform, uri, code] of refusals) {
      const res = await add(platform, uri);
      expect(res.status, `${platform} ${uri}`).toBe(400);
      expect(res.body as unknown).toMatchObject({ error: { code, path: 'uri', message: containing(''), fix: containing('') } });
    }

    const loopback = await add('web', 'http://127.0.0.1:3010/auth/callback');
    expect(loopback.status).toBe(201);
    expect(loopback.body.redirectUris).toEqual(['http://localhost:3010/auth/callback', 'http://127.0.0.1:3010/auth/callback']);
    expect((await add('web', 'https://reports.contoso.test/callback')).status).toBe(201);

    const removed = await call('DELETE', `/apps/${client.appId}/redirect-uris?platform=web&uri=${encodeURIComponent('https://reports.contoso.test/callback')}`);
    expect(removed.status).toBe(204);
    const again = await call('DELETE', `/apps/${client.appId}/redirect-uris`, { platform: 'spa', uri: 'http://127.0.0.1:3010/auth/callback' });
    expect(again.status).toBe(404);
    expect(again.body.error).toMatchObject({ code: 'REDIRECT_URI_NOT_FOUND', fix: 'Send platform: "web".' });
    expect((await call<AppView>('GET', `/apps/${client.appId}`)).body.web.redirectUris).toEqual(['http://localhost:3010/auth/callback', 'http://127.0.0.1:3010/auth/callback']);
  });

  it('lists API permissions by value and refuses the ones that cannot be', async () => {
    const want = (body: object) => call('POST', `/apps/${client.appId}/required-resource-access`, body);
    expect((await want({ resourceAppId: api.appId, role: 'Reports.Export' })).status).toBe(201);
    expect((await want({ resourceAppId: api.appId, scope: 'Reports.Read' })).status).toBe(201);
    expect((await want({ resourceAppId: api.appId, scope: 'Reports.Read' })).status).toBe(200);
    expect((await want({ resourceAppId: SEED.apps.protectedApi.appId, role: 'Tools.Read' })).status).toBe(201);
    for (const scope of ['openid', 'profile', 'offline_access', 'User.Read']) expect((await want({ resourceAppId: GRAPH_APP_ID, scope })).status).toBe(201);

    const userOnly = await want({ resourceAppId: api.appId, role: 'Reports.Reader' });
    expect(userOnly.status).toBe(400);
    expect(userOnly.body.error).toMatchObject({ code: 'APP_ROLE_NOT_ALLOWED', fix: containing('Reports.Export') });
    const byUri = await want({ resourceAppId: `api://${api.appId}`, scope: 'Reports.Read' });
    expect(byUri.body.error).toMatchObject({ code: 'RESOURCE_APP_ID_EXPECTED', fix: `Send resourceAppId ${api.appId}.` });
    const unknown = await want({ resourceAppId: '0badc0de-0000-4000-8000-000000000000', scope: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('RESOURCE_APP_NOT_FOUND');
    const both = await want({ resourceAppId: api.appId, scope: 'Reports.Read', role: 'Reports.Export' });
    expect(both.body.error.message).toContain('exactly one');

    const listed = await call<{ value: { value: string; type: string; adminConsentGranted: boolean }[] }>('GET', `/apps/${client.appId}/required-resource-access`);
    expect(listed.body.value.map((p) => `${p.type}:${p.value}`).sort()).toEqual(
      ['Role:Reports.Export', 'Role:Tools.Read', 'Scope:Reports.Read', 'Scope:User.Read', 'Scope:offline_access', 'Scope:openid', 'Scope:profile'].sort(),
    );
    expect(listed.body.value.every((p) => !p.adminConsentGranted)).toBe(true);
  });

  it('grants admin consent: delegated permissions tenant-wide, application permissions to the service principal', async () => {
    const res = await call<{ oauth2PermissionGrants: { consentType: string; resourceAppId: string; scopes: string[] }[]; appRoleAssignments: AppRoleAssignmentView[]; skipped: unknown[] }>(
      'POST',
      `/apps/${client.appId}/admin-consent`,
    );
    expect(res.status).toBe(200);
    expect(res.body.skipped).toEqual([]);
    expect(res.body.oauth2PermissionGrants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ consentType: 'AllPrincipals', principalId: null, resourceAppId: api.appId, scopes: ['Reports.Read'] }),
        expect.objectContaining({ consentType: 'AllPrincipals', resourceAppId: GRAPH_APP_ID, scopes: ['User.Read', 'offline_access', 'openid', 'profile'] }),
      ]),
    );
    expect(res.body.appRoleAssignments.map((a) => [a.principalId, a.resourceDisplayName, a.appRoleValue])).toEqual([
      [client.servicePrincipalId, 'Reports API', 'Reports.Export'],
      [client.servicePrincipalId, 'MCP Lab Protected API', 'Tools.Read'],
    ]);
    const listed = await call<{ value: { adminConsentGranted: boolean }[] }>('GET', `/apps/${client.appId}/required-resource-access`);
    expect(listed.body.value.every((p) => p.adminConsentGranted)).toBe(true);
  });

  it('works with MSAL: client credentials with the new secret carry the consented application roles', async () => {
    const cca = new ConfidentialClientApplication({
      auth: { clientId: client.appId, clientSecret: secret.secretText, authority: idp.authority, knownAuthorities: [idp.knownAuthority] },
    });
    const result = await cca.acquireTokenByClientCredential({ scopes: [`api://${api.appId}/.default`] });
    const claims = await claimsOf(result!.accessToken, `api://${api.appId}`, 1);
    expect(claims).toMatchObject({ aud: `api://${api.appId}`, appid: client.appId, oid: client.servicePrincipalId, idtyp: 'app', roles: ['Reports.Export'], ver: '1.0' });

    const seeded = await cca.acquireTokenByClientCredential({ scopes: [`api://${SEED.apps.protectedApi.appId}/.default`] });
    expect((await claimsOf(seeded!.accessToken, SEED.apps.protectedApi.appId)).roles).toEqual(['Tools.Read']);
  });

  it('works with MSAL: authorization code for a user, with no consent prompt after admin consent', async () => {
    const cca = new ConfidentialClientApplication({
      auth: { clientId: client.appId, clientSecret: secret.secretText, authority: idp.authority, knownAuthorities: [idp.knownAuthority] },
    });
    const redirectUri = 'http://127.0.0.1:3010/auth/callback';
    const scopes = [`api://${api.appId}/Reports.Read`];
    const pkce = await new CryptoProvider().generatePkceCodes();
    const url = await cca.getAuthCodeUrl({ scopes, redirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256' });
    // 'cancel' would decline a consent page: reaching the app proves admin consent covered every permission.
    const delivery = await playUser(url, { ...userOf(idp, 'bob'), consent: 'cancel' });
    expect(delivery.url.href).toBe(redirectUri);
    const result = await cca.acquireTokenByCode({ code: delivery.params.get('code')!, scopes, redirectUri, codeVerifier: pkce.verifier });
    const claims = await claimsOf(result.accessToken, `api://${api.appId}`, 1);
    expect(claims).toMatchObject({ aud: `api://${api.appId}`, appid: client.appId, scp: 'Reports.Read', upn: 'bob@contoso.test' });
  });

  it('changes app-only roles at once when a service principal assignment is removed or added', async () => {
    const listed = await call<{ value: AppRoleAssignmentView[] }>('GET', `/apps/${client.appId}/app-role-assignments`);
    const exportRole = listed.body.value.find((a) => a.appRoleValue === 'Reports.Export')!;
    expect((await call('DELETE', `/apps/${client.appId}/app-role-assignments/${exportRole.id}`)).status).toBe(204);
    const params = { grant_type: 'client_credentials', client_id: client.appId, client_secret: secret.secretText, scope: `api://${api.appId}/.default` };
    const without = await tokenRequest(idp, params);
    expect(without.status).toBe(200);
    expect((await claimsOf(without.body.access_token as string, `api://${api.appId}`, 1)).roles).toBeUndefined();

    const back = await call<AppRoleAssignmentView>('POST', `/apps/${client.appId}/app-role-assignments`, { resourceAppId: api.appId, role: 'Reports.Export' });
    expect(back.status).toBe(201);
    expect((await call('POST', `/apps/${client.appId}/app-role-assignments`, { resourceAppId: api.appId, role: 'Reports.Export' })).status).toBe(200);
    const userRole = await call('POST', `/apps/${client.appId}/app-role-assignments`, { resourceAppId: api.appId, role: 'Reports.Reader' });
    expect(userRole.body.error.code).toBe('APP_ROLE_NOT_ALLOWED');
    const withRole = await tokenRequest(idp, params);
    expect((await claimsOf(withRole.body.access_token as string, `api://${api.appId}`, 1)).roles).toEqual(['Reports.Export']);
  });

  it('a deleted secret fails the very next token request (AADSTS7000215)', async () => {
    const params = { grant_type: 'client_credentials', client_id: client.appId, client_secret: secret.secretText, scope: `api://${api.appId}/.default` };
    expect((await tokenRequest(idp, params)).status).toBe(200);
    expect((await call('DELETE', `/apps/${client.appId}/secrets/${secret.keyId}`)).status).toBe(204);
    const after = await tokenRequest(idp, params);
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    const again = await call('DELETE', `/apps/${client.appId}/secrets/${secret.keyId}`);
    expect(again.body.error.code).toBe('SECRET_NOT_FOUND');
  });

  it('a deleted app fails the very next token request (AADSTS700016)', async () => {
    const fresh = await call<SecretView & { secretText: string }>('POST', `/apps/${client.appId}/secrets`, {});
    const params = { grant_type: 'client_credentials', client_id: client.appId, client_secret: fresh.body.secretText, scope: `api://${api.appId}/.default` };
    expect((await tokenRequest(idp, params)).status).toBe(200);
    expect((await call('DELETE', `/apps/${client.appId}`)).status).toBe(204);
    const after = await tokenRequest(idp, params);
    expect(after.status).toBe(400);
    expect(after.body).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    expect((await call('GET', `/apps/${client.appId}`)).status).toBe(404);
  });

  it('deleting the seeded dev secret also takes it off /_lab/info', async () => {
    const appId = SEED.apps.webServer.appId;
    const before = idp.info().apps.find((a) => a.clientId === appId);
    expect(before?.devSecret).toBeDefined();
    const [dev] = (await call<{ value: SecretView[] }>('GET', `/apps/${appId}/secrets`)).body.value;
    expect((await call('DELETE', `/apps/${appId}/secrets/${dev!.keyId}`)).status).toBe(204);
    expect(idp.info().apps.find((a) => a.clientId === appId)?.devSecret).toBeUndefined();
  });
});

describe('admin API: PATCH', () => {
  it('changes fields, merges api field by field, and refuses IDs and the tenant', async () => {
    const app = (await call<AppView>('POST', '/apps', { displayName: 'Patchable', isFallbackPublicClient: false })).body;
    const patched = await call<AppView>('PATCH', `/apps/${app.appId}`, {
      displayName: 'Patched',
      isFallbackPublicClient: true,
      publicClient: { redirectUris: ['http://localhost'] },
      api: { requestedAccessTokenVersion: 1 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ displayName: 'Patched', isFallbackPublicClient: true, publicClient: { redirectUris: ['http://localhost'] }, api: { requestedAccessTokenVersion: 1, oauth2PermissionScopes: [] } });
    const ids = await call('PATCH', `/apps/${app.appId}`, { appId: '11111111-1111-4111-8111-111111111111' });
    expect(ids.status).toBe(400);
    expect(ids.body.error.message).toContain('"appId"');
    const scopes = await call('PATCH', `/apps/${app.appId}`, {
      api: { oauth2PermissionScopes: [{ value: 'Do.Things', adminConsentDisplayName: 'Do things', adminConsentDescription: 'Does things.' }] },
    });
    expect(scopes.status).toBe(400);
    expect(scopes.body.error).toMatchObject({ code: 'IDENTIFIER_URI_REQUIRED', path: 'identifierUris' });
  });
});
