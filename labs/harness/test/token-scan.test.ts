import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprint, type TraceEvent } from '@mcp-lab/mock-idp';
import { scanForLeaks } from '../src/index.ts';

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
