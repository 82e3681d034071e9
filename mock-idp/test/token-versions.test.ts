import { ConfidentialClientApplication, CryptoProvider, PublicClientApplication } from '@azure/msal-node';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playUser, SEED } from '../src/index.ts';
import { admin } from './support/admin.ts';
import { tokenRequest, userOf } from './support/flows.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';

/**
 * v1.0 and v2.0 access tokens, chosen as Entra chooses: by the API's
 * requestedAccessTokenVersion (null and 1 give v1.0, 2 gives v2.0), never by
 * the endpoint. Checked with jose reading each version's metadata, as a
 * resource server on a real tenant would.
 */

let idp: TestIdp;
let api: { appId: string; secret: string };
let client: { appId: string; secret: string; servicePrincipalId: string };

async function createApp(body: Record<string, unknown>) {
  const created = await admin<{ appId: string; servicePrincipalId: string; api: { requestedAccessTokenVersion: unknown } }>(idp, 'POST', '/apps', body);
  expect(created.status).toBe(201);
  return created.body;
}

async function addSecret(appId: string): Promise<string> {
  const res = await admin<{ secretText: string }>(idp, 'POST', `/apps/${appId}/secrets`, { displayName: 'test' });
  return res.body.secretText;
}

beforeAll(async () => {
  idp = await startTestIdp();
  const created = await createApp({
    displayName: 'Contoso Tools API',
    identifierUris: ['api://contoso-tools'],
    appRoles: [{ value: 'Tools.Run', displayName: 'Run tools', description: 'Run the tools', allowedMemberTypes: ['Application', 'User'] }],
    api: {
      oauth2PermissionScopes: [
        { value: 'Tools.Use', type: 'User', adminConsentDisplayName: 'Use tools', adminConsentDescription: 'Use the tools', userConsentDisplayName: 'Use tools', userConsentDescription: 'Use the tools' },
      ],
    },
  });
  api = { appId: created.appId, secret: await addSecret(created.appId) };
  const daemon = await createApp({ displayName: 'Contoso daemon' });
  client = { appId: daemon.appId, servicePrincipalId: daemon.servicePrincipalId, secret: await addSecret(daemon.appId) };
  const assigned = await admin(idp, 'POST', `/apps/${daemon.appId}/app-role-assignments`, { resourceAppId: api.appId, role: 'Tools.Run' });
  expect(assigned.status).toBe(201);
});
afterAll(async () => {
  await idp.dispose();
});

async function metadata(version: 1 | 2): Promise<{ issuer: string; jwks_uri: string }> {
  const url = version === 2 ? `${idp.authority}/v2.0/.well-known/openid-configuration` : `${idp.authority}/.well-known/openid-configuration`;
  return (await (await fetch(url)).json()) as { issuer: string; jwks_uri: string };
}

/** jose, as a resource server: the issuer and keys from the metadata of the version the API gets. */
async function verifyAs(version: 1 | 2, token: string, audience: string): Promise<JWTPayload> {
  const { issuer, jwks_uri } = await metadata(version);
  return (await jwtVerify(token, createRemoteJWKSet(new URL(jwks_uri)), { issuer, audience, algorithms: ['RS256'] })).payload;
}

async function appOnlyToken(scope: string): Promise<string> {
  const res = await tokenRequest(idp, { grant_type: 'client_credentials', client_id: client.appId, client_secret: client.secret, scope });
  expect(res.body).toHaveProperty('access_token');
  return String(res.body.access_token);
}

