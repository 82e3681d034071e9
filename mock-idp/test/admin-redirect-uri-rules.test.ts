import { describe, expect, it } from 'vitest';
import {
  checkNewRedirectUri,
  checkRedirectUri,
  checkRedirectUriLists,
  MAX_REDIRECT_URI_LENGTH,
  MAX_REDIRECT_URIS,
  type Platform,
  type RedirectUriLists,
} from '../src/admin/apps/redirect-uri-rules.ts';

const none: RedirectUriLists = { web: { redirectUris: [] }, spa: { redirectUris: [] }, publicClient: { redirectUris: [] } };

function codeOf(platform: Platform, uri: string): string | undefined {
  return checkRedirectUri(platform, uri)?.code;
}

describe('one redirect URI', () => {
  it('accepts https anywhere and http on the loopback hosts localhost and 127.0.0.1', () => {
    for (const platform of ['web', 'spa', 'publicClient'] as const) {
      expect(codeOf(platform, 'https://app.contoso.com/auth/callback')).toBeUndefined();
      expect(codeOf(platform, 'http://localhost:3001/auth/callback')).toBeUndefined();
      expect(codeOf(platform, 'http://localhost')).toBeUndefined();
      expect(codeOf(platform, 'http://127.0.0.1:8400/')).toBeUndefined();
      expect(codeOf(platform, 'https://app.contoso.com/cb?tenant=contoso')).toBeUndefined();
    }
  });

  it('refuses http on any other host, in the portal’s words, with the https fix', () => {
    const v = checkRedirectUri('web', 'http://app.contoso.com/cb');
    expect(v?.code).toBe('REDIRECT_URI_HTTPS_REQUIRED');
    expect(v?.message).toContain('Must start with "HTTPS" or "http://localhost"');
    expect(v?.fix).toContain('https://app.contoso.com/cb');
    expect(codeOf('publicClient', 'http://192.168.1.10/cb')).toBe('REDIRECT_URI_HTTPS_REQUIRED');
    expect(codeOf('spa', 'http://sub.localhost:3000/')).toBe('REDIRECT_URI_HTTPS_REQUIRED');
  });

  it('refuses the IPv6 loopback, which Entra does not support yet', () => {
    const v = checkRedirectUri('publicClient', 'http://[::1]:3000/cb');
    expect(v?.code).toBe('REDIRECT_URI_IPV6_LOOPBACK');
    expect(v?.fix).toContain('http://localhost:3000/cb');
  });

  it('refuses wildcards', () => {
    expect(codeOf('web', 'https://*.contoso.com/cb')).toBe('REDIRECT_URI_WILDCARD');
    expect(codeOf('web', 'https://app.contoso.com/*')).toBe('REDIRECT_URI_WILDCARD');
    expect(checkRedirectUri('spa', 'https://*.contoso.com')?.message).toMatch(/Wildcard URIs are not supported/);
  });

  it('refuses fragments and names the URI without one', () => {
    const v = checkRedirectUri('spa', 'https://app.contoso.com/#/callback');
    expect(v?.code).toBe('REDIRECT_URI_FRAGMENT');
    expect(v?.fix).toContain('https://app.contoso.com/');
  });

  it(`refuses more than ${MAX_REDIRECT_URI_LENGTH} characters and accepts exactly that many`, () => {
    const prefix = 'https://app.contoso.com/';
    const exact = prefix + 'a'.repeat(MAX_REDIRECT_URI_LENGTH - prefix.length);
    expect(exact).toHaveLength(256);
    expect(codeOf('web', exact)).toBeUndefined();
    const v = checkRedirectUri('web', `${exact}b`);
    expect(v?.code).toBe('REDIRECT_URI_TOO_LONG');
    expect(v?.message).toContain('257 characters');
  });

  it('allows custom schemes only on the Mobile and desktop platform', () => {
    expect(codeOf('publicClient', 'myapp://auth')).toBeUndefined();
    expect(codeOf('publicClient', 'msal02c11e00-0000-4000-8000-000000000002://auth')).toBeUndefined();
    for (const platform of ['web', 'spa'] as const) {
      const v = checkRedirectUri(platform, 'myapp://auth');
      expect(v?.code).toBe('REDIRECT_URI_CUSTOM_SCHEME');
      expect(v?.message).toContain('Mobile and desktop applications');
      expect(v?.fix).toContain('publicClient');
    }
  });

  it('refuses schemes that never reach an app, on every platform', () => {
    expect(codeOf('publicClient', 'javascript:alert(1)')).toBe('REDIRECT_URI_FORBIDDEN_SCHEME');
    expect(codeOf('publicClient', 'file:///tmp/cb')).toBe('REDIRECT_URI_FORBIDDEN_SCHEME');
  });

  it('refuses what is not an absolute URI, including a URL without its scheme', () => {
    expect(codeOf('web', '/auth/callback')).toBe('REDIRECT_URI_INVALID');
    expect(codeOf('web', 'localhost:3000/cb')).toBe('REDIRECT_URI_INVALID');
    expect(codeOf('web', 'https://app contoso.com')).toBe('REDIRECT_URI_INVALID');
    expect(codeOf('web', '')).toBe('REDIRECT_URI_EMPTY');
  });

  it('refuses the special characters Entra does not support', () => {
    expect(codeOf('web', "https://app.contoso.com/cb;jsessionid=1")).toBe('REDIRECT_URI_SPECIAL_CHARACTERS');
    expect(codeOf('web', 'https://app.contoso.com/(cb)')).toBe('REDIRECT_URI_SPECIAL_CHARACTERS');
  });

  it('gives every refusal a code, a message and a fix', () => {
    for (const [platform, uri] of [
      ['web', 'http://x.test'],
      ['web', 'https://*.x.test'],
      ['spa', 'https://x.test/#a'],
      ['web', 'myapp://x'],
      ['web', `https://x.test/${'a'.repeat(300)}`],
    ] as const) {
      const v = checkRedirectUri(platform, uri);
      expect(v?.code).toMatch(/^REDIRECT_URI_/);
      expect(v?.message.length).toBeGreaterThan(10);
      expect(v?.fix.length).toBeGreaterThan(10);
    }
  });
});

