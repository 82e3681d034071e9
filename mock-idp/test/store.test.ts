import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { calculateJwkThumbprint } from 'jose';
import Provider from 'oidc-provider';
import type { AppRole } from '../src/directory/types.ts';
import { openDatabase } from '../src/store/database.ts';
import { SCHEMA_VERSION, schemaVersion } from '../src/store/migrations.ts';
import { Directory, type NewApp } from '../src/store/directory.ts';
import { ensureCookieKeys, ensureSigningKeys, loadOrCreatePepper } from '../src/store/key-material.ts';
import { createAdapterFactory } from '../src/store/oidc-adapter.ts';
import { isSqliteExperimentalWarning } from '../src/store/sqlite.ts';

const SECRET_SHAPE = /^[A-Za-z0-9_.~-]{3}8Q~[A-Za-z0-9_.~-]{40}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const TENANT = { id: '1e5a0000-0000-4000-8000-000000000001', name: 'Test Tenant', domain: 'test.example', home: true };
const OTHER_TENANT = { id: '1e5a0000-0000-4000-8000-000000000002', name: 'Other Tenant', domain: 'other.example', home: false };

let dir: string;
let opened: DatabaseSync[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-store-'));
  opened = [];
});

afterEach(() => {
  for (const db of opened) if (db.isOpen) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const dbFile = () => path.join(dir, 'state', 'idp.db');

function open(file = dbFile()): DatabaseSync {
  const db = openDatabase(file);
  opened.push(db);
  return db;
}

function directoryOn(db: DatabaseSync): Directory {
  return new Directory(db, loadOrCreatePepper(db));
}

function freshDirectory(): { db: DatabaseSync; directory: Directory } {
  const db = open();
  const directory = directoryOn(db);
  directory.createTenant(TENANT);
  return { db, directory };
}

/** Every value of every row of a table, as one string, to search for leaked plaintext. */
function rawTable(db: DatabaseSync, table: string): string {
  return db
    .prepare(`SELECT * FROM ${table}`)
    .all()
    .map((row) => Object.values(row).map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : String(v))).join('|'))
    .join('\n');
}

const role = (id: string, value: string, allowedMemberTypes: AppRole['allowedMemberTypes'], isEnabled = true): AppRole => ({
  id,
  value,
  displayName: value,
  description: value,
  allowedMemberTypes,
  isEnabled,
});

const API: NewApp = {
  tenantId: TENANT.id,
  displayName: 'Test API',
  identifierUris: ['api://test-api'],
  appRoles: [
    role('7e570000-0000-4000-8000-000000000001', 'Zeta.Write', ['User', 'Application']),
    role('7e570000-0000-4000-8000-000000000002', 'Alpha.Read', ['User']),
    role('7e570000-0000-4000-8000-000000000003', 'Old.Role', ['User'], false),
  ],
};

function newUser(directory: Directory, name = 'carol', password = 'correct horse') {
  return directory.createUser({ tenantId: TENANT.id, userPrincipalName: `${name}@test.example`, displayName: name, password });
}

describe('openDatabase', () => {
  it('creates the folder, sets WAL, busy_timeout, foreign keys and the schema version', () => {
    const db = open();
    expect(fs.existsSync(dbFile())).toBe(true);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThan(0);
    expect(db.prepare('PRAGMA journal_mode').get()?.journal_mode).toBe('wal');
    expect(db.prepare('PRAGMA busy_timeout').get()?.timeout).toBe(5000);
    expect(db.prepare('PRAGMA foreign_keys').get()?.foreign_keys).toBe(1);
  });

  it('opens an up-to-date file again without re-running migrations', () => {
    open().close();
    const db = open();
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
  });

  it('refuses a file written by a newer version, naming the file and the fix', () => {
    const db = open();
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    let error: unknown;
    try {
      open();
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'IDP_STATE_TOO_NEW' });
    expect((error as Error).message).toContain(dbFile());
    expect((error as Error).message).toContain('mcp-lab idp reset');
    expect((error as Error).message).toMatch(/update the lab/i);
  });

  it('explains a file that is not a database', () => {
    fs.mkdirSync(path.dirname(dbFile()), { recursive: true });
    fs.writeFileSync(dbFile(), 'this is not a database, just some text that is long enough to have a header'.repeat(20));
    expect(() => open()).toThrow(expect.objectContaining({ code: 'IDP_STATE_UNREADABLE' }) as Error);
  });

  it('keeps state across closing and reopening the file', () => {
    const first = freshDirectory();
    const app = first.directory.createApp(API);
    const user = newUser(first.directory);
    const { secretText } = first.directory.addSecret(app.appId, { displayName: 'ci' });
    first.db.close();

    const directory = directoryOn(open());
    expect(directory.tenants()).toEqual([TENANT]);
    expect(directory.app(app.appId)).toEqual(app);
    expect(directory.user(user.id)).toEqual(user);
    expect(directory.verifyPassword(user.userPrincipalName, 'correct horse')?.id).toBe(user.id);
    // Same pepper after reopening, or stored secret hashes would stop matching.
    expect(directory.verifySecret(app.appId, secretText).result).toBe('valid');
  });
});

