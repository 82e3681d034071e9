import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/database.ts';
import { Directory } from '../src/store/directory.ts';
import { loadOrCreatePepper } from '../src/store/key-material.ts';
import { seedDirectory } from '../src/seed/seed-directory.ts';
import { SEED } from '../src/seed/seed-data.ts';

/**
 * The app cache on the token endpoint's hot path must never show an edit
 * late: a write through the same Directory empties it at once, and a commit
 * by another connection (another process on the same file) is seen at the
 * next look at SQLite's data_version.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function twoConnections() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-cache-'));
  dirs.push(dir);
  const file = path.join(dir, 'idp.sqlite');
  const first = openDatabase(file);
  const pepper = loadOrCreatePepper(first);
  const a = new Directory(first, pepper, { externalWritesCheckMs: 0 });
  seedDirectory(a);
  const b = new Directory(openDatabase(file), pepper);
  return { a, b };
}

describe('the directory’s app cache', () => {
  it('shows an edit made through the same Directory in the very next read', () => {
    const { a } = twoConnections();
    const api = SEED.apps.protectedApi.appId;
    expect(a.app(api)?.api.requestedAccessTokenVersion).toBe(2);
    a.updateApp(api, { api: { requestedAccessTokenVersion: null } });
    expect(a.app(api)?.api.requestedAccessTokenVersion).toBeNull();
    a.updateApp(api, { identifierUris: ['api://renamed'] });
    expect(a.appByIdentifierUri(`api://${api}`)).toBeUndefined();
    expect(a.appByIdentifierUri('api://renamed')?.appId).toBe(api);
  });

  it('forgets what it read inside a transaction that was rolled back', () => {
    const { a } = twoConnections();
    const web = SEED.apps.webServer.appId;
    expect(() =>
      a.transaction(() => {
        a.deleteApp(web);
        expect(a.app(web)).toBeUndefined();
        throw new Error('undo');
      }),
    ).toThrow('undo');
    expect(a.app(web)?.appId).toBe(web);
  });

  it('shows a commit by another connection, and a deleted app as gone', () => {
    const { a, b } = twoConnections();
    const web = SEED.apps.webServer.appId;
    expect(a.app(web)?.displayName).toBe(SEED.apps.webServer.displayName);
    b.updateApp(web, { displayName: 'Renamed elsewhere' });
    expect(a.app(web)?.displayName).toBe('Renamed elsewhere');
    b.deleteApp(web);
    expect(a.app(web)).toBeUndefined();
  });
});
