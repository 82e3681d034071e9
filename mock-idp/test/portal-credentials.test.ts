import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientCertificate, SEED } from '../src/index.ts';
import { userOf } from './support/flows.ts';
import { accessibilityProblems, alerts, notice, pageText, PortalBrowser } from './support/portal-browser.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';

let idp: TestIdp;
let portal: PortalBrowser;
const APP = SEED.apps.webServer.appId;

beforeAll(async () => {
  idp = await startTestIdp();
  portal = new PortalBrowser(idp.baseUrl);
  const admin = userOf(idp, 'admin');
  await portal.signIn(admin.username, admin.password);
});
afterAll(async () => {
  await idp.dispose();
});

describe('portal: managed identities', () => {
  it('are listed in Enterprise applications as Managed Identity, and not in App registrations', async () => {
    const enterprise = pageText(await portal.open('/portal/enterprise-apps'));
    expect(enterprise).toMatch(/mcp-lab-identity .*Managed Identity/);
    expect(enterprise).toMatch(/mcp-lab-app-service .*Managed Identity/);
    expect(pageText(await portal.open('/portal/apps'))).not.toContain('mcp-lab-identity');
  });
});

describe('portal: Certificates & secrets › Certificates and Federated credentials', () => {
  it('uploads a certificate (its thumbprint listed), refuses a private key with the reason, and deletes it', async () => {
    const cert = await createClientCertificate();
    const blade = await portal.open(`/portal/apps/${APP}/credentials`);
    expect(pageText(blade)).toContain('Certificates (0)');
    const tab = await portal.open(`/portal/apps/${APP}/credentials/certificates`);
    expect(accessibilityProblems(tab, { portal: true })).toEqual([]);
    const refused = await portal.submit(tab, 'Upload certificate', { certificate: cert.privateKeyPem });
    expect(refused.status).toBe(400);
    expect(alerts(refused).join(' ')).toContain('private key');
    const added = await portal.submit(tab, 'Upload certificate', { certificate: cert.certificatePem, description: 'ci' });
    expect(notice(added)).toMatch(/Certificate uploaded/);
    expect(pageText(added)).toContain(cert.thumbprint);
    expect(idp.credentials.certificates(APP)).toHaveLength(1);
    const deleted = await portal.submit(added, 'Delete certificate ci');
    expect(notice(deleted)).toMatch(/AADSTS700027/);
    expect(idp.credentials.certificates(APP)).toHaveLength(0);
  });

  it('adds a federated credential for a managed identity’s issuer and subject, with api://AzureADTokenExchange by default', async () => {
    const tab = await portal.open(`/portal/apps/${APP}/credentials/federated`);
    expect(accessibilityProblems(tab, { portal: true })).toEqual([]);
    const issuer = `${idp.authority}/v2.0`;
    const bad = await portal.submit(tab, 'Add federated credential', { name: 'x', issuer, subject: 'abc' });
    expect(bad.status).toBe(400);
    const added = await portal.submit(tab, 'Add federated credential', { name: 'lab-mi', issuer, subject: '11111111-2222-4333-8444-555555555555' });
    expect(alerts(added)).toEqual([]);
    expect(idp.credentials.federated(APP)).toMatchObject([{ name: 'lab-mi', issuer, audiences: ['api://AzureADTokenExchange'] }]);
    const deleted = await portal.submit(added, 'Delete federated credential lab-mi');
    expect(notice(deleted)).toMatch(/deleted/);
  });
});
