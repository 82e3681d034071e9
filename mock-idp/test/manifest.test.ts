import { createPrivateKey, X509Certificate } from 'node:crypto';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientCertificate, GRAPH_APP_ID, SEED, type ClientCertificate } from '../src/index.ts';
import type { AppView, SecretView } from '../src/admin/apps/app-view.ts';
import { LAB_EXPORT_TAG, manifestFileName, toManifest, type AppManifest } from '../src/manifest/export-manifest.ts';
import { registrationFromManifest } from '../src/manifest/import-manifest.ts';
import { AppManifestSchema } from '../src/manifest/manifest-schema.ts';
import { adminClient, containing } from './support/admin-client.ts';
import { tokenRequest } from './support/flows.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';

const API = SEED.apps.protectedApi.appId;

type ImportResponse = { app: AppView; replaced: boolean; kept: { appId: boolean; id: boolean }; secrets: { imported: number; message: string; fix: string }; warnings: string[] };

describe('manifest format', () => {
  const api = { ...SEED.apps.protectedApi, tenantId: SEED.tenants.home.id, createdDateTime: '2026-01-01T00:00:00.000Z' };
  const app = {
    ...api,
    signInAudience: 'AzureADMyOrg' as const,
    isFallbackPublicClient: false,
    identifierUris: [...api.identifierUris!],
    web: { redirectUris: ['https://app.contoso.test/cb'] },
    spa: { redirectUris: [] },
    publicClient: { redirectUris: ['http://localhost'] },
    api: { oauth2PermissionScopes: [{ ...SEED.scopes.userImpersonation }], requestedAccessTokenVersion: 2 as const },
    appRoles: [{ ...SEED.roles.toolsRead, allowedMemberTypes: [...SEED.roles.toolsRead.allowedMemberTypes] }],
    requiredResourceAccess: [{ resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'Scope' as const }] }],
  };
  const secret = { keyId: '5ec2e700-0000-4000-8000-000000000001', appId: app.appId, displayName: 'ci', hint: 'abc', startDateTime: '2026-01-01T00:00:00.000Z', endDateTime: '2026-07-01T00:00:00.000Z' };

  it('is the Microsoft Graph application shape, marked as exported by the lab, with secretText null', () => {
    const manifest = toManifest(app, [secret], { publisherDomain: 'contoso.test', source: 'https://localhost:8443', exportedAt: new Date('2026-02-01T00:00:00Z') });
    expect(manifest).toMatchObject({
      id: app.id,
      appId: app.appId,
      displayName: app.displayName,
      signInAudience: 'AzureADMyOrg',
      identifierUris: [`api://${app.appId}`],
      isFallbackPublicClient: false,
      publisherDomain: 'contoso.test',
      web: { redirectUris: ['https://app.contoso.test/cb'], implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false } },
      spa: { redirectUris: [] },
      publicClient: { redirectUris: ['http://localhost'] },
      api: { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [SEED.scopes.userImpersonation] },
      appRoles: [{ ...SEED.roles.toolsRead, origin: 'Application' }],
      passwordCredentials: [{ keyId: secret.keyId, displayName: 'ci', hint: 'abc', secretText: null, customKeyIdentifier: null, startDateTime: secret.startDateTime, endDateTime: secret.endDateTime }],
      createdDateTime: '2026-01-01T00:00:00.000Z',
      tags: [LAB_EXPORT_TAG],
    });
    expect(manifest.notes).toMatch(/Exported from the MCP × Entra ID lab.*https:\/\/localhost:8443.*2026-02-01/);
  });

  it('reads back into the same registration', () => {
    const manifest = toManifest(app, [secret], { publisherDomain: 'contoso.test', source: 'x' });
    const read = registrationFromManifest(AppManifestSchema.parse(JSON.parse(JSON.stringify(manifest))));
    const { tenantId: _t, servicePrincipalId: _s, createdDateTime: _c, ...expected } = app;
    expect(read).toEqual(expected);
  });

  it('names a safe download file after the display name', () => {
    expect(manifestFileName({ ...app, displayName: 'My App' })).toBe('My App.manifest.json');
    expect(manifestFileName({ ...app, displayName: 'a/b:"c"' })).toBe('a-b-c-.manifest.json');
  });
});

