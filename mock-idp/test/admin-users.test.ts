import { CryptoProvider, PublicClientApplication, type AuthenticationResult } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_APP_ID, playUser, SEED } from '../src/index.ts';
import type { AppRoleAssignmentView } from '../src/admin/common/assignment-view.ts';
import type { User } from '../src/directory/types.ts';
import { adminClient, containing } from './support/admin-client.ts';
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

const API = SEED.apps.protectedApi.appId;
const SCOPES = [`api://${API}/user_impersonation`];

/** A real sign-in with the lab 02 desktop client: what the user's next token says. */
async function signIn(username: string, password: string): Promise<{ pca: PublicClientApplication; result: AuthenticationResult }> {
  const pca = new PublicClientApplication({ auth: { clientId: SEED.apps.publicClient.appId, authority: idp.authority, knownAuthorities: [idp.knownAuthority] } });
  const redirectUri = 'http://localhost:41777';
  const pkce = await new CryptoProvider().generatePkceCodes();
  const url = await pca.getAuthCodeUrl({ scopes: SCOPES, redirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256' });
  const delivery = await playUser(url, { username, password, consent: 'accept' });
  const result = await pca.acquireTokenByCode({ code: delivery.params.get('code')!, scopes: SCOPES, redirectUri, codeVerifier: pkce.verifier });
  return { pca, result };
}

describe('admin API: users', () => {
  let carol: User;

  it('creates a user in the tenant that owns the UPN’s domain, and never returns a password', async () => {
    const res = await call<User>('POST', '/users', { userPrincipalName: 'carol@contoso.test', displayName: 'Carol Smit', password: 'carol-lab-2026', jobTitle: 'Analyst' });
    expect(res.status).toBe(201);
    carol = res.body;
    expect(carol).toMatchObject({ userPrincipalName: 'carol@contoso.test', displayName: 'Carol Smit', tenantId: idp.homeTenantId, accountEnabled: true, isAdmin: false, mail: 'carol@contoso.test' });
    expect(res.headers.get('location')).toBe(`/_lab/admin/users/${carol.id}`);
    expect(res.text).not.toContain('carol-lab-2026');

    const foreign = await call<User>('POST', '/users', { userPrincipalName: 'gina@fabrikam.test', displayName: 'Gina', password: 'Gina-lab-2026' });
    expect(foreign.body.tenantId).toBe(idp.foreignTenantId);
  });

  it('refuses what Entra refuses: weak passwords, foreign domains, duplicates', async () => {
    const weak = await call('POST', '/users', { userPrincipalName: 'dave@contoso.test', displayName: 'Dave', password: 'password' });
    expect(weak.status).toBe(400);
    expect(weak.body.error).toMatchObject({ code: 'PASSWORD_TOO_WEAK', path: 'password', message: containing('does not comply with password complexity requirements') });

    const domain = await call('POST', '/users', { userPrincipalName: 'dave@gmail.test', displayName: 'Dave', password: 'dave-lab-2026', tenantId: 'contoso.test' });
    expect(domain.status).toBe(400);
    expect(domain.body.error).toMatchObject({ code: 'USER_DOMAIN_MISMATCH', message: containing('dave@contoso.test') });

    const again = await call('POST', '/users', { userPrincipalName: 'CAROL@contoso.test', displayName: 'Carol 2', password: 'carol-lab-2026' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('USER_EXISTS');

    const noTenant = await call('POST', '/users', { userPrincipalName: 'x@contoso.test', displayName: 'X', password: 'x-lab-2026', tenantId: 'nowhere.test' });
    expect(noTenant.status).toBe(404);
    expect(noTenant.body.error.code).toBe('TENANT_NOT_FOUND');
  });

  it('finds users by object ID or sign-in name, and lists them per tenant', async () => {
    expect((await call<User>('GET', `/users/${carol.id}`)).body.userPrincipalName).toBe('carol@contoso.test');
    expect((await call<User>('GET', '/users/carol@contoso.test')).body.id).toBe(carol.id);
    const missing = await call('GET', '/users/nobody@contoso.test');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('USER_NOT_FOUND');

    const home = await call<{ value: User[] }>('GET', '/users?tenant=contoso.test');
    expect(home.body.value.map((u) => u.userPrincipalName)).toEqual(['alice@contoso.test', 'bob@contoso.test', 'admin@contoso.test', 'carol@contoso.test']);
    expect((await call('GET', '/users?tenant=nowhere.test')).status).toBe(404);
  });

  it('a role assignment shows up in the user’s next token, and its removal in the one after', async () => {
    const assigned = await call<AppRoleAssignmentView>('POST', `/users/${carol.userPrincipalName}/app-role-assignments`, { resourceAppId: API, role: 'Tools.Admin' });
    expect(assigned.status).toBe(201);
    expect(assigned.body).toMatchObject({ principalId: carol.id, principalType: 'User', principalDisplayName: 'Carol Smit', resourceAppId: API, appRoleValue: 'Tools.Admin', resourceId: SEED.apps.protectedApi.servicePrincipalId });

    const { pca, result } = await signIn('carol@contoso.test', 'carol-lab-2026');
    expect(decodeJwt(result.accessToken).roles).toEqual(['Tools.Admin']);

    const listed = await call<{ value: AppRoleAssignmentView[] }>('GET', `/users/${carol.id}/app-role-assignments`);
    expect(listed.body.value.map((a) => a.appRoleValue)).toEqual(['Tools.Admin']);
    expect((await call('DELETE', `/users/${carol.id}/app-role-assignments/${assigned.body.id}`)).status).toBe(204);
    expect((await call('DELETE', `/users/${carol.id}/app-role-assignments/${assigned.body.id}`)).status).toBe(404);

    const refreshed = await pca.acquireTokenSilent({ account: result.account!, scopes: SCOPES, forceRefresh: true });
    expect(decodeJwt(refreshed.accessToken).roles).toBeUndefined();
  });

  it('refuses roles users cannot hold and roles that do not exist', async () => {
    const graphRole = await call('POST', `/users/${carol.id}/app-role-assignments`, { resourceAppId: GRAPH_APP_ID, role: 'User.Read.All' });
    expect(graphRole.status).toBe(400);
    expect(graphRole.body.error.code).toBe('APP_ROLE_NOT_ALLOWED');
    const unknown = await call('POST', `/users/${carol.id}/app-role-assignments`, { resourceAppId: API, role: 'Tools.Write' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'APP_ROLE_NOT_FOUND', fix: containing('Tools.Read, Tools.Admin') });
  });

  it('PATCH changes the profile and the password, and disables sign-in', async () => {
    const patched = await call<User>('PATCH', '/users/carol@contoso.test', { displayName: 'Carol de Smit', password: 'Carol-new-2026' });
    expect(patched.status).toBe(200);
    expect(patched.body.displayName).toBe('Carol de Smit');
    expect(patched.text).not.toContain('Carol-new-2026');
    await expect(signIn('carol@contoso.test', 'carol-lab-2026')).rejects.toThrow(/AADSTS50126|password/i);
    expect(decodeJwt((await signIn('carol@contoso.test', 'Carol-new-2026')).result.accessToken).name).toBe('Carol de Smit');

    const disabled = await call<User>('PATCH', `/users/${carol.id}`, { accountEnabled: false });
    expect(disabled.body.accountEnabled).toBe(false);
    await expect(signIn('carol@contoso.test', 'Carol-new-2026')).rejects.toThrow(/AADSTS50057|disabled/i);

    const tenantMove = await call('PATCH', `/users/${carol.id}`, { tenantId: idp.foreignTenantId });
    expect(tenantMove.body.error.message).toContain('"tenantId"');
  });

  it('DELETE removes the user with their assignments', async () => {
    await call('POST', `/users/${carol.id}/app-role-assignments`, { resourceAppId: API, role: 'Tools.Read' });
    expect((await call('DELETE', `/users/${carol.id}`)).status).toBe(204);
    expect((await call('GET', `/users/${carol.id}`)).status).toBe(404);
    expect(idp.directory.appRoleAssignments({ principalId: carol.id })).toEqual([]);
  });
});