describe('node:sqlite warning filter', () => {
  it('drops only the SQLite ExperimentalWarning', () => {
    const message = 'SQLite is an experimental feature and might change at any time';
    expect(isSqliteExperimentalWarning(message, 'ExperimentalWarning')).toBe(true);
    expect(isSqliteExperimentalWarning(message, { type: 'ExperimentalWarning' })).toBe(true);
    expect(isSqliteExperimentalWarning(Object.assign(new Error(message), { name: 'ExperimentalWarning' }))).toBe(true);
    expect(isSqliteExperimentalWarning('VM Modules is an experimental feature', 'ExperimentalWarning')).toBe(false);
    expect(isSqliteExperimentalWarning('sqlite file is large', 'Warning')).toBe(false);
    expect(isSqliteExperimentalWarning(message)).toBe(false);
  });

  it('leaves process.emitWarning as it was', () => {
    expect(process.emitWarning.name).toBe('emitWarning');
  });
});

describe('Directory: tenants and apps', () => {
  it('lists the home tenant first and finds tenants by ID or domain in any case', () => {
    const { directory } = freshDirectory();
    directory.createTenant(OTHER_TENANT);
    expect(directory.tenants().map((t) => t.id)).toEqual([TENANT.id, OTHER_TENANT.id]);
    expect(directory.tenant(TENANT.id.toUpperCase())).toEqual(TENANT);
    expect(directory.tenant('TEST.Example')).toEqual(TENANT);
    expect(directory.tenant('nope.example')).toBeUndefined();
    expect(() => directory.createTenant({ ...OTHER_TENANT, id: '1e5a0000-0000-4000-8000-000000000003' })).toThrow(
      expect.objectContaining({ code: 'TENANT_EXISTS' }) as Error,
    );
  });

  it('creates apps with random IDs and Entra defaults, mapped to exact types', () => {
    const { directory } = freshDirectory();
    const app = directory.createApp({ tenantId: TENANT.id, displayName: 'Plain' });
    expect(app.appId).toMatch(GUID);
    expect(app.id).toMatch(GUID);
    expect(app.servicePrincipalId).toMatch(GUID);
    expect(new Set([app.appId, app.id, app.servicePrincipalId]).size).toBe(3);
    expect(app).toMatchObject({
      signInAudience: 'AzureADMyOrg',
      isFallbackPublicClient: false,
      identifierUris: [],
      web: { redirectUris: [] },
      spa: { redirectUris: [] },
      publicClient: { redirectUris: [] },
      // Entra's default for a new registration: null (v1.0 access tokens).
      api: { oauth2PermissionScopes: [], requestedAccessTokenVersion: null },
      appRoles: [],
      requiredResourceAccess: [],
    });
    const stored = directory.app(app.appId.toUpperCase());
    expect(stored).toEqual(app);
    expect(typeof stored?.isFallbackPublicClient).toBe('boolean');
    expect(directory.apps(TENANT.id)).toEqual([app]);
    expect(directory.apps(OTHER_TENANT.id)).toEqual([]);
  });

  it('finds an app by Application ID URI and keeps URIs unique', () => {
    const { directory } = freshDirectory();
    const api = directory.createApp(API);
    expect(directory.appByIdentifierUri('API://test-api')?.appId).toBe(api.appId);
    expect(directory.appByIdentifierUri('api://other')).toBeUndefined();
    expect(() => directory.createApp({ ...API, displayName: 'Copy' })).toThrow(expect.objectContaining({ code: 'IDENTIFIER_URI_TAKEN' }) as Error);
  });

  it('updates the editable fields and rejects unknown apps', () => {
    const { directory } = freshDirectory();
    const app = directory.createApp(API);
    const updated = directory.updateApp(app.appId, {
      displayName: 'Renamed',
      isFallbackPublicClient: true,
      web: { redirectUris: ['https://app.example/cb'] },
      api: { requestedAccessTokenVersion: 1 },
    });
    expect(updated).toEqual({
      ...app,
      displayName: 'Renamed',
      isFallbackPublicClient: true,
      web: { redirectUris: ['https://app.example/cb'] },
      api: { ...app.api, requestedAccessTokenVersion: 1 },
    });
    expect(directory.app(app.appId)).toEqual(updated);
    expect(() => directory.updateApp('0badbad0-0000-4000-8000-000000000000', { displayName: 'x' })).toThrow(
      expect.objectContaining({ code: 'APP_NOT_FOUND' }) as Error,
    );
  });

  it('rejects an app in an unknown tenant', () => {
    const { directory } = freshDirectory();
    expect(() => directory.createApp({ ...API, tenantId: OTHER_TENANT.id })).toThrow(expect.objectContaining({ code: 'TENANT_NOT_FOUND' }) as Error);
  });
});

