/**
 * The lab's managed identity endpoint (App Service's API) used unmodified by
 * @azure/identity's ManagedIdentityCredential and MSAL Node's
 * ManagedIdentityApplication, through IDENTITY_ENDPOINT and IDENTITY_HEADER;
 * then the managed identity's token for api://AzureADTokenExchange as the
 * client assertion of an app that trusts it (workload identity federation),
 * with ClientAssertionCredential and MSAL's clientAssertion callback, for
 * client credentials and the authorization code flow.
 */
import { ClientAssertionCredential, ManagedIdentityCredential } from '@azure/identity';
import { ConfidentialClientApplication, CryptoProvider, ManagedIdentityApplication } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playUser, SEED, type LabInfo } from '../src/index.ts';
import { fingerprint } from '../src/trace/fingerprint.ts';
import { admin } from './support/admin.ts';
import { tokenRequest, userOf } from './support/flows.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';

let idp: TestIdp;
let mi: LabInfo['managedIdentity'];
let workload: { appId: string };
const API = SEED.apps.protectedApi.appId;
const REDIRECT = 'http://localhost:3007/auth/callback';

const identity = (type: 'SystemAssigned' | 'UserAssigned') => mi.identities.find((i) => i.type === type)!;
const credentialOptions = () => ({ authorityHost: idp.baseUrl, disableInstanceDiscovery: true });

beforeAll(async () => {
  idp = await startTestIdp();
  mi = idp.info().managedIdentity;
  // As on App Service: the two variables the libraries read, set before the first use.
  process.env.IDENTITY_ENDPOINT = mi.env.IDENTITY_ENDPOINT;
  process.env.IDENTITY_HEADER = mi.env.IDENTITY_HEADER;
  const created = await admin<{ appId: string }>(idp, 'POST', '/apps', { displayName: 'Federated workload', web: { redirectUris: [REDIRECT] } });
  workload = created.body;
  const user = identity('UserAssigned');
  const fic = await admin(idp, 'POST', `/apps/${workload.appId}/federated-credentials`, { name: 'lab-user-mi', issuer: user.issuer, subject: user.objectId, audiences: ['api://AzureADTokenExchange'] });
  expect(fic.status).toBe(201);
  await admin(idp, 'POST', `/apps/${user.clientId}/app-role-assignments`, { resourceAppId: API, role: 'Tools.Read' });
});
afterAll(async () => {
  delete process.env.IDENTITY_ENDPOINT;
  delete process.env.IDENTITY_HEADER;
  await idp.dispose();
});

describe('the managed identity endpoint', () => {
  it('/_lab/info names the identities and the two variables', () => {
    expect(mi.env.IDENTITY_ENDPOINT).toBe(`${idp.baseUrl}/_lab/managed-identity/token`);
    expect(mi.identities.map((i) => i.type)).toEqual(['SystemAssigned', 'UserAssigned']);
  });

  it('ManagedIdentityCredential, system-assigned: a Graph token (v1.0) for the identity', async () => {
    const token = await new ManagedIdentityCredential().getToken('https://graph.microsoft.com/.default');
    const system = identity('SystemAssigned');
    expect(decodeJwt(token.token)).toMatchObject({ aud: 'https://graph.microsoft.com', appid: system.clientId, appidacr: '2', oid: system.objectId, sub: system.objectId, idtyp: 'app', xms_mirid: system.resourceId, ver: '1.0' });
  });

  it('ManagedIdentityCredential, user-assigned by client ID: its roles on the API (v2.0)', async () => {
    const user = identity('UserAssigned');
    const token = await new ManagedIdentityCredential({ clientId: user.clientId }).getToken(`api://${API}/.default`);
    expect(decodeJwt(token.token)).toMatchObject({ aud: API, azp: user.clientId, oid: user.objectId, roles: ['Tools.Read'], ver: '2.0' });
  });

  it('MSAL Node ManagedIdentityApplication, system- and user-assigned', async () => {
    const system = await new ManagedIdentityApplication().acquireToken({ resource: 'https://graph.microsoft.com' });
    expect(decodeJwt(system.accessToken).appid).toBe(identity('SystemAssigned').clientId);
    const user = await new ManagedIdentityApplication({ managedIdentityIdParams: { userAssignedClientId: identity('UserAssigned').clientId } }).acquireToken({ resource: 'api://AzureADTokenExchange' });
    expect(decodeJwt(user.accessToken)).toMatchObject({ aud: 'api://AzureADTokenExchange', iss: identity('UserAssigned').issuer, sub: identity('UserAssigned').objectId });
  });

  it('refuses a wrong IDENTITY_HEADER and an unknown user-assigned identity', async () => {
    const url = `${mi.env.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=https://graph.microsoft.com`;
    expect((await fetch(url, { headers: { 'x-identity-header': 'guess' } })).status).toBe(401);
    const unknown = await fetch(`${url}&client_id=99999999-0000-4000-8000-000000000000`, { headers: { 'x-identity-header': mi.env.IDENTITY_HEADER } });
    expect(unknown.status).toBe(400);
  });
});

