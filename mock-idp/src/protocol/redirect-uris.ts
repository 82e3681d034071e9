import type { AppRegistration } from '../directory/types.ts';

export type Platform = 'web' | 'spa' | 'publicClient';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function withoutPort(uri: URL): string {
  const copy = new URL(uri.href);
  copy.port = '';
  return copy.href;
}

/** A loopback `http:` URI without its port, or undefined for any other URI. */
function loopbackKey(uri: string): string | undefined {
  const parsed = URL.parse(uri);
  if (!parsed || parsed.protocol !== 'http:' || !LOOPBACK_HOSTS.has(parsed.hostname)) return undefined;
  return withoutPort(parsed);
}

/** Platforms in the order a port-insensitive loopback match is looked for (a desktop registration first, as before). */
const LOOPBACK_ORDER: readonly Platform[] = ['publicClient', 'web', 'spa'];

/**
 * Which platform of the app registers this redirect URI, matched as Entra
 * matches: exactly, except that a registered `http://localhost` (or
 * 127.0.0.1 / [::1]) URI matches any port on every platform, Web included
 * (Microsoft's redirect URI restrictions, "localhost exceptions"; RFC 8252
 * §7.3), because a local app listens on whatever port is free. Entra warns
 * against registering URIs that differ only in port: it then picks one, and
 * its platform, arbitrarily — here the first in LOOPBACK_ORDER.
 */
export function matchRedirectUri(app: AppRegistration, candidate: string): Platform | undefined {
  if (app.web.redirectUris.includes(candidate)) return 'web';
  if (app.spa.redirectUris.includes(candidate)) return 'spa';
  if (app.publicClient.redirectUris.includes(candidate)) return 'publicClient';

  const bare = loopbackKey(candidate);
  if (bare === undefined) return undefined;
  return LOOPBACK_ORDER.find((platform) => app[platform].redirectUris.some((registered) => loopbackKey(registered) === bare));
}

/** Public-client platforms: the app cannot keep a secret there. */
export function isPublicPlatform(platform: Platform): boolean {
  return platform !== 'web';
}