describe('Directory: client secrets', () => {
  it('makes Entra-shaped secrets with at least 256 bits of randomness', () => {
    const { directory } = freshDirectory();
    const app = directory.createApp(API);
    const texts = Array.from({ length: 200 }, () => directory.addSecret(app.appId, { displayName: 'x' }).secretText);
    for (const t of texts) expect(t).toMatch(SECRET_SHAPE);
    expect(new Set(texts).size).toBe(texts.length);
    // 43 random characters over a 66-symbol alphabet: 43 × log2(66) ≥ 256.
    const alphabet = new Set([...texts.map((t) => t.slice(0, 3) + t.slice(6)).join('')]);
    expect(alphabet.size).toBe(66);
    expect(43 * Math.log2(alphabet.size)).toBeGreaterThanOrEqual(256);
  });

  it('verifies valid, invalid and expired secrets and stores only a keyed hash', () => {
    const { db, directory } = freshDirectory();
    const app = directory.createApp(API);
    const before = Date.now();
    const { credential, secretText } = directory.addSecret(app.appId, { displayName: 'ci' });
    expect(credential).toMatchObject({ appId: app.appId, displayName: 'ci', hint: secretText.slice(0, 3) });
    const lifetimeDays = (Date.parse(credential.endDateTime) - Date.parse(credential.startDateTime)) / 86_400_000;
    expect(lifetimeDays).toBe(180);
    expect(Date.parse(credential.startDateTime)).toBeGreaterThanOrEqual(before - 1000);
    expect(directory.secrets(app.appId)).toEqual([credential]);

    expect(directory.verifySecret(app.appId, secretText)).toEqual({ result: 'valid', keyId: credential.keyId });
    expect(directory.verifySecret(app.appId, secretText.slice(0, -1) + (secretText.endsWith('a') ? 'b' : 'a'))).toEqual({ result: 'invalid' });
    expect(directory.verifySecret(app.appId, '')).toEqual({ result: 'invalid' });
    expect(directory.verifySecret('0badbad0-0000-4000-8000-000000000000', secretText)).toEqual({ result: 'invalid' });
    expect(directory.verifySecret(app.appId, secretText, new Date(Date.parse(credential.endDateTime) + 1))).toEqual({
      result: 'expired',
      keyId: credential.keyId,
    });

    const raw = rawTable(db, 'app_secrets');
    expect(raw).toContain(credential.keyId);
    expect(raw).not.toContain(secretText);
    expect(raw).not.toContain(secretText.slice(6));
    const row = db.prepare('SELECT secret_hmac FROM app_secrets').get();
    expect((row?.secret_hmac as Uint8Array).length).toBe(32);
  });

  it('checks every secret of the app, and honours a given end date', () => {
    const { directory } = freshDirectory();
    const app = directory.createApp(API);
    const old = directory.addSecret(app.appId, { displayName: 'old', endDateTime: '2020-01-01T00:00:00Z' });
    const current = directory.addSecret(app.appId, { displayName: 'current' });
    expect(old.credential.endDateTime).toBe('2020-01-01T00:00:00.000Z');
    expect(directory.verifySecret(app.appId, old.secretText)).toEqual({ result: 'expired', keyId: old.credential.keyId });
    expect(directory.verifySecret(app.appId, current.secretText)).toEqual({ result: 'valid', keyId: current.credential.keyId });
    expect(directory.deleteSecret(app.appId, current.credential.keyId)).toBe(true);
    expect(directory.deleteSecret(app.appId, current.credential.keyId)).toBe(false);
    expect(directory.verifySecret(app.appId, current.secretText)).toEqual({ result: 'invalid' });
  });

  it('keeps a dev secret per app', () => {
    const { directory } = freshDirectory();
    const app = directory.createApp(API);
    expect(directory.devSecret(app.appId)).toBeUndefined();
    directory.setDevSecret(app.appId, 'abc8Q~first');
    directory.setDevSecret(app.appId, 'abc8Q~second');
    expect(directory.devSecret(app.appId.toUpperCase())).toBe('abc8Q~second');
  });
});

