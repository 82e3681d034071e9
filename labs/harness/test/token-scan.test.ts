import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprint, type TraceEvent } from '@mcp-lab/mock-idp';
import { scanForLeaks, scanHome } from '../src/index.ts';

const ACCESS = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImF1ZCI6ImFwaSJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbi1hdC1sZWFzdA';
const REFRESH = 'Zk9xR3pWb1l6cE1tN2ZqT0h3b3ZqZ2hPb0N1c0xtN2Y';
const events: TraceEvent[] = [
  { id: 1, time: new Date().toISOString(), type: 'token', summary: 'issued', fingerprints: { accessToken: fingerprint(ACCESS), refreshToken: fingerprint(REFRESH) } },
];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-scan-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the token scan', () => {
  it('finds an issued access token in the output and a refresh token in a cache file, by fingerprint', () => {
    fs.mkdirSync(path.join(dir, 'cache'));
    fs.writeFileSync(path.join(dir, 'cache', 'msal.json'), JSON.stringify({ RefreshToken: { x: { secret: REFRESH } } }));
    const leaks = scanForLeaks(events, `debug: got token ${ACCESS}\n`, [dir]);
    expect(leaks).toEqual([
      { kind: 'access token', where: 'output', fingerprint: fingerprint(ACCESS) },
      { kind: 'refresh token', where: path.join('cache', 'msal.json'), fingerprint: fingerprint(REFRESH) },
    ]);
  });

  it('finds nothing in an encrypted cache, and ignores token-shaped text the IdP never issued', () => {
    const clean = fs.mkdtempSync(path.join(dir, 'clean-'));
    fs.writeFileSync(path.join(clean, 'cache.bin'), Buffer.from('v1:aes-256-gcm:9f8e7d6c5b4a39281706f5e4d3c2b1a0:ciphertext'));
    const other = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzb21lb25lLWVsc2UifQ.bm90LWlzc3VlZC1ieS10aGUtaWRw';
    expect(scanForLeaks(events, `a JWT from elsewhere: ${other}`, [clean])).toEqual([]);
  });
});

describe('the home scan', () => {
  it('finds a token and a copy of a cache file in a server home, but not the cache folder itself or short files', () => {
    const home = fs.mkdtempSync(path.join(dir, 'home-'));
    const cache = path.join(home, '.cache', 'lab');
    fs.mkdirSync(cache, { recursive: true });
    fs.mkdirSync(path.join(home, 'tmp'));
    const sealed = '{"v":1,"iv":"q83vEjRWeJCrze8S","tag":"3q2+7w==","data":"c2VhbGVkIGNhY2hl"}';
    fs.writeFileSync(path.join(cache, 'msal-cache.enc'), sealed);
    fs.writeFileSync(path.join(cache, 'tiny'), '{}');
    // A debug dump in the temp folder, a backup of the encrypted cache inside a bigger file, and a file that holds "{}" as well.
    fs.writeFileSync(path.join(home, 'tmp', 'msal-debug.json'), JSON.stringify({ RefreshToken: { x: { secret: REFRESH } } }));
    fs.writeFileSync(path.join(home, 'backup.json'), `{"saved":"2026-12-05T10:00:00Z","cache":${sealed}}`);
    fs.writeFileSync(path.join(home, 'settings.json'), '{}');
    expect(scanHome(events, home, [cache]).sort((a, b) => a.where.localeCompare(b.where))).toEqual([
      { where: '~/backup.json', what: 'a copy of msal-cache.enc' },
      { where: '~/tmp/msal-debug.json', what: 'refresh token' },
    ]);
  });

  it('finds nothing in a home the server left alone', () => {
    const home = fs.mkdtempSync(path.join(dir, 'home-'));
    fs.mkdirSync(path.join(home, 'tmp'));
    const cache = fs.mkdtempSync(path.join(dir, 'cache-'));
    fs.writeFileSync(path.join(cache, 'cache.key'), 'a'.repeat(64));
    expect(scanHome(events, home, [cache])).toEqual([]);
  });
});