describe('manifest export and import between two identity providers', () => {
  let first: TestIdp;
  let second: TestIdp;
  let callFirst: ReturnType<typeof adminClient>;
  let callSecond: ReturnType<typeof adminClient>;
  let original: AppView;
  let secretText: string;
  let manifest: AppManifest;

  beforeAll(async () => {
    [first, second] = await Promise.all([startTestIdp(), startTestIdp()]);
    callFirst = adminClient(first);
    callSecond = adminClient(second);
  });
  afterAll(async () => {
    await Promise.all([first.dispose(), second.dispose()]);
  });

  it('exports a registration as an attachment, with no secret value anywhere in it', async () => {
    original = (
      await callFirst<AppView>('POST', '/apps', {
        displayName: 'Learner Lab 01 App',
        web: { redirectUris: ['http://localhost:3001/auth/callback'] },
        publicClient: { redirectUris: ['http://localhost'] },
        isFallbackPublicClient: true,
      })
    ).body;
    await callFirst('POST', `/apps/${original.appId}/scopes`, { value: 'Notes.Read', adminConsentDisplayName: 'Read notes', adminConsentDescription: 'Reads notes.' });
    await callFirst('POST', `/apps/${original.appId}/required-resource-access`, { resourceAppId: API, role: 'Tools.Read' });
    await callFirst('POST', `/apps/${original.appId}/required-resource-access`, { resourceAppId: GRAPH_APP_ID, scope: 'User.Read' });
    const secret = await callFirst<SecretView & { secretText: string }>('POST', `/apps/${original.appId}/secrets`, { displayName: 'lab 01' });
    secretText = secret.body.secretText;
    original = (await callFirst<AppView>('GET', `/apps/${original.appId}`)).body;

    const res = await fetch(`${first.baseUrl}/_lab/admin/apps/${original.appId}/manifest`, { headers: { authorization: `Bearer ${first.adminToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="Learner Lab 01 App.manifest.json"');
    const text = await res.text();
    expect(text).not.toContain(secretText);
    manifest = JSON.parse(text) as AppManifest;
    expect(manifest).toMatchObject({ appId: original.appId, id: original.id, identifierUris: [`api://${original.appId}`], isFallbackPublicClient: true });
    expect(manifest.passwordCredentials).toEqual([expect.objectContaining({ keyId: secret.body.keyId, hint: secret.body.hint, displayName: 'lab 01', secretText: null })]);
  });

  it('imports into a fresh IdP with the same appId and object ID, and says that secrets were not imported', async () => {
    const res = await callSecond<ImportResponse>('POST', '/apps/import', manifest);
    expect(res.status).toBe(201);
    expect(res.body.app).toMatchObject({ appId: original.appId, id: original.id, displayName: 'Learner Lab 01 App', tenantId: second.homeTenantId, passwordCredentials: [] });
    expect(res.body.app.servicePrincipalId).not.toBe(original.servicePrincipalId);
    expect(res.body.kept).toEqual({ appId: true, id: true });
    expect(res.body.secrets.imported).toBe(0);
    expect(res.body.secrets.message).toContain('no client secret');
    expect(res.body.secrets.fix).toContain(`/_lab/admin/apps/${original.appId}/secrets`);
    expect(res.body.warnings).toEqual([]);
    const { id: _i, servicePrincipalId: _s, createdDateTime: _c, passwordCredentials: _p, ...settings } = original;
    const imported = (await callSecond<AppView>('GET', `/apps/${original.appId}`)).body;
    expect(imported).toMatchObject({ ...settings, identifierUris: [`api://${original.appId}`] });
  });

  it('the same client ID gets tokens there once a new secret is added (the old one never worked there)', async () => {
    const scope = `api://${API}/.default`;
    const oldSecret = await tokenRequest(second, { grant_type: 'client_credentials', client_id: original.appId, client_secret: secretText, scope });
    expect(oldSecret.body.error_codes).toEqual([7000215]);

    const added = await callSecond<SecretView & { secretText: string }>('POST', `/apps/${original.appId}/secrets`, { displayName: 'grader' });
    expect((await callSecond('POST', `/apps/${original.appId}/admin-consent`)).status).toBe(200);
    const cca = new ConfidentialClientApplication({
      auth: { clientId: original.appId, clientSecret: added.body.secretText, authority: second.authority, knownAuthorities: [second.knownAuthority] },
    });
    const result = await cca.acquireTokenByClientCredential({ scopes: [scope] });
    expect(decodeJwt(result!.accessToken)).toMatchObject({ aud: API, azp: original.appId, roles: ['Tools.Read'], tid: second.homeTenantId });
  });

  it('refuses to overwrite an existing appId unless asked to replace it', async () => {
    const again = await callSecond('POST', '/apps/import', manifest);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'APP_EXISTS', fix: containing('?replace=true') });

    const replaced = await callSecond<ImportResponse>('POST', '/apps/import?replace=true', { ...manifest, displayName: 'Learner Lab 01 App (v2)' });
    expect(replaced.status).toBe(201);
    expect(replaced.body).toMatchObject({ replaced: true, app: { appId: original.appId, displayName: 'Learner Lab 01 App (v2)', passwordCredentials: [] } });
    expect(second.directory.apps().filter((a) => a.appId === original.appId)).toHaveLength(1);
  });

  it('gives a copy new IDs when the manifest’s object ID is taken', async () => {
    const copy = { ...manifest, appId: '0c0b1e00-0000-4000-8000-00000000c0b1', identifierUris: [] as string[], api: { ...manifest.api, oauth2PermissionScopes: [] } };
    const res = await callSecond<ImportResponse>('POST', '/apps/import', copy);
    expect(res.status).toBe(201);
    expect(res.body.kept).toEqual({ appId: true, id: false });
    expect(res.body.warnings[0]).toContain(`The object ID ${manifest.id} is used by another registration`);
  });

  it('reads a manifest downloaded from a real tenant: unknown fields, nulls, APIs this IdP lacks', async () => {
    const fromEntra = {
      id: 'e0e0e0e0-0000-4000-8000-000000000001',
      deletedDateTime: null,
      appId: 'e0e0e0e0-0000-4000-8000-000000000002',
      applicationTemplateId: null,
      createdDateTime: '2025-11-02T10:00:00Z',
      displayName: 'From Entra',
      description: null,
      groupMembershipClaims: null,
      identifierUris: [],
      isDeviceOnlyAuthSupported: null,
      isFallbackPublicClient: null,
      nativeAuthenticationApisEnabled: null,
      notes: null,
      publisherDomain: 'contoso.onmicrosoft.com',
      signInAudience: 'AzureADMyOrg',
      tags: [],
      addIns: [],
      api: { acceptMappedClaims: null, knownClientApplications: [], requestedAccessTokenVersion: null, oauth2PermissionScopes: [], preAuthorizedApplications: [] },
      appRoles: [],
      info: { logoUrl: null, marketingUrl: null },
      keyCredentials: [],
      optionalClaims: null,
      parentalControlSettings: { countriesBlockedForMinors: [], legalAgeGroupRule: 'Allow' },
      passwordCredentials: [{ customKeyIdentifier: null, displayName: 'prod', endDateTime: '2026-05-01T00:00:00Z', hint: 'xyz', keyId: 'e0e0e0e0-0000-4000-8000-000000000003', secretText: null, startDateTime: '2025-11-02T10:00:00Z' }],
      publicClient: { redirectUris: [] },
      requiredResourceAccess: [
        { resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'Scope' }] },
        { resourceAppId: '00000003-0000-0ff1-ce00-000000000000', resourceAccess: [{ id: '56680e0d-d2a3-4ae1-80d8-3c4f2100e3d0', type: 'Scope' }] },
      ],
      web: { homePageUrl: null, logoutUrl: null, redirectUris: ['https://notes.contoso.com/signin-oidc'], implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: true }, redirectUriSettings: [] },
      spa: { redirectUris: [] },
    };
    const res = await callSecond<ImportResponse>('POST', '/apps/import', fromEntra);
    expect(res.status).toBe(201);
    expect(res.body.app).toMatchObject({ appId: fromEntra.appId, tenantId: second.homeTenantId, isFallbackPublicClient: false, api: { requestedAccessTokenVersion: null } });
    expect(res.body.secrets.message).toContain('the manifest listed 1, by hint only');
    expect(res.body.warnings).toEqual([expect.stringMatching(/^requiredResourceAccess\[1\]\.resourceAppId: No API has the application \(client\) ID 00000003-0000-0ff1-ce00-000000000000/)]);
  });
});