describe('Directory: users and passwords', () => {
  it('verifies passwords against a salted scrypt hash and never stores plaintext', () => {
    const { db, directory } = freshDirectory();
    const carol = newUser(directory, 'carol', 'correct horse');
    const dave = newUser(directory, 'dave', 'correct horse');
    expect(carol).toMatchObject({ mail: 'carol@test.example', isAdmin: false, accountEnabled: true, givenName: '', jobTitle: '' });
    expect(directory.verifyPassword('CAROL@test.example', 'correct horse')).toEqual(carol);
    expect(directory.verifyPassword('carol@test.example', 'wrong horse')).toBeUndefined();
    expect(directory.verifyPassword('nobody@test.example', 'correct horse')).toBeUndefined();

    const raw = rawTable(db, 'users');
    expect(raw).not.toContain('correct horse');
    const hashes = db.prepare('SELECT password_hash FROM users').all().map((r) => String(r.password_hash));
    expect(hashes.every((h) => h.startsWith('scrypt$'))).toBe(true);
    expect(hashes[0]).not.toBe(hashes[1]); // per-user salt
    expect(dave.id).toMatch(GUID);
  });

  it('finds users case-insensitively, updates them, and lets disabled users verify', () => {
    const { directory } = freshDirectory();
    const carol = newUser(directory);
    expect(directory.user(carol.id.toUpperCase())).toEqual(carol);
    expect(directory.userByName('Carol@Test.Example')).toEqual(carol);
    const disabled = directory.updateUser(carol.id, { accountEnabled: false, jobTitle: 'Tester' });
    expect(disabled).toEqual({ ...carol, accountEnabled: false, jobTitle: 'Tester' });
    expect(directory.verifyPassword(carol.userPrincipalName, 'correct horse')?.accountEnabled).toBe(false);
    directory.setPassword(carol.id, 'battery staple');
    expect(directory.verifyPassword(carol.userPrincipalName, 'correct horse')).toBeUndefined();
    expect(directory.verifyPassword(carol.userPrincipalName, 'battery staple')?.id).toBe(carol.id);
    expect(directory.users(TENANT.id)).toEqual([directory.user(carol.id)]);
  });

  it('refuses duplicate names and names outside the tenant domain', () => {
    const { directory } = freshDirectory();
    newUser(directory);
    expect(() => newUser(directory, 'CAROL')).toThrow(expect.objectContaining({ code: 'USER_EXISTS' }) as Error);
    expect(() => directory.createUser({ tenantId: TENANT.id, userPrincipalName: 'eve@elsewhere.example', displayName: 'Eve', password: 'x' })).toThrow(
      expect.objectContaining({ code: 'USER_DOMAIN_MISMATCH' }) as Error,
    );
    expect(() => directory.setPassword('0badbad0-0000-4000-8000-000000000000', 'x')).toThrow(expect.objectContaining({ code: 'USER_NOT_FOUND' }) as Error);
  });
});