describe('an app’s redirect URIs together', () => {
  it('refuses a duplicate on the same platform and on another platform', () => {
    const lists: RedirectUriLists = { ...none, web: { redirectUris: ['https://app.contoso.com/cb'] } };
    const same = checkNewRedirectUri(lists, 'web', 'https://app.contoso.com/cb');
    expect(same?.code).toBe('REDIRECT_URI_DUPLICATE');
    expect(same?.message).toContain('already a redirect URI of this app (Web)');
    const other = checkNewRedirectUri(lists, 'spa', 'https://app.contoso.com/cb');
    expect(other?.code).toBe('REDIRECT_URI_DUPLICATE');
    expect(other?.message).toContain('already registered under Web');
    // Redirect URIs are case-sensitive in Entra: a different path case is a different URI.
    expect(checkNewRedirectUri(lists, 'web', 'https://app.contoso.com/CB')).toBeUndefined();
  });

  it(`refuses the ${MAX_REDIRECT_URIS + 1}th URI across all platforms`, () => {
    const many = (n: number, base: string) => Array.from({ length: n }, (_, i) => `${base}/${i}`);
    const full: RedirectUriLists = { web: { redirectUris: many(200, 'https://a.test') }, spa: { redirectUris: many(56, 'https://b.test') }, publicClient: { redirectUris: [] } };
    expect(checkNewRedirectUri(full, 'publicClient', 'http://localhost')?.code).toBe('REDIRECT_URI_LIMIT');
    const oneLess: RedirectUriLists = { ...full, spa: { redirectUris: many(55, 'https://b.test') } };
    expect(checkNewRedirectUri(oneLess, 'publicClient', 'http://localhost')).toBeUndefined();

    const over: RedirectUriLists = { ...full, publicClient: { redirectUris: ['http://localhost'] } };
    const found = checkRedirectUriLists(over);
    expect(found).toEqual([expect.objectContaining({ code: 'REDIRECT_URI_LIMIT', platform: 'publicClient', index: 0 })]);
  });

  it('locates each problem in a whole set by platform and index', () => {
    const found = checkRedirectUriLists({
      web: { redirectUris: ['https://ok.test/cb', 'http://bad.test/cb'] },
      spa: { redirectUris: ['https://ok.test/cb'] },
      publicClient: { redirectUris: ['myapp://auth'] },
    });
    expect(found.map((v) => [v.platform, v.index, v.code])).toEqual([
      ['web', 1, 'REDIRECT_URI_HTTPS_REQUIRED'],
      ['spa', 0, 'REDIRECT_URI_DUPLICATE'],
    ]);
  });
});
