/**
 * Certificate credentials, end to end with the libraries people use against
 * Entra: @azure/identity's ClientCertificateCredential, MSAL Node's
 * clientCertificate and openid-client's private_key_jwt; then the refusals,
 * each with Entra's code, on assertions made by hand with jose.
 */
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { ClientCertificateCredential } from '@azure/identity';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { decodeJwt, importPKCS8, SignJWT } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientCertificate, SEED, type ClientCertificate } from '../src/index.ts';
import { admin } from './support/admin.ts';
import { tokenRequest } from './support/flows.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';

let idp: TestIdp;
let daemon: { appId: string };
let cert: ClientCertificate;
const API = SEED.apps.protectedApi.appId;

beforeAll(async () => {
  idp = await startTestIdp();
  const created = await admin<{ appId: string }>(idp, 'POST', '/apps', { displayName: 'Certificate daemon' });
  daemon = created.body;
  await admin(idp, 'POST', `/apps/${daemon.appId}/app-role-assignments`, { resourceAppId: API, role: 'Tools.Read' });
  cert = await createClientCertificate({ subject: 'certificate-daemon' });
  const added = await admin<{ customKeyIdentifier: string; thumbprints: Record<string, string> }>(idp, 'POST', `/apps/${daemon.appId}/certificates`, { certificate: cert.certificatePem, displayName: 'ci' });
  expect(added.status).toBe(201);
  expect(added.body.customKeyIdentifier).toBe(cert.thumbprint);
});
afterAll(async () => {
  await idp.dispose();
});

const tokenEndpoint = () => `${idp.authority}/oauth2/v2.0/token`;
const x5tS256 = (pem: string) => createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url');

/** A client assertion as Entra's docs describe it, with anything overridden. */
async function assertion(options: { claims?: Record<string, unknown>; header?: Record<string, unknown>; privateKeyPem?: string } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const key = await importPKCS8(options.privateKeyPem ?? cert.privateKeyPem, 'RS256');
  return new SignJWT({ aud: tokenEndpoint(), iss: daemon.appId, sub: daemon.appId, jti: randomUUID(), nbf: now, iat: now, exp: now + 600, ...options.claims })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', 'x5t#S256': x5tS256(cert.certificatePem), ...options.header })
    .sign(key);
}

async function withAssertion(jwt: string) {
  return tokenRequest(idp, {
    grant_type: 'client_credentials',
    client_id: daemon.appId,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: jwt,
    scope: `api://${API}/.default`,
  });
}

describe('certificates with real libraries', () => {
  it('@azure/identity ClientCertificateCredential gets a token whose azpacr says "certificate" (2)', async () => {
    const credential = new ClientCertificateCredential(
      idp.homeTenantId,
      daemon.appId,
      { certificate: `${cert.privateKeyPem}\n${cert.certificatePem}` },
      { authorityHost: idp.baseUrl, disableInstanceDiscovery: true },
    );
    const token = await credential.getToken(`api://${API}/.default`);
    expect(decodeJwt(token.token)).toMatchObject({ aud: API, azp: daemon.appId, azpacr: '2', roles: ['Tools.Read'], ver: '2.0' });
  });

  it('MSAL Node clientCertificate: two resources with one cached assertion (Entra accepts it again until it expires)', async () => {
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: daemon.appId,
        authority: idp.authority,
        knownAuthorities: [idp.knownAuthority],
        clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKeyPem },
      },
    });
    const api = await cca.acquireTokenByClientCredential({ scopes: [`api://${API}/.default`] });
    expect(decodeJwt(api!.accessToken)).toMatchObject({ azp: daemon.appId, azpacr: '2' });
    // MSAL reuses its signed assertion for 10 minutes; Graph's token is v1.0: appidacr 2.
    const graph = await cca.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    expect(decodeJwt(graph!.accessToken)).toMatchObject({ appid: daemon.appId, appidacr: '2', ver: '1.0' });
  });

  it('openid-client private_key_jwt (with Entra’s x5t#S256 header) gets a token', async () => {
    const key = await importPKCS8(cert.privateKeyPem, 'RS256');
    const auth = client.PrivateKeyJwt(key, {
      [client.modifyAssertion]: (header: Record<string, unknown>) => {
        header['x5t#S256'] = x5tS256(cert.certificatePem);
      },
    });
    const config = await client.discovery(new URL(`${idp.authority}/v2.0`), daemon.appId, undefined, auth);
    expect(config.serverMetadata().token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    const tokens = await client.clientCredentialsGrant(config, { scope: `api://${API}/.default` });
    expect(decodeJwt(tokens.access_token)).toMatchObject({ azp: daemon.appId, azpacr: '2' });
  });
});