describe('Directory: app roles', () => {
  it('returns the sorted values of enabled roles assigned to the principal', () => {
    const { directory } = freshDirectory();
    const api = directory.createApp(API);
    const carol = newUser(directory);
    const [zeta, alpha, old] = API.appRoles as [AppRole, AppRole, AppRole];
    const first = directory.assignAppRole({ principalId: carol.id, principalType: 'User', resourceAppId: api.appId, appRoleId: zeta.id });
    directory.assignAppRole({ principalId: carol.id, principalType: 'User', resourceAppId: api.appId, appRoleId: alpha.id });
    directory.assignAppRole({ principalId: carol.id, principalType: 'User', resourceAppId: api.appId, appRoleId: old.id });
    expect(directory.roleValues(carol.id, api.appId)).toEqual(['Alpha.Read', 'Zeta.Write']);

    const again = directory.assignAppRole({ principalId: carol.id.toUpperCase(), principalType: 'User', resourceAppId: api.appId, appRoleId: zeta.id });
    expect(again).toEqual(first);
    expect(directory.appRoleAssignments({ principalId: carol.id })).toHaveLength(3);

    expect(directory.unassignAppRole(first.id)).toBe(true);
    expect(directory.unassignAppRole(first.id)).toBe(false);
    expect(directory.roleValues(carol.id, api.appId)).toEqual(['Alpha.Read']);
  });

  it('uses given role definitions for a built-in resource that is not stored', () => {
    const { directory } = freshDirectory();
    const client = directory.createApp({ tenantId: TENANT.id, displayName: 'Daemon' });
    const graphAppId = '00000003-0000-0000-c000-000000000000';
    const graphRoles = [role('df021288-bdef-4463-88db-98f22de89214', 'User.Read.All', ['Application'])];
    directory.assignAppRole({ principalId: client.servicePrincipalId, principalType: 'ServicePrincipal', resourceAppId: graphAppId, appRoleId: graphRoles[0]!.id });
    expect(directory.roleValues(client.servicePrincipalId, graphAppId, graphRoles)).toEqual(['User.Read.All']);
    expect(directory.roleValues(client.servicePrincipalId, graphAppId)).toEqual([]);
    expect(directory.appRoleAssignments({ resourceAppId: graphAppId })).toHaveLength(1);
  });

  it('checks the principal and the role of a stored resource', () => {
    const { directory } = freshDirectory();
    const api = directory.createApp(API);
    const client = directory.createApp({ tenantId: TENANT.id, displayName: 'Daemon' });
    const [, alpha] = API.appRoles as [AppRole, AppRole];
    expect(() =>
      directory.assignAppRole({ principalId: client.servicePrincipalId, principalType: 'ServicePrincipal', resourceAppId: api.appId, appRoleId: alpha.id }),
    ).toThrow(expect.objectContaining({ code: 'APP_ROLE_NOT_ALLOWED' }) as Error);
    expect(() =>
      directory.assignAppRole({ principalId: client.appId, principalType: 'ServicePrincipal', resourceAppId: api.appId, appRoleId: alpha.id }),
    ).toThrow(expect.objectContaining({ code: 'PRINCIPAL_NOT_FOUND' }) as Error);
    expect(() =>
      directory.assignAppRole({ principalId: client.servicePrincipalId, principalType: 'ServicePrincipal', resourceAppId: api.appId, appRoleId: '0badbad0-0000-4000-8000-000000000000' }),
    ).toThrow(expect.objectContaining({ code: 'APP_ROLE_NOT_FOUND' }) as Error);
  });
});

describe('Directory: delegated permission grants', () => {
  it('merges scopes per grant and unions Principal with AllPrincipals consent', () => {
    const { directory } = freshDirectory();
    const api = directory.createApp(API);
    const client = directory.createApp({ tenantId: TENANT.id, displayName: 'Client' });
    const carol = newUser(directory, 'carol');
    const dave = newUser(directory, 'dave');
    const base = { clientAppId: client.appId, resourceAppId: api.appId };

    directory.grantPermission({ ...base, consentType: 'Principal', principalId: carol.id, scopes: ['write', 'read'] });
    const merged = directory.grantPermission({ ...base, consentType: 'Principal', principalId: carol.id, scopes: ['read', 'admin'] });
    expect(merged).toEqual({ ...base, consentType: 'Principal', principalId: carol.id, scopes: ['admin', 'read', 'write'] });
    directory.grantPermission({ ...base, consentType: 'Principal', principalId: dave.id, scopes: ['dave.only'] });
    directory.grantPermission({ ...base, consentType: 'AllPrincipals', principalId: null, scopes: ['tenant.wide', 'read'] });

    expect(directory.permissionGrants({ clientAppId: client.appId })).toHaveLength(3);
    expect(directory.permissionGrants({ principalId: carol.id })).toEqual([merged]);
    expect(directory.consentedScopes(client.appId, carol.id, api.appId)).toEqual(['admin', 'read', 'tenant.wide', 'write']);
    expect(directory.consentedScopes(client.appId, dave.id, api.appId)).toEqual(['dave.only', 'read', 'tenant.wide']);

    expect(directory.revokePermissionGrants(client.appId, null)).toBe(1);
    expect(directory.consentedScopes(client.appId, dave.id, api.appId)).toEqual(['dave.only']);
    expect(directory.revokePermissionGrants(client.appId, carol.id)).toBe(1);
    expect(directory.consentedScopes(client.appId, carol.id, api.appId)).toEqual([]);
  });

  it('rejects a grant whose consent type and principal disagree', () => {
    const { directory } = freshDirectory();
    const client = directory.createApp({ tenantId: TENANT.id, displayName: 'Client' });
    expect(() =>
      directory.grantPermission({ clientAppId: client.appId, consentType: 'Principal', principalId: null, resourceAppId: client.appId, scopes: ['x'] }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }) as Error);
  });
});

