import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClientCertificate } from '../src/certs/client-certificate.ts';
import { SEED } from '../src/seed/seed-data.ts';
import { seedDirectory } from '../src/seed/seed-directory.ts';
import { AppCredentials } from '../src/store/app-credentials.ts';
import { openDatabase } from '../src/store/database.ts';
import { Directory } from '../src/store/directory.ts';
import { loadOrCreatePepper } from '../src/store/key-material.ts';
import { TraceBus } from '../src/trace/trace-bus.ts';

/**
 * What the split stores cache for the token endpoint beyond app rows (see
 * directory-cache.test.ts): secrets' hashes, assigned roles, whether an app
 * has credentials, and values derived from them. Each must follow a write at
 * once, whichever store (or AppCredentials) made it.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function seeded() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-store-cache-'));
  dirs.push(dir);
  const db = openDatabase(path.join(dir, 'idp.sqlite'));
  const directory = new Directory(db, loadOrCreatePepper(db), { externalWritesCheckMs: 0 });
  seedDirectory(directory);
  return { directory, credentials: new AppCredentials(db) };
}

describe('the stores’ shared cache', () => {
  it('a new secret verifies at once, a deleted one fails at once', () => {
    const { directory } = seeded();
    const app = directory.createApp({ tenantId: SEED.tenants.home.id, displayName: 'Cache daemon' });
    expect(directory.verifySecret(app.appId, 'nothing yet')).toEqual({ result: 'invalid' });
    const { credential, secretText } = directory.addSecret(app.appId, { displayName: 'one' });
    expect(directory.verifySecret(app.appId, secretText)).toEqual({ result: 'valid', keyId: credential.keyId });
    expect(directory.secrets(app.appId).map((s) => s.keyId)).toEqual([credential.keyId]);
    directory.deleteSecret(app.appId, credential.keyId);
    expect(directory.verifySecret(app.appId, secretText)).toEqual({ result: 'invalid' });
    expect(directory.secrets(app.appId)).toEqual([]);
  });

  it('a role assignment shows in the next roles claim, its removal in the one after', () => {
    const { directory } = seeded();
    const app = directory.createApp({ tenantId: SEED.tenants.home.id, displayName: 'Role daemon' });
    const api = SEED.apps.protectedApi.appId;
    expect(directory.roleValues(app.servicePrincipalId, api)).toEqual([]);
    const assignment = directory.assignAppRole({ principalId: app.servicePrincipalId, principalType: 'ServicePrincipal', resourceAppId: api, appRoleId: SEED.roles.toolsRead.id });
    expect(directory.roleValues(app.servicePrincipalId, api)).toEqual(['Tools.Read']);
    directory.unassignAppRole(assignment.id);
    expect(directory.roleValues(app.servicePrincipalId, api)).toEqual([]);
  });

  it('a certificate added or deleted through AppCredentials empties the directory’s cache too (derived values included)', async () => {
    const { directory, credentials } = seeded();
    const app = directory.createApp({ tenantId: SEED.tenants.home.id, displayName: 'Certificate daemon' });
    const derive = () => directory.derived(`has-any\0${app.appId}`, () => credentials.hasAny(app.appId));
    expect(derive()).toBe(false);
    const cert = await createClientCertificate({ subject: 'cache' });
    const added = credentials.addCertificate(app.appId, { certificate: cert.certificatePem });
    expect(credentials.hasAny(app.appId)).toBe(true);
    expect(derive()).toBe(true);
    credentials.deleteCertificate(app.appId, added.keyId);
    expect(derive()).toBe(false);
  });

  it('forgets derived values computed inside a transaction that was rolled back', () => {
    const { directory } = seeded();
    const web = SEED.apps.webServer.appId;
    expect(() =>
      directory.transaction(() => {
        directory.updateApp(web, { displayName: 'Never committed' });
        expect(directory.derived(`name\0${web}`, () => directory.app(web)!.displayName)).toBe('Never committed');
        throw new Error('undo');
      }),
    ).toThrow('undo');
    expect(directory.derived(`name\0${web}`, () => directory.app(web)!.displayName)).toBe(SEED.apps.webServer.displayName);
  });
});

describe('the trace history ring', () => {
  it('keeps the newest events, oldest first, once full', () => {
    const bus = new TraceBus(3);
    for (let i = 1; i <= 5; i++) bus.emit({ type: 'admin', summary: `event ${i}` });
    expect(bus.history().map((e) => e.summary)).toEqual(['event 3', 'event 4', 'event 5']);
    expect(bus.history({ since: 3 }).map((e) => e.id)).toEqual([4, 5]);
  });
});