describe('which version: the API decides', () => {
  it('gives every new registration null, as Entra does: admin API, import without api', async () => {
    const created = await createApp({ displayName: 'Fresh app' });
    expect(created.api.requestedAccessTokenVersion).toBeNull();
    const imported = await admin<{ app: { api: { requestedAccessTokenVersion: unknown } } }>(idp, 'POST', '/apps/import', { displayName: 'Imported bare', signInAudience: 'AzureADMyOrg' });
    expect(imported.status).toBe(201);
    expect(imported.body.app.api.requestedAccessTokenVersion).toBeNull();
  });

  it('issues v1.0 for an API with null: Entra’s v1 issuer, aud as the client named it, appid and appidacr', async () => {
    const byUri = await verifyAs(1, await appOnlyToken('api://contoso-tools/.default'), 'api://contoso-tools');
    expect(byUri).toMatchObject({
      iss: `https://sts.windows.net/${idp.homeTenantId}/`,
      aud: 'api://contoso-tools',
      appid: client.appId,
      appidacr: '1',
      idp: `https://sts.windows.net/${idp.homeTenantId}/`,
      oid: client.servicePrincipalId,
      sub: client.servicePrincipalId,
      tid: idp.homeTenantId,
      roles: ['Tools.Run'],
      ver: '1.0',
    });
    expect(byUri).not.toHaveProperty('azp');
    expect(byUri).not.toHaveProperty('azpacr');

    // The GUID form of the scope gives the appId as audience.
    const byGuid = await verifyAs(1, await appOnlyToken(`${api.appId}/.default`), api.appId);
    expect(byGuid.aud).toBe(api.appId);
  });

  it('issues v2.0 once the manifest says 2, in the very next token, and v1.0 again for 1', async () => {
    expect((await admin(idp, 'PATCH', `/apps/${api.appId}`, { api: { requestedAccessTokenVersion: 2 } })).status).toBe(200);
    const v2 = await verifyAs(2, await appOnlyToken('api://contoso-tools/.default'), api.appId);
    expect(v2).toMatchObject({ iss: `${idp.authority}/v2.0`, aud: api.appId, azp: client.appId, azpacr: '1', ver: '2.0' });
    expect(v2).not.toHaveProperty('appid');

    expect((await admin(idp, 'PATCH', `/apps/${api.appId}`, { api: { requestedAccessTokenVersion: 1 } })).status).toBe(200);
    expect(decodeJwt(await appOnlyToken('api://contoso-tools/.default')).ver).toBe('1.0');
    expect((await admin(idp, 'PATCH', `/apps/${api.appId}`, { api: { requestedAccessTokenVersion: null } })).status).toBe(200);
    expect((await admin<{ api: { requestedAccessTokenVersion: unknown } }>(idp, 'GET', `/apps/${api.appId}`)).body.api.requestedAccessTokenVersion).toBeNull();
  });

  it('refuses a v2-style issuer check against a v1.0 token, and a v1-style one against a v2.0 token', async () => {
    const v1 = await appOnlyToken('api://contoso-tools/.default');
    const { jwks_uri } = await metadata(2);
    const keys = createRemoteJWKSet(new URL(jwks_uri));
    await expect(jwtVerify(v1, keys, { issuer: `${idp.authority}/v2.0`, audience: 'api://contoso-tools' })).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'iss' });
    // The seeded protected API states 2: its tokens fail a v1 issuer check.
    const web = idp.info().apps.find((a) => a.clientId === SEED.apps.webServer.appId)!;
    const res = await tokenRequest(idp, { grant_type: 'client_credentials', client_id: web.clientId, client_secret: web.devSecret!, scope: `api://${SEED.apps.protectedApi.appId}/.default` });
    const v2 = String(res.body.access_token);
    await expect(verifyAs(1, v2, SEED.apps.protectedApi.appId)).rejects.toMatchObject({ claim: 'iss' });
    expect((await verifyAs(2, v2, SEED.apps.protectedApi.appId)).ver).toBe('2.0');
  });

  it('gives a signed-in user’s v1.0 token upn, unique_name and the name parts, not preferred_username', async () => {
    await admin(idp, 'PATCH', `/apps/${api.appId}`, { publicClient: { redirectUris: ['http://localhost'] }, isFallbackPublicClient: true });
    const pca = new PublicClientApplication({ auth: { clientId: api.appId, authority: idp.authority, knownAuthorities: [idp.knownAuthority] } });
    const scopes = ['api://contoso-tools/Tools.Use'];
    const redirectUri = 'http://localhost:41011';
    const pkce = await new CryptoProvider().generatePkceCodes();
    const url = await pca.getAuthCodeUrl({ scopes, redirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256' });
    const delivery = await playUser(url, userOf(idp, 'alice'));
    const result = await pca.acquireTokenByCode({ code: delivery.params.get('code')!, scopes, redirectUri, codeVerifier: pkce.verifier });
    const claims = await verifyAs(1, result.accessToken, 'api://contoso-tools');
    expect(claims).toMatchObject({
      aud: 'api://contoso-tools',
      appid: api.appId,
      appidacr: '0',
      upn: 'alice@contoso.test',
      unique_name: 'alice@contoso.test',
      given_name: 'Alice',
      family_name: 'Jansen',
      name: 'Alice Jansen',
      amr: ['pwd'],
      scp: 'Tools.Use',
      ver: '1.0',
    });
    expect(claims).not.toHaveProperty('preferred_username');
    expect(claims).not.toHaveProperty('idtyp');

    // On-behalf-of takes the API's own v1.0 token (aud = its App ID URI) as the assertion.
    idp.directory.grantPermission({ clientAppId: api.appId, consentType: 'AllPrincipals', principalId: null, resourceAppId: SEED.graph.appId, scopes: ['User.Read'] });
    const middle = new ConfidentialClientApplication({ auth: { clientId: api.appId, clientSecret: api.secret, authority: idp.authority, knownAuthorities: [idp.knownAuthority] } });
    const obo = await middle.acquireTokenOnBehalfOf({ oboAssertion: result.accessToken, scopes: ['User.Read'] });
    expect(decodeJwt(obo!.accessToken)).toMatchObject({ aud: 'https://graph.microsoft.com', appid: api.appId, upn: 'alice@contoso.test', ver: '1.0' });
  });
});

