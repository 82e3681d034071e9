import type { AppRegistration } from '../directory/types.ts';

export type Platform = 'web' | 'spa' | 'publicClient';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function withoutPort(uri: URL): string {
  const copy = new URL(uri.href);
  copy.port = '';
  return copy.href;
}

/**
 * Which platform of the app registers this redirect URI, matched as Entra
 * matches: exactly for Web and SPA; for Mobile and desktop, a registered
 * `http://localhost` (or 127.0.0.1 / [::1]) URI matches any port (RFC 8252 §7.3),
 * because a desktop app listens on whatever port is free.
 */
export function matchRedirectUri(app: AppRegistration, candidate: string): Platform | undefined {
  if (app.web.redirectUris.includes(candidate)) return 'web';
  if (app.spa.redirectUris.includes(candidate)) return 'spa';
  if (app.publicClient.redirectUris.includes(candidate)) return 'publicClient';

  const parsed = URL.parse(candidate);
  if (!parsed || parsed.protocol !== 'http:' || !LOOPBACK_HOSTS.has(parsed.hostname)) return undefined;
  const bare = withoutPort(parsed);
  const match = app.publicClient.redirectUris.some((registered) => {
    const r = URL.parse(registered);
    return r !== null && r.protocol === 'http:' && LOOPBACK_HOSTS.has(r.hostname) && withoutPort(r) === bare;
  });
  return match ? 'publicClient' : undefined;
}

/** Public-client platforms: the app cannot keep a secret there. */
export function isPublicPlatform(platform: Platform): boolean {
  return platform !== 'web';
}