describe('assertions Entra refuses, with its codes', () => {
  const codeOf = async (jwt: string) => {
    const res = await withAssertion(jwt);
    expect(res.status).toBe(401);
    return (res.body.error_codes as number[])[0];
  };

  it('AADSTS700027: an unknown thumbprint, no thumbprint, and a signature by another key', async () => {
    const other = await createClientCertificate();
    expect(await codeOf(await assertion({ header: { 'x5t#S256': x5tS256(other.certificatePem) } }))).toBe(700027);
    expect(await codeOf(await assertion({ header: { 'x5t#S256': undefined } }))).toBe(700027);
    const forged = await withAssertion(await assertion({ privateKeyPem: other.privateKeyPem }));
    expect(forged.body.error_description).toContain('Client assertion failed signature validation');
  });

  it('AADSTS700023 a wrong aud, AADSTS700021 an iss that is not the client, AADSTS700024 an expired assertion', async () => {
    expect(await codeOf(await assertion({ claims: { aud: `${idp.baseUrl}/${idp.foreignTenantId}/oauth2/v2.0/token` } }))).toBe(700023);
    expect(await codeOf(await assertion({ claims: { sub: SEED.apps.webServer.appId } }))).toBe(700021);
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    expect(await codeOf(await assertion({ claims: { nbf: hourAgo - 600, iat: hourAgo - 600, exp: hourAgo } }))).toBe(700024);
  });

  it('accepts the x5t (SHA-1) header, and the same assertion again before it expires, as Entra does', async () => {
    const sha1 = createHash('sha1').update(new X509Certificate(cert.certificatePem).raw).digest('base64url');
    const jwt = await assertion({ header: { 'x5t#S256': undefined, x5t: sha1 } });
    expect((await withAssertion(jwt)).status).toBe(200);
    expect((await withAssertion(jwt)).status).toBe(200);
  });

  it('the manifest lists the certificate as Graph’s keyCredential: thumbprint, dates and the public certificate in key (never the private key)', async () => {
    const manifest = await admin<{ keyCredentials: Record<string, unknown>[] }>(idp, 'GET', `/apps/${daemon.appId}/manifest`);
    const der = new X509Certificate(cert.certificatePem).raw.toString('base64');
    expect(manifest.body.keyCredentials).toEqual([expect.objectContaining({ customKeyIdentifier: cert.thumbprint, key: der, type: 'AsymmetricX509Cert', usage: 'Verify' })]);
    expect(JSON.stringify(manifest.body)).not.toContain('PRIVATE KEY');
  });

  it('a deleted certificate fails the very next request; a private key is refused at upload', async () => {
    const listed = await admin<{ value: { keyId: string }[] }>(idp, 'GET', `/apps/${daemon.appId}/certificates`);
    const second = await createClientCertificate();
    const refused = await admin<{ error: { code: string; message: string } }>(idp, 'POST', `/apps/${daemon.appId}/certificates`, { certificate: second.privateKeyPem });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('private key');
    const deleted = await fetch(`${idp.baseUrl}/_lab/admin/apps/${daemon.appId}/certificates/${listed.body.value[0]!.keyId}`, { method: 'DELETE', headers: { authorization: `Bearer ${idp.adminToken}` } });
    expect(deleted.status).toBe(204);
    expect(await codeOf(await assertion())).toBe(700027);
  });
});