describe('manifest import: what it refuses', () => {
  let idp: TestIdp;
  let call: ReturnType<typeof adminClient>;
  let manifest: AppManifest;

  beforeAll(async () => {
    idp = await startTestIdp();
    call = adminClient(idp);
    const res = await fetch(`${idp.baseUrl}/_lab/admin/apps/${API}/manifest`, { headers: { authorization: `Bearer ${idp.adminToken}` } });
    manifest = (await res.json()) as AppManifest;
  });
  afterAll(async () => {
    await idp.dispose();
  });

  const withoutIds = (m: AppManifest) => ({ ...m, appId: undefined, id: undefined, identifierUris: [] as string[], api: { ...m.api, oauth2PermissionScopes: [] } });

  it('names the JSON path of every schema problem (zod issues) and the fix', async () => {
    const broken = { ...withoutIds(manifest), displayName: undefined, appRoles: [{ ...manifest.appRoles[0], allowedMemberTypes: ['Robots'] }] };
    const res = await call('POST', '/apps/import', broken);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_MANIFEST');
    expect(res.body.error.message).toMatch(/^The manifest is not valid: displayName is missing/);
    expect(res.body.error.details?.map((d) => d.path)).toEqual(['displayName', 'appRoles[0].allowedMemberTypes[0]']);
    expect(res.body.error.details?.[1]?.fix).toBe('Set appRoles[0].allowedMemberTypes[0] to one of "User", "Application".');
    expect(res.body.error.fix).toContain('docs/admin-api.md#manifests');
  });

  it('applies Entra’s rules to what the manifest describes', async () => {
    const res = await call('POST', '/apps/import', { ...withoutIds(manifest), web: { redirectUris: ['https://*.contoso.test/cb'] } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'REDIRECT_URI_WILDCARD', path: 'web.redirectUris[0]' });
  });

  it('refuses a manifest that carries a secret value, and says to rotate it', async () => {
    const leaked = { ...withoutIds(manifest), passwordCredentials: [{ keyId: 'x', hint: 'abc', secretText: 'abc8Q~leaked-value' }] };
    const res = await call('POST', '/apps/import', leaked);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'SECRET_IN_MANIFEST', path: 'passwordCredentials[0].secretText', fix: containing('leaked') });
    expect(res.text).not.toContain('abc8Q~leaked-value');
  });

  it('recognises the legacy Azure AD Graph manifest and says which tab to download', async () => {
    const res = await call('POST', '/apps/import', { appId: API, name: 'Old', replyUrlsWithType: [{ url: 'https://x.test', type: 'Web' }], oauth2Permissions: [] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'LEGACY_MANIFEST_FORMAT', fix: containing('Microsoft Graph App Manifest') });
  });

  it('refuses Microsoft Graph’s appId', async () => {
    const res = await call('POST', '/apps/import', { ...withoutIds(manifest), appId: GRAPH_APP_ID });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('BUILT_IN_APP');
  });

  it('refuses a taken Application ID URI with 409', async () => {
    const res = await call('POST', '/apps/import', { ...manifest, appId: undefined, id: undefined });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('IDENTIFIER_URI_TAKEN');
  });
});

