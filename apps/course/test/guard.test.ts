import { describe, expect, it } from 'vitest';
import { refuseCrossSite } from '../src/lab/guard.ts';

const post = (headers: Record<string, string>) => new Request('http://localhost:3000/api/labs/02-public-client/check', { method: 'POST', headers, body: '{}' });

describe('routes that start processes', () => {
  it('answer JSON from this site on this machine', () => {
    expect(refuseCrossSite(post({ host: 'localhost:3000', 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' }))).toBeUndefined();
    expect(refuseCrossSite(post({ host: '127.0.0.1:3000', 'content-type': 'application/json' }))).toBeUndefined();
  });

  it('refuse another host name (DNS rebinding), another site, and forms', async () => {
    const rebound = refuseCrossSite(post({ host: 'evil.example:3000', 'content-type': 'application/json' }));
    expect(rebound?.status).toBe(403);
    expect(((await rebound?.json()) as { error: string }).error).toBe('NOT_LOCAL');
    expect(refuseCrossSite(post({ host: 'localhost:3000', 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }))?.status).toBe(403);
    expect(refuseCrossSite(post({ host: 'localhost:3000', 'content-type': 'application/x-www-form-urlencoded' }))?.status).toBe(415);
  });
});
