import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../src/store/database.ts';
import { Directory, type NewUser } from '../src/store/directory.ts';
import { ensureSigningKeys, loadOrCreatePepper } from '../src/store/key-material.ts';
import { seedDirectory } from '../src/seed/seed-directory.ts';
import { DEV_SECRET_DISPLAY_NAME, GRAPH_APP_ID, GRAPH_ROLE_IDS, GRAPH_SCOPE_IDS, MICROSOFT_GRAPH, SEED, SEED_PASSWORDS } from '../src/seed/seed-data.ts';

let dir: string;
let opened: DatabaseSync[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-seed-'));
  opened = [];
});

afterEach(() => {
  for (const db of opened) if (db.isOpen) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function open(): { db: DatabaseSync; directory: Directory } {
  const db = openDatabase(path.join(dir, 'idp.db'));
  opened.push(db);
  return { db, directory: new Directory(db, loadOrCreatePepper(db)) };
}

function seeded(): { db: DatabaseSync; directory: Directory } {
  const state = open();
  expect(seedDirectory(state.directory)).toEqual({ seeded: true });
  return state;
}

const count = (db: DatabaseSync, table: string) => Number(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()?.n);

describe('seedDirectory', () => {
  it('creates the tenants, users and apps with their fixed IDs', () => {
    const { directory } = seeded();
    expect(directory.tenants()).toEqual([
      { id: 'b3d1f0a2-6c4e-4f8a-9d2b-5e7c1a3f9d01', name: 'Contoso Lab', domain: 'contoso.test', home: true },
      { id: 'e8a7c6b5-4d3c-4b2a-8f1e-0d9c8b7a6f02', name: 'Fabrikam Partner', domain: 'fabrikam.test', home: false },
    ]);

    const users = Object.fromEntries(directory.users().map((u) => [u.userPrincipalName, u]));
    expect(users['alice@contoso.test']).toMatchObject({ id: 'a11ce000-0000-4000-8000-000000000001', displayName: 'Alice Jansen', jobTitle: 'Developer', isAdmin: false });
    expect(users['bob@contoso.test']).toMatchObject({ id: 'b0b00000-0000-4000-8000-000000000002', displayName: 'Bob de Vries' });
    expect(users['admin@contoso.test']).toMatchObject({ id: 'ad000000-0000-4000-8000-000000000003', displayName: 'Megan Admin', isAdmin: true });
    expect(users['frank@fabrikam.test']).toMatchObject({ id: 'f4a00000-0000-4000-8000-000000000004', tenantId: SEED.tenants.foreign.id });
    expect(directory.users(SEED.tenants.home.id)).toHaveLength(3);

    const publicClient = directory.app('02c11e00-0000-4000-8000-000000000002');
    expect(publicClient).toMatchObject({
      displayName: 'MCP Lab Public Client (stdio)',
      id: SEED.apps.publicClient.id,
      servicePrincipalId: SEED.apps.publicClient.servicePrincipalId,
      isFallbackPublicClient: true,
      publicClient: { redirectUris: ['http://localhost'] },
      requiredResourceAccess: [{ resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: GRAPH_SCOPE_IDS['User.Read'], type: 'Scope' }] }],
    });
    const webServer = directory.app('03c0f1d0-0000-4000-8000-000000000003');
    expect(webServer).toMatchObject({ displayName: 'MCP Lab Web Server (HTTP)', web: { redirectUris: ['http://localhost:3001/auth/callback', 'https://localhost:3001/auth/callback'] } });
    expect(webServer?.requiredResourceAccess).toEqual([
      {
        resourceAppId: GRAPH_APP_ID,
        resourceAccess: [
          { id: GRAPH_SCOPE_IDS['User.Read'], type: 'Scope' },
          { id: GRAPH_ROLE_IDS['User.Read.All'], type: 'Role' },
        ],
      },
      {
        resourceAppId: SEED.apps.protectedApi.appId,
        resourceAccess: [
          { id: SEED.scopes.userImpersonation.id, type: 'Scope' },
          { id: SEED.roles.toolsRead.id, type: 'Role' },
        ],
      },
    ]);
    const api = directory.appByIdentifierUri('api://05a91000-0000-4000-8000-000000000005');
    expect(api).toMatchObject({ appId: '05a91000-0000-4000-8000-000000000005', displayName: 'MCP Lab Protected API', api: { requestedAccessTokenVersion: 2 } });
    expect(api?.api.oauth2PermissionScopes.map((s) => [s.value, s.type])).toEqual([['user_impersonation', 'User']]);
    expect(api?.appRoles.map((r) => [r.value, r.allowedMemberTypes])).toEqual([
      ['Tools.Read', ['User', 'Application']],
      ['Tools.Admin', ['User']],
    ]);

    // Every seeded object ID is distinct.
    const ids = [...directory.apps().flatMap((a) => [a.appId, a.id, a.servicePrincipalId]), ...directory.users().map((u) => u.id)];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps Microsoft Graph built in, not stored, with its well-known IDs', () => {
    const { directory } = seeded();
    expect(directory.app(GRAPH_APP_ID)).toBeUndefined();
    expect(directory.apps()).toHaveLength(3);
    expect(MICROSOFT_GRAPH).toMatchObject({ appId: '00000003-0000-0000-c000-000000000000', identifierUris: ['https://graph.microsoft.com'] });
    expect(Object.fromEntries(MICROSOFT_GRAPH.api.oauth2PermissionScopes.map((s) => [s.value, s.id]))).toEqual({
      'User.Read': 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
      'User.ReadBasic.All': 'b340eb25-3456-403f-be2f-af7a0d370277',
      openid: '37f7f235-527c-4136-accd-4a02d197296e',
      profile: '14dad69e-099b-42c9-810b-d002981feec1',
      email: '64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0',
      offline_access: '7427e0e9-2fba-42fe-b0c0-848c9e6a8182',
    });
    expect(MICROSOFT_GRAPH.appRoles).toEqual([expect.objectContaining({ id: 'df021288-bdef-4463-88db-98f22de89214', value: 'User.Read.All', allowedMemberTypes: ['Application'] })]);
    expect(Object.isFrozen(MICROSOFT_GRAPH.api.oauth2PermissionScopes)).toBe(true);
    expect(Object.isFrozen(SEED.apps.webServer)).toBe(true);
  });

  it('assigns the seeded roles and pre-grants no consent', () => {
    const { directory } = seeded();
    const api = SEED.apps.protectedApi.appId;
    expect(directory.roleValues(SEED.users.alice.id, api)).toEqual(['Tools.Read']);
    expect(directory.roleValues(SEED.users.admin.id, api)).toEqual(['Tools.Admin']);
    expect(directory.roleValues(SEED.users.bob.id, api)).toEqual([]);
    expect(directory.roleValues(SEED.apps.webServer.servicePrincipalId, api)).toEqual(['Tools.Read']);
    expect(directory.roleValues(SEED.apps.webServer.servicePrincipalId, GRAPH_APP_ID, MICROSOFT_GRAPH.appRoles)).toEqual(['User.Read.All']);
    expect(directory.appRoleAssignments({ resourceAppId: GRAPH_APP_ID })).toEqual([
      expect.objectContaining({ principalType: 'ServicePrincipal', appRoleId: GRAPH_ROLE_IDS['User.Read.All'] }),
    ]);
    expect(directory.permissionGrants({})).toEqual([]);
  });

  it('stores the seeded passwords only as hashes', () => {
    const { db, directory } = seeded();
    for (const [upn, password] of Object.entries(SEED_PASSWORDS)) {
      expect(directory.verifyPassword(upn, password)?.userPrincipalName).toBe(upn);
    }
    expect(SEED_PASSWORDS['alice@contoso.test']).toBe('alice-lab-2026');
    const raw = JSON.stringify(db.prepare('SELECT * FROM users').all());
    for (const password of Object.values(SEED_PASSWORDS)) expect(raw).not.toContain(password);
  });

  it('gives the confidential apps a random dev secret that verifies and is stored hashed', () => {
    const { db, directory } = seeded();
    const secrets = SEED.confidentialApps.map((appId) => directory.devSecret(appId));
    expect(SEED.confidentialApps).toEqual([SEED.apps.webServer.appId, SEED.apps.protectedApi.appId]);
    for (const [i, appId] of SEED.confidentialApps.entries()) {
      const secret = secrets[i];
      expect(secret).toMatch(/^[A-Za-z0-9_.~-]{3}8Q~[A-Za-z0-9_.~-]{40}$/);
      const [credential] = directory.secrets(appId);
      expect(credential).toMatchObject({ displayName: DEV_SECRET_DISPLAY_NAME, hint: secret!.slice(0, 3) });
      expect(directory.verifySecret(appId, secret!)).toEqual({ result: 'valid', keyId: credential!.keyId });
    }
    expect(secrets[0]).not.toBe(secrets[1]);
    expect(directory.devSecret(SEED.apps.publicClient.appId)).toBeUndefined();
    expect(directory.secrets(SEED.apps.publicClient.appId)).toEqual([]);

    const raw = db
      .prepare('SELECT * FROM app_secrets')
      .all()
      .map((row) => Object.values(row).map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : String(v))).join('|'))
      .join('\n');
    for (const secret of secrets) expect(raw).not.toContain(secret);

    // A fresh installation gets different values: they are not constants in the code.
    fs.mkdirSync(path.join(dir, 'other'));
    const otherDb = openDatabase(path.join(dir, 'other', 'idp.db'));
    opened.push(otherDb);
    const other = new Directory(otherDb, loadOrCreatePepper(otherDb));
    seedDirectory(other);
    expect(other.devSecret(SEED.apps.webServer.appId)).not.toBe(secrets[0]);
  });

  it('seeds only once, across restarts, and keeps the signing key', async () => {
    const first = seeded();
    const keys = await ensureSigningKeys(first.directory);
    const devSecret = first.directory.devSecret(SEED.apps.webServer.appId);
    const tables = ['tenants', 'applications', 'users', 'app_secrets', 'app_role_assignments'];
    const before = tables.map((t) => count(first.db, t));
    expect(seedDirectory(first.directory)).toEqual({ seeded: false });
    first.db.close();

    const second = open();
    expect(seedDirectory(second.directory)).toEqual({ seeded: false });
    expect(tables.map((t) => count(second.db, t))).toEqual(before);
    expect(second.directory.devSecret(SEED.apps.webServer.appId)).toBe(devSecret);
    expect(await ensureSigningKeys(second.directory)).toEqual(keys);
  });

  it('leaves nothing behind when seeding fails half-way', () => {
    const { db } = open();
    class FailingDirectory extends Directory {
      override createUser(input: NewUser) {
        if (input.userPrincipalName.startsWith('admin')) throw new Error('disk full');
        return super.createUser(input);
      }
    }
    const failing = new FailingDirectory(db, loadOrCreatePepper(db));
    expect(() => seedDirectory(failing)).toThrow('disk full');
    for (const table of ['tenants', 'applications', 'users', 'app_secrets', 'dev_secrets']) expect(count(db, table)).toBe(0);
    expect(seedDirectory(new Directory(db, loadOrCreatePepper(db)))).toEqual({ seeded: true });
  });
});