describe('manifest import and export: certificates (keyCredentials)', () => {
  let first: TestIdp;
  let second: TestIdp;
  let callFirst: ReturnType<typeof adminClient>;
  let callSecond: ReturnType<typeof adminClient>;
  let cert: ClientCertificate;
  let appId: string;

  beforeAll(async () => {
    [first, second] = await Promise.all([startTestIdp(), startTestIdp()]);
    callFirst = adminClient(first);
    callSecond = adminClient(second);
    cert = await createClientCertificate({ subject: 'manifest-daemon' });
    appId = (await callFirst<AppView>('POST', '/apps', { displayName: 'Manifest certificate daemon' })).body.appId;
    expect((await callFirst('POST', `/apps/${appId}/certificates`, { certificate: cert.certificatePem, displayName: 'daemon cert' })).status).toBe(201);
  });
  afterAll(async () => {
    await Promise.all([first.dispose(), second.dispose()]);
  });

  const download = async (idp: TestIdp, id: string) =>
    (await (await fetch(`${idp.baseUrl}/_lab/admin/apps/${id}/manifest`, { headers: { authorization: `Bearer ${idp.adminToken}` } })).json()) as AppManifest;

  it('exports each certificate with its thumbprint and public certificate, never a private key; a fresh IdP imports it and MSAL Node signs in with the key', async () => {
    const manifest = await download(first, appId);
    expect(manifest.keyCredentials).toEqual([expect.objectContaining({ customKeyIdentifier: cert.thumbprint, displayName: 'daemon cert', type: 'AsymmetricX509Cert', usage: 'Verify' })]);
    expect(typeof manifest.keyCredentials[0]!.key).toBe('string');
    expect(new X509Certificate(Buffer.from(manifest.keyCredentials[0]!.key!, 'base64')).fingerprint.replaceAll(':', '')).toBe(cert.thumbprint);
    expect(JSON.stringify(manifest)).not.toMatch(/PRIVATE KEY/);

    const imported = await callSecond<ImportResponse & { certificates: { imported: number; listed: number } }>('POST', '/apps/import', manifest);
    expect(imported.status).toBe(201);
    expect(imported.body.certificates).toEqual({ imported: 1, listed: 1 });
    expect(imported.body.warnings).toEqual([]);
    await callSecond('POST', `/apps/${appId}/required-resource-access`, { resourceAppId: API, role: 'Tools.Read' });
    expect((await callSecond('POST', `/apps/${appId}/admin-consent`)).status).toBe(200);

    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: appId,
        authority: second.authority,
        knownAuthorities: [second.knownAuthority],
        clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKeyPem },
      },
    });
    const result = await cca.acquireTokenByClientCredential({ scopes: [`api://${API}/.default`] });
    expect(decodeJwt(result!.accessToken)).toMatchObject({ aud: API, azp: appId, azpacr: '2', roles: ['Tools.Read'], tid: second.homeTenantId });
  });

  it('reads a manifest downloaded from the Entra admin center (key: null): the app imports, each certificate is named in a warning with how to upload it', async () => {
    const manifest = await download(first, appId);
    const fromEntra = { ...manifest, appId: undefined, id: undefined, identifierUris: [], keyCredentials: manifest.keyCredentials.map((k) => ({ ...k, key: null })) };
    const res = await callSecond<ImportResponse & { certificates: { imported: number } }>('POST', '/apps/import', fromEntra);
    expect(res.status).toBe(201);
    expect(res.body.certificates.imported).toBe(0);
    expect(res.body.warnings).toEqual([expect.stringMatching(/^keyCredentials\[0\] \("daemon cert"\) has no certificate data \(key: null.*mcp-lab app cert add .* --pem FILE/)]);
    expect((await callSecond<{ value: unknown[] }>('GET', `/apps/${res.body.app.appId}/certificates`)).body.value).toEqual([]);
  });

  it('refuses a private key in keyCredentials (PEM or base64 PKCS#8) and imports nothing', async () => {
    const manifest = await download(first, appId);
    const pkcs8 = createPrivateKey(cert.privateKeyPem).export({ format: 'der', type: 'pkcs8' }).toString('base64');
    for (const key of [cert.privateKeyPem, pkcs8]) {
      const copy = { ...manifest, appId: undefined, id: undefined, displayName: 'Leaky', identifierUris: [], keyCredentials: [{ ...manifest.keyCredentials[0], key }] };
      const res = await callSecond('POST', '/apps/import', copy);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'PRIVATE_KEY_IN_MANIFEST', path: 'keyCredentials[0].key', fix: containing('leaked') });
    }
    expect(second.directory.apps().some((a) => a.displayName === 'Leaky')).toBe(false);
  });
});