describe('Directory: deleteApp', () => {
  it('removes the app with its secrets, dev secret, grants and role assignments', () => {
    const { db, directory } = freshDirectory();
    const api = directory.createApp(API);
    const client = directory.createApp({ tenantId: TENANT.id, displayName: 'Client', appRoles: [role('c11e0000-0000-4000-8000-000000000001', 'Client.Role', ['User'])] });
    const bystander = directory.createApp({ tenantId: TENANT.id, displayName: 'Bystander' });
    const carol = newUser(directory);
    const [zeta, alpha] = API.appRoles as [AppRole, AppRole];

    const { secretText } = directory.addSecret(client.appId, { displayName: 'x' });
    directory.setDevSecret(client.appId, secretText);
    directory.addSecret(bystander.appId, { displayName: 'kept' });
    directory.grantPermission({ clientAppId: client.appId, consentType: 'Principal', principalId: carol.id, resourceAppId: api.appId, scopes: ['read'] });
    directory.grantPermission({ clientAppId: bystander.appId, consentType: 'AllPrincipals', principalId: null, resourceAppId: client.appId, scopes: ['x'] });
    const kept = directory.grantPermission({ clientAppId: bystander.appId, consentType: 'AllPrincipals', principalId: null, resourceAppId: api.appId, scopes: ['y'] });
    directory.assignAppRole({ principalId: client.servicePrincipalId, principalType: 'ServicePrincipal', resourceAppId: api.appId, appRoleId: zeta.id });
    directory.assignAppRole({ principalId: carol.id, principalType: 'User', resourceAppId: client.appId, appRoleId: 'c11e0000-0000-4000-8000-000000000001' });
    const keptRole = directory.assignAppRole({ principalId: carol.id, principalType: 'User', resourceAppId: api.appId, appRoleId: alpha.id });

    expect(directory.deleteApp(client.appId.toUpperCase())).toBe(true);
    expect(directory.deleteApp(client.appId)).toBe(false);

    expect(directory.app(client.appId)).toBeUndefined();
    expect(directory.secrets(client.appId)).toEqual([]);
    expect(directory.devSecret(client.appId)).toBeUndefined();
    expect(directory.permissionGrants({})).toEqual([kept]);
    expect(directory.appRoleAssignments({})).toEqual([keptRole]);
    expect(directory.secrets(bystander.appId)).toHaveLength(1);
    expect(rawTable(db, 'app_secrets')).not.toContain(client.appId);
  });
});

describe('Directory: settings and key material', () => {
  it('stores settings', () => {
    const { directory } = freshDirectory();
    expect(directory.getSetting('x')).toBeUndefined();
    directory.setSetting('x', '1');
    directory.setSetting('x', '2');
    expect(directory.getSetting('x')).toBe('2');
  });

  it('keeps the pepper, the signing key and the cookie keys across restarts', async () => {
    const first = open();
    const pepper = loadOrCreatePepper(first);
    expect(pepper).toHaveLength(32);
    const directory = new Directory(first, pepper);
    const keys = await ensureSigningKeys(directory);
    const cookies = ensureCookieKeys(directory);
    first.close();

    expect(keys).toHaveLength(1);
    const [key] = keys;
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(typeof key?.d).toBe('string');
    expect(Buffer.from(key?.n ?? '', 'base64url')).toHaveLength(256); // 2048-bit modulus
    expect(key?.kid).toBe(await calculateJwkThumbprint(key!));
    expect(cookies).toHaveLength(2);
    for (const c of cookies) expect(Buffer.from(c, 'base64url')).toHaveLength(32);

    const second = open();
    const samePepper = loadOrCreatePepper(second);
    expect(samePepper.equals(pepper)).toBe(true);
    const again = new Directory(second, samePepper);
    expect(await ensureSigningKeys(again)).toEqual(keys);
    expect(ensureCookieKeys(again)).toEqual(cookies);
  });
});

