import { connectAdmin } from '../admin-client.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { appRoute, output, type AdminApp, type TargetOptions } from './admin-shapes.ts';

export type Platform = 'web' | 'spa' | 'publicClient';

/** The Authentication blade's names for the platforms, so the output reads like the portal. */
export const PLATFORM_LABELS: Record<Platform, string> = {
  web: 'Web',
  spa: 'Single-page application',
  publicClient: 'Mobile and desktop applications',
};

const ALIASES: Record<string, Platform> = {
  web: 'web',
  spa: 'spa',
  publicclient: 'publicClient',
  'public-client': 'publicClient',
  // The portal's tile is "Mobile and desktop applications"; people say either word.
  mobile: 'publicClient',
  desktop: 'publicClient',
};

function parsePlatform(value: string): Platform {
  const platform = ALIASES[value.toLowerCase()];
  if (!platform) {
    throw new CliError('INVALID_PLATFORM', `No platform called '${value}'.`, 'Use web, spa or publicClient (mobile and desktop mean publicClient).', EXIT.usage);
  }
  return platform;
}

/** `--redirect publicClient:http://localhost`: the platform is everything before the first colon. */
export function parseRedirect(value: string): { platform: Platform; uri: string } {
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1) {
    throw new CliError('INVALID_REDIRECT', `'${value}' is not <platform>:<uri>.`, 'Example: --redirect web:https://localhost:3001/auth/callback or --redirect publicClient:http://localhost', EXIT.usage);
  }
  return { platform: parsePlatform(value.slice(0, colon)), uri: value.slice(colon + 1) };
}

/** Redirect URIs per platform, for `app show` and after a change. */
export function redirectLines(app: Pick<AdminApp, Platform>): string[] {
  return (Object.keys(PLATFORM_LABELS) as Platform[]).map((p) => {
    const uris = app[p].redirectUris;
    return `  ${PLATFORM_LABELS[p]} (${p}): ${uris.length ? uris.join(', ') : '—'}`;
  });
}

export async function runRedirectAdd(appId: string, platformName: string, uri: string, o: TargetOptions): Promise<number> {
  const platform = parsePlatform(platformName);
  const admin = await connectAdmin(o);
  // The IdP applies Entra's redirect URI rules; a refusal comes back as its code, message and fix (exit 64).
  const result = await admin.call<{ platform: Platform; uri: string; redirectUris: string[] }>('POST', appRoute(appId, '/redirect-uris'), { platform, uri });
  output(o.json, result, () => [`Added ${uri} to the ${PLATFORM_LABELS[platform]} redirect URIs of ${appId}.`, `${PLATFORM_LABELS[platform]}: ${result.redirectUris.join(', ')}`]);
  return EXIT.ok;
}

export async function runRedirectRemove(appId: string, platformName: string, uri: string, o: TargetOptions): Promise<number> {
  const platform = parsePlatform(platformName);
  const admin = await connectAdmin(o);
  await admin.call('DELETE', appRoute(appId, '/redirect-uris'), { platform, uri });
  const left = await admin.call<Pick<AdminApp, Platform>>('GET', appRoute(appId, '/redirect-uris'));
  output(o.json, { platform, uri, removed: true, redirectUris: left[platform].redirectUris }, () => [
    `Removed ${uri} from the ${PLATFORM_LABELS[platform]} redirect URIs of ${appId}.`,
    ...redirectLines(left),
  ]);
  return EXIT.ok;
}