describe('Graph and the metadata', () => {
  it('issues Graph tokens as v1.0, with aud as the scope named Graph', async () => {
    const web = idp.info().apps.find((a) => a.clientId === SEED.apps.webServer.appId)!;
    const cca = new ConfidentialClientApplication({ auth: { clientId: web.clientId, clientSecret: web.devSecret!, authority: idp.authority, knownAuthorities: [idp.knownAuthority] } });
    const byUri = await cca.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    expect(await verifyAs(1, byUri!.accessToken, 'https://graph.microsoft.com')).toMatchObject({ ver: '1.0', appid: web.clientId, roles: ['User.Read.All'] });
    const byGuid = await tokenRequest(idp, { grant_type: 'client_credentials', client_id: web.clientId, client_secret: web.devSecret!, scope: `${SEED.graph.appId}/.default` });
    expect(decodeJwt(String(byGuid.body.access_token)).aud).toBe(SEED.graph.appId);
    // The lab's Graph accepts it, as Graph accepts its v1.0 tokens.
    const users = await fetch(`${idp.baseUrl}/graph/v1.0/users/${SEED.users.bob.id}`, { headers: { authorization: `Bearer ${byUri!.accessToken}` } });
    expect(users.status).toBe(200);
  });

  it('publishes v1.0 metadata whose issuer is the v1 tokens’ and whose keys verify them; v1.0 endpoints name their v2.0 twin', async () => {
    const since = idp.trace.history().at(-1)?.id ?? 0;
    const v1 = await metadata(1);
    expect(v1.issuer).toBe(`https://sts.windows.net/${idp.homeTenantId}/`);
    const keys = (await (await fetch(v1.jwks_uri)).json()) as { keys: { kid: string }[] };
    const v2keys = (await (await fetch((await metadata(2)).jwks_uri)).json()) as { keys: { kid: string }[] };
    expect(keys.keys.map((k) => k.kid)).toEqual(v2keys.keys.map((k) => k.kid));
    // Still on the record (docs/trace-events.md), though Express serves them now.
    const types = idp.trace.history().filter((e) => e.id > since).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['discovery', 'jwks']));

    const refused = await fetch(`${idp.authority}/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', resource: 'api://contoso-tools' }) });
    const body = (await refused.json()) as { error_description: string; error_codes: number[] };
    expect(refused.status).toBe(400);
    expect(body.error_codes).toEqual([9002313]);
    expect(body.error_description).toContain(`/${idp.homeTenantId}/oauth2/v2.0/token`);
  });

  it('mints test tokens in the version the API gets, unless asked for another', async () => {
    const minted = await admin<{ access_token: string }>(idp, 'POST', '/tokens', { audience: 'api://contoso-tools' });
    expect(decodeJwt(minted.body.access_token)).toMatchObject({ ver: '1.0', aud: 'api://contoso-tools', iss: `https://sts.windows.net/${idp.homeTenantId}/` });
    const asV2 = await admin<{ access_token: string }>(idp, 'POST', '/tokens', { audience: 'api://contoso-tools', version: 2 });
    expect(decodeJwt(asV2.body.access_token)).toMatchObject({ ver: '2.0', aud: api.appId, iss: `${idp.authority}/v2.0` });
  });
});