describe('oidc-provider adapter', () => {
  const CLIENT = { client_id: 'c1', redirect_uris: ['https://app.example/cb'], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] };

  function setup(overrides: { stayValid?: () => boolean; partition?: string; db?: DatabaseSync } = {}) {
    const db = overrides.db ?? open();
    const clock = { now: 1_800_000_000_000 };
    const Adapter = createAdapterFactory(db, {
      findClient: (id) => (id === CLIENT.client_id ? CLIENT : undefined),
      rotatedRefreshTokensStayValid: overrides.stayValid ?? (() => true),
      partition: overrides.partition,
      now: () => clock.now,
    });
    return { db, clock, Adapter };
  }

  it('stores, finds and destroys payloads', async () => {
    const { Adapter } = setup();
    const sessions = new Adapter('Session');
    await sessions.upsert('s1', { accountId: 'a1', uid: 'u1' }, 3600);
    expect(await sessions.find('s1')).toEqual({ accountId: 'a1', uid: 'u1' });
    expect(await new Adapter('Interaction').find('s1')).toBeUndefined();
    await sessions.upsert('s1', { accountId: 'a2', uid: 'u1' }, 3600);
    expect(await sessions.find('s1')).toEqual({ accountId: 'a2', uid: 'u1' });
    await sessions.destroy('s1');
    expect(await sessions.find('s1')).toBeUndefined();
  });

  it('does not return expired rows, and purges them during later writes', async () => {
    const { db, clock, Adapter } = setup();
    const codes = new Adapter('AuthorizationCode');
    await codes.upsert('short', { accountId: 'a' }, 10);
    await codes.upsert('forever', { accountId: 'a' });
    clock.now += 9_000;
    expect(await codes.find('short')).toBeDefined();
    clock.now += 2_000;
    expect(await codes.find('short')).toBeUndefined();
    expect(await codes.find('forever')).toBeDefined();

    const count = () => Number(db.prepare('SELECT count(*) AS n FROM oidc_models').get()?.n);
    expect(count()).toBe(2);
    clock.now += 60_000;
    await codes.upsert('next', { accountId: 'a' }, 10);
    expect(count()).toBe(2); // 'short' purged, 'next' added
  });

  it('finds sessions by uid and device codes by user code', async () => {
    const { Adapter } = setup();
    await new Adapter('Session').upsert('s1', { uid: 'uid-1', accountId: 'a' }, 60);
    await new Adapter('DeviceCode').upsert('d1', { userCode: 'WDJB-MJHT', grantId: 'g1' }, 60);
    expect(await new Adapter('Session').findByUid('uid-1')).toMatchObject({ accountId: 'a' });
    expect(await new Adapter('Session').findByUid('uid-2')).toBeUndefined();
    expect(await new Adapter('DeviceCode').findByUserCode('WDJB-MJHT')).toMatchObject({ grantId: 'g1' });
    expect(await new Adapter('Session').findByUserCode('WDJB-MJHT')).toBeUndefined();
  });

  it('revokes everything issued under a grant, across models', async () => {
    const { Adapter } = setup();
    for (const model of ['AccessToken', 'RefreshToken', 'AuthorizationCode', 'DeviceCode']) {
      await new Adapter(model).upsert(`${model}-1`, { grantId: 'g1' }, 60);
      await new Adapter(model).upsert(`${model}-2`, { grantId: 'g2' }, 60);
    }
    await new Adapter('RefreshToken').revokeByGrantId('g1');
    for (const model of ['AccessToken', 'RefreshToken', 'AuthorizationCode', 'DeviceCode']) {
      expect(await new Adapter(model).find(`${model}-1`)).toBeUndefined();
      expect(await new Adapter(model).find(`${model}-2`)).toEqual({ grantId: 'g2' });
    }
  });

  it('marks a consumed authorization code', async () => {
    const { clock, Adapter } = setup();
    const codes = new Adapter('AuthorizationCode');
    await codes.upsert('c1', { grantId: 'g' }, 60);
    await codes.consume('c1');
    expect(await codes.find('c1')).toEqual({ grantId: 'g', consumed: Math.floor(clock.now / 1000) });
  });

  it('keeps a rotated refresh token valid (Entra), or consumes it in strict OAuth 2.1 mode', async () => {
    let stayValid = true;
    const { db, clock, Adapter } = setup({ stayValid: () => stayValid });
    const tokens = new Adapter('RefreshToken');
    await tokens.upsert('rt1', { grantId: 'g' }, 3600);
    await tokens.consume('rt1');
    expect(await tokens.find('rt1')).toEqual({ grantId: 'g' });
    expect(db.prepare("SELECT rotated_at FROM oidc_models WHERE id = 'rt1'").get()?.rotated_at).toBe(clock.now);

    stayValid = false;
    await tokens.upsert('rt2', { grantId: 'g' }, 3600);
    await tokens.consume('rt2');
    expect(await tokens.find('rt2')).toMatchObject({ consumed: Math.floor(clock.now / 1000) });
  });

  it('reads clients from findClient and refuses to write them', async () => {
    const { Adapter } = setup();
    const clients = new Adapter('Client');
    expect(await clients.find('c1')).toEqual(CLIENT);
    expect(await clients.find('c2')).toBeUndefined();
    await expect(clients.upsert('c1', {})).rejects.toMatchObject({ code: 'CLIENT_READ_ONLY' });
    await expect(clients.destroy('c1')).rejects.toMatchObject({ code: 'CLIENT_READ_ONLY' });
  });

  it('keeps partitions apart and survives a restart', async () => {
    const { db, Adapter } = setup({ partition: 'tenant-a' });
    const other = setup({ partition: 'tenant-b', db }).Adapter;
    await new Adapter('Grant').upsert('g1', { accountId: 'a' }, 3600);
    expect(await new other('Grant').find('g1')).toBeUndefined();
    db.close();
    const reopened = setup({ partition: 'tenant-a', db: open() }).Adapter;
    expect(await new reopened('Grant').find('g1')).toEqual({ accountId: 'a' });
  });

  describe('with oidc-provider models', () => {
    async function provider(stayValid: () => boolean) {
      const db = open();
      const Adapter = createAdapterFactory(db, { findClient: (id) => (id === CLIENT.client_id ? CLIENT : undefined), rotatedRefreshTokensStayValid: stayValid });
      return new Provider('https://localhost:8443/t/v2.0', {
        adapter: Adapter,
        jwks: { keys: await ensureSigningKeys(directoryOn(db)) },
        features: { devInteractions: { enabled: false } },
        ttl: { RefreshToken: 3600 },
      });
    }

    it('round-trips sessions, codes and refresh tokens with their real semantics', async () => {
      let stayValid = true;
      const op = await provider(() => stayValid);
      const client = await op.Client.find('c1');
      if (!client) throw new Error('findClient was not consulted');
      expect(client.clientId).toBe('c1');

      const session = new op.Session();
      session.accountId = 'a1';
      await session.save(3600);
      expect((await op.Session.findByUid(session.uid))?.accountId).toBe('a1');

      const code = new op.AuthorizationCode({ client, accountId: 'a1', grantId: 'g1', gty: 'authorization_code', scope: 'openid', redirectUri: CLIENT.redirect_uris[0] });
      const codeValue = await code.save();
      const found = await op.AuthorizationCode.find(codeValue);
      expect(found?.isValid).toBe(true);
      await found?.consume();
      expect((await op.AuthorizationCode.find(codeValue))?.isValid).toBe(false);

      const rt = new op.RefreshToken({ client, accountId: 'a1', grantId: 'g1', gty: 'authorization_code', scope: 'openid offline_access' });
      const rtValue = await rt.save();
      await (await op.RefreshToken.find(rtValue))?.consume();
      expect((await op.RefreshToken.find(rtValue))?.isValid).toBe(true);

      stayValid = false;
      const strict = new op.RefreshToken({ client, accountId: 'a1', grantId: 'g1', gty: 'authorization_code', scope: 'openid offline_access' });
      const strictValue = await strict.save();
      await (await op.RefreshToken.find(strictValue))?.consume();
      expect((await op.RefreshToken.find(strictValue))?.isValid).toBe(false);

      await op.RefreshToken.revokeByGrantId('g1');
      expect(await op.RefreshToken.find(rtValue)).toBeUndefined();
      expect(await op.AuthorizationCode.find(codeValue)).toBeUndefined();
    });
  });
});