describe('the managed identity endpoint in the trace', () => {
  it('shows each request as a token event: the identity, the resource, the token’s fingerprint and claims; a refusal with its error; the identity header only as a fingerprint', async () => {
    const since = idp.trace.history().at(-1)?.id ?? 0;
    const user = identity('UserAssigned');
    // forceRefresh: an earlier test's token for the same identity and API sits in MSAL's cache.
    const result = await new ManagedIdentityApplication({ managedIdentityIdParams: { userAssignedClientId: user.clientId } }).acquireToken({ resource: `api://${API}`, forceRefresh: true });
    const token = { token: result.accessToken };
    const wrong = await fetch(`${mi.env.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=https://graph.microsoft.com`, { headers: { 'x-identity-header': 'guess' } });
    expect(wrong.status).toBe(401);

    const events = idp.trace.history({ since }).filter((e) => e.grantType === 'managed_identity');
    expect(events).toHaveLength(2);
    const [issued, refused] = events;
    expect(issued).toMatchObject({
      type: 'token',
      clientId: user.clientId,
      tenantId: user.tenantId,
      http: { method: 'GET', path: '/_lab/managed-identity/token', status: 200 },
      fingerprints: { accessToken: fingerprint(token.token) },
      claims: { aud: API, azp: user.clientId, oid: user.objectId },
      detail: { identity: user.name, identityType: 'UserAssigned', resource: `api://${API}` },
    });
    expect(issued!.summary).toBe(`token (managed identity) issued to ${user.name} for api://${API}`);
    expect(refused).toMatchObject({ type: 'token', http: { status: 401 }, error: { error: 'unauthorized' } });
    expect(refused!.summary).toBe('token (managed identity) refused: unauthorized');
    const traced = JSON.stringify(events);
    expect(traced).not.toContain(mi.env.IDENTITY_HEADER);
    expect(traced).not.toContain(token.token);
    expect(issued!.http!.requestHeaders!['x-identity-header']).toBe(`(fingerprint ${fingerprint(mi.env.IDENTITY_HEADER)})`);
  });
});

describe('the managed identity as a federated credential of an app', () => {
  const miAssertion = async () => (await new ManagedIdentityCredential({ clientId: identity('UserAssigned').clientId }).getToken('api://AzureADTokenExchange/.default')).token;

  it('ClientAssertionCredential fed by ManagedIdentityCredential: the app’s token, no secret anywhere', async () => {
    const credential = new ClientAssertionCredential(idp.homeTenantId, workload.appId, miAssertion, credentialOptions());
    const token = await credential.getToken('https://graph.microsoft.com/.default');
    expect(decodeJwt(token.token)).toMatchObject({ appid: workload.appId, appidacr: '2', ver: '1.0' });
  });

  it('MSAL clientAssertion callback: client credentials, and the authorization code flow for a user', async () => {
    const cca = new ConfidentialClientApplication({
      auth: { clientId: workload.appId, authority: idp.authority, knownAuthorities: [idp.knownAuthority], clientAssertion: () => miAssertion() },
    });
    const app = await cca.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    expect(decodeJwt(app!.accessToken)).toMatchObject({ appid: workload.appId, appidacr: '2' });

    const pkce = await new CryptoProvider().generatePkceCodes();
    const url = await cca.getAuthCodeUrl({ scopes: ['User.Read'], redirectUri: REDIRECT, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256' });
    const delivery = await playUser(url, { ...userOf(idp, 'alice'), consent: 'accept' });
    const result = await cca.acquireTokenByCode({ code: delivery.params.get('code')!, scopes: ['User.Read'], redirectUri: REDIRECT, codeVerifier: pkce.verifier });
    expect(decodeJwt(result.accessToken)).toMatchObject({ appid: workload.appId, appidacr: '2', upn: 'alice@contoso.test' });
  });

  it('refuses another identity’s token (AADSTS70021, the subject) and a token for another audience (AADSTS700212)', async () => {
    const system = (await new ManagedIdentityCredential().getToken('api://AzureADTokenExchange/.default')).token;
    const wrongSubject = await tokenRequest(idp, { grant_type: 'client_credentials', client_id: workload.appId, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: system, scope: 'https://graph.microsoft.com/.default' });
    expect(wrongSubject.body.error_codes).toEqual([70021]);
    expect(String(wrongSubject.body.error_description)).toContain(`Assertion Subject: '${identity('SystemAssigned').objectId}'`);

    const forApi = (await new ManagedIdentityCredential({ clientId: identity('UserAssigned').clientId }).getToken(`api://${API}/.default`)).token;
    const wrongAudience = await tokenRequest(idp, { grant_type: 'client_credentials', client_id: workload.appId, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: forApi, scope: 'https://graph.microsoft.com/.default' });
    expect(wrongAudience.body.error_codes).toEqual([700212]);
  });
});
