import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { startIdp, SEED } from '../src/index.ts';
import { startTestIdp } from './support/test-idp.ts';
import { tokenRequest } from './support/flows.ts';

const folders: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-restart-'));
  folders.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

describe('restart', () => {
  it('keeps the CA, the signing key, registrations and secrets; tokens issued before still verify', async () => {
    const dataDir = tempDir();
    // The CA this worker trusts (see test-support/global-setup.ts), so the test can call the IdP.
    const certDir = process.env.MCP_LAB_TEST_CERT_DIR!;
    const first = await startIdp({ port: 0, dataDir, certDir });
    const home = first.info().tenants[0]!.id;
    const app = first.directory.createApp({ tenantId: home, displayName: 'Survives restarts' });
    const { secretText } = first.directory.addSecret(app.appId, { displayName: 'test' });
    first.directory.assignAppRole({
      principalId: app.servicePrincipalId,
      principalType: 'ServicePrincipal',
      resourceAppId: SEED.apps.protectedApi.appId,
      appRoleId: SEED.roles.toolsRead.id,
    });
    const idp1 = Object.assign(first, { homeTenantId: home });
    const before = await tokenRequest(idp1 as never, { grant_type: 'client_credentials', client_id: app.appId, client_secret: secretText, scope: `api://${SEED.apps.protectedApi.appId}/.default` }, home);
    expect(before.status).toBe(200);
    const ca = fs.readFileSync(first.caCertPath, 'utf8');
    await first.close();

    const second = await startIdp({ port: 0, dataDir, certDir });
    try {
      expect(fs.readFileSync(second.caCertPath, 'utf8')).toBe(ca);
      expect(second.directory.app(app.appId)?.displayName).toBe('Survives restarts');
      // A new port means a new issuer here; the keys are what must survive.
      const jwks = createRemoteJWKSet(new URL(`${second.baseUrl}/${home}/discovery/v2.0/keys`));
      const { payload } = await jwtVerify(String(before.body.access_token), jwks);
      expect(payload.azp).toBe(app.appId);
      const after = await tokenRequest(Object.assign(second, { homeTenantId: home }) as never, {
        grant_type: 'client_credentials',
        client_id: app.appId,
        client_secret: secretText,
        scope: `api://${SEED.apps.protectedApi.appId}/.default`,
      }, home);
      expect(after.status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('makes a CA on first start into an empty folder and reuses it on the next start', async () => {
    const dataDir = tempDir();
    const certDir = tempDir();
    const first = await startIdp({ port: 0, dataDir, certDir });
    const ca = fs.readFileSync(first.caCertPath, 'utf8');
    const leaf = fs.readFileSync(path.join(certDir, 'localhost.pem'), 'utf8');
    await first.close();
    const second = await startIdp({ port: 0, dataDir, certDir });
    await second.close();
    expect(second.caCertPath).toBe(path.join(certDir, 'ca.pem'));
    expect(fs.readFileSync(second.caCertPath, 'utf8')).toBe(ca);
    expect(fs.readFileSync(path.join(certDir, 'localhost.pem'), 'utf8')).toBe(leaf);
  });

  it('refuses a second start on a busy port, naming the port and what to do', async () => {
    const running = await startTestIdp();
    try {
      const attempt = startIdp({ port: running.port, dataDir: tempDir(), certDir: process.env.MCP_LAB_TEST_CERT_DIR! });
      const error = (await attempt.catch((e: unknown) => e)) as { code?: string; message?: string };
      expect(error.code).toBe('IDP_PORT_BUSY');
      expect(error.message).toContain(`Port ${running.port} is already in use`);
      expect(error.message).toContain('--port');
    } finally {
      await running.dispose();
    }
  });
});
