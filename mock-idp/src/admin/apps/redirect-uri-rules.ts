/**
 * Entra's rules for the redirect URIs of an app registration, as the
 * Authentication blade and Microsoft Graph enforce them (see Microsoft
 * Learn, "Redirect URI (reply URL) restrictions and limitations"). Pure:
 * no I/O, so every rule is unit-tested on its own.
 *
 * Messages use Entra's wording where it has one (the portal's
 * `Must start with "HTTPS" or "http://localhost"`, the documented limits);
 * each refusal also says what to do instead.
 */

export type Platform = 'web' | 'spa' | 'publicClient';

export const PLATFORMS: readonly Platform[] = ['web', 'spa', 'publicClient'];

/** The platform names the portal shows. */
export const PLATFORM_LABELS: Readonly<Record<Platform, string>> = {
  web: 'Web',
  spa: 'Single-page application',
  publicClient: 'Mobile and desktop applications',
};

/** Entra: "a maximum of 256 characters for each redirect URI". */
export const MAX_REDIRECT_URI_LENGTH = 256;
/** Entra: 256 redirect URIs per app for work and school accounts (AzureADMyOrg, AzureADMultipleOrgs), all platforms together. */
export const MAX_REDIRECT_URIS = 256;

export type RedirectUriRuleCode =
  | 'REDIRECT_URI_EMPTY'
  | 'REDIRECT_URI_TOO_LONG'
  | 'REDIRECT_URI_WILDCARD'
  | 'REDIRECT_URI_INVALID'
  | 'REDIRECT_URI_FRAGMENT'
  | 'REDIRECT_URI_CUSTOM_SCHEME'
  | 'REDIRECT_URI_FORBIDDEN_SCHEME'
  | 'REDIRECT_URI_HTTPS_REQUIRED'
  | 'REDIRECT_URI_IPV6_LOOPBACK'
  | 'REDIRECT_URI_SPECIAL_CHARACTERS'
  | 'REDIRECT_URI_DUPLICATE'
  | 'REDIRECT_URI_LIMIT';

export interface RedirectUriViolation {
  code: RedirectUriRuleCode;
  message: string;
  fix: string;
}

/** A violation found in a whole set, with where it is. */
export interface LocatedViolation extends RedirectUriViolation {
  platform: Platform;
  /** Index in that platform's list. */
  index: number;
}

export type RedirectUriLists = Readonly<Record<Platform, { readonly redirectUris: readonly string[] }>>;

/** Hosts for which Entra allows `http:` (the loopback exception). */
const HTTP_LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1']);
/** Schemes no app may receive a code on, on any platform: they run or read content, they do not reach an app. */
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'about:', 'blob:']);
/** Entra: "Redirect URIs do not support special characters: ! $ ' ( ) , ;". */
const SPECIAL_CHARACTERS = /[!$'(),;]/;

const ABSOLUTE_EXAMPLE = 'https://app.contoso.com/auth/callback or http://localhost:3001/auth/callback';

/** The first rule this one URI breaks on this platform, or undefined when Entra would accept it. */
export function checkRedirectUri(platform: Platform, uri: string): RedirectUriViolation | undefined {
  const label = PLATFORM_LABELS[platform];
  if (uri.trim() === '') {
    return { code: 'REDIRECT_URI_EMPTY', message: 'The redirect URI is empty.', fix: `Enter the full URI the app listens on, e.g. ${ABSOLUTE_EXAMPLE}.` };
  }
  if (uri.length > MAX_REDIRECT_URI_LENGTH) {
    return {
      code: 'REDIRECT_URI_TOO_LONG',
      message: `The redirect URI is ${uri.length} characters long; Entra allows a maximum of ${MAX_REDIRECT_URI_LENGTH} characters for each redirect URI.`,
      fix: 'Use a shorter path, and carry per-request data in the state parameter instead of the redirect URI.',
    };
  }
  if (uri.includes('*')) {
    return {
      code: 'REDIRECT_URI_WILDCARD',
      message: `Wildcard URIs are not supported: ${uri}. Entra does not accept wildcards (*) in the redirect URIs of apps that sign in work or school accounts.`,
      fix: 'Register each exact URI the app uses, or register one URI and carry what varies in the state parameter.',
    };
  }
  if (/\s/.test(uri)) {
    return { code: 'REDIRECT_URI_INVALID', message: `The redirect URI ${JSON.stringify(uri)} contains white space.`, fix: 'Remove the spaces (percent-encode them as %20 if the path really has one).' };
  }
  const parsed = URL.parse(uri);
  // `localhost:3000/cb` parses as scheme "localhost:"; it is a URL without its scheme.
  if (!parsed || !/^[a-z][a-z0-9+.-]*:/i.test(uri) || /^[a-z][a-z0-9+.-]*:\d/i.test(uri)) {
    return { code: 'REDIRECT_URI_INVALID', message: `${uri} is not a valid absolute URI.`, fix: `Write the full URI with its scheme, e.g. ${ABSOLUTE_EXAMPLE}.` };
  }
  if (uri.includes('#')) {
    return {
      code: 'REDIRECT_URI_FRAGMENT',
      message: `Redirect URIs cannot contain a fragment: ${uri}.`,
      fix: `Remove the '#…' part (${uri.slice(0, uri.indexOf('#'))}); the identity provider adds its response to the URI, and a fragment would swallow it.`,
    };
  }
  const scheme = parsed.protocol;
  if (FORBIDDEN_SCHEMES.has(scheme)) {
    return {
      code: 'REDIRECT_URI_FORBIDDEN_SCHEME',
      message: `The ${scheme.slice(0, -1)}: scheme cannot be a redirect URI on any platform: ${uri}.`,
      fix: `Use an https:// URL, http://localhost for local development, or (on ${PLATFORM_LABELS.publicClient}) the app's own custom scheme such as myapp://auth.`,
    };
  }
  const web = scheme === 'https:' || scheme === 'http:';
  if (!web) {
    if (platform !== 'publicClient') {
      return {
        code: 'REDIRECT_URI_CUSTOM_SCHEME',
        message: `Must start with "HTTPS" or "http://localhost": ${uri}. ${label} redirect URIs must be absolute http(s) URLs; custom schemes such as ${scheme}// are allowed only on the ${PLATFORM_LABELS.publicClient} platform.`,
        fix: `Register it under the publicClient (${PLATFORM_LABELS.publicClient}) platform if a native app opens it, or use an https:// URL.`,
      };
    }
  } else if (scheme === 'http:') {
    if (parsed.hostname === '[::1]') {
      return {
        code: 'REDIRECT_URI_IPV6_LOOPBACK',
        message: `The IPv6 loopback address ([::1]) is not currently supported in redirect URIs: ${uri}.`,
        fix: `Use ${uri.replace('[::1]', 'localhost')} or ${uri.replace('[::1]', '127.0.0.1')} instead.`,
      };
    }
    if (!HTTP_LOOPBACK_HOSTS.has(parsed.hostname)) {
      return {
        code: 'REDIRECT_URI_HTTPS_REQUIRED',
        message: `Must start with "HTTPS" or "http://localhost": ${uri}. Redirect URIs must begin with the scheme https; http is allowed only for the loopback addresses localhost and 127.0.0.1.`,
        fix: `Use https://${parsed.host}${parsed.pathname}${parsed.search}, or http://localhost (or http://127.0.0.1) while developing on this machine.`,
      };
    }
  }
  if (SPECIAL_CHARACTERS.test(uri)) {
    return {
      code: 'REDIRECT_URI_SPECIAL_CHARACTERS',
      message: `Redirect URIs do not support the special characters ! $ ' ( ) , ; — found in ${uri}.`,
      fix: "Remove those characters, or percent-encode them (for example ( as %28) if the app's route really has them.",
    };
  }
  return undefined;
}

function duplicate(uri: string, platform: Platform, existing: Platform): RedirectUriViolation {
  return existing === platform
    ? {
        code: 'REDIRECT_URI_DUPLICATE',
        message: `${uri} is already a redirect URI of this app (${PLATFORM_LABELS[platform]}). Redirect URIs must be unique.`,
        fix: 'Leave it out: it is registered already.',
      }
    : {
        code: 'REDIRECT_URI_DUPLICATE',
        message: `${uri} is already registered under ${PLATFORM_LABELS[existing]}; a redirect URI can belong to one platform only.`,
        fix: `Remove it from ${existing} first (DELETE /_lab/admin/apps/{appId}/redirect-uris) if the app really is a ${PLATFORM_LABELS[platform]} app, or keep the existing entry.`,
      };
}

function tooMany(count: number): RedirectUriViolation {
  return {
    code: 'REDIRECT_URI_LIMIT',
    message: `An app registration can have at most ${MAX_REDIRECT_URIS} redirect URIs across all platforms; this would make ${count}.`,
    fix: 'Remove redirect URIs the app no longer uses, or use one URI and carry what varies in the state parameter.',
  };
}

/** Which platform registers this exact URI (Entra compares redirect URIs case-sensitively). */
function registeredOn(lists: RedirectUriLists, uri: string): Platform | undefined {
  return PLATFORMS.find((p) => lists[p].redirectUris.includes(uri));
}

/** The rules for adding one URI to an app's existing redirect URIs. */
export function checkNewRedirectUri(lists: RedirectUriLists, platform: Platform, uri: string): RedirectUriViolation | undefined {
  const own = checkRedirectUri(platform, uri);
  if (own) return own;
  const existing = registeredOn(lists, uri);
  if (existing) return duplicate(uri, platform, existing);
  const count = PLATFORMS.reduce((n, p) => n + lists[p].redirectUris.length, 0) + 1;
  return count > MAX_REDIRECT_URIS ? tooMany(count) : undefined;
}

/** Every rule over a whole set of redirect URIs (a new app, a PATCH, an imported manifest): each URI, duplicates, the total. */
export function checkRedirectUriLists(lists: RedirectUriLists): LocatedViolation[] {
  const violations: LocatedViolation[] = [];
  const seen = new Map<string, Platform>();
  const total = PLATFORMS.reduce((n, p) => n + lists[p].redirectUris.length, 0);
  let count = 0;
  for (const platform of PLATFORMS) {
    lists[platform].redirectUris.forEach((uri, index) => {
      count++;
      // The limit is reported once, at the first URI past it.
      if (count === MAX_REDIRECT_URIS + 1) violations.push({ ...tooMany(total), platform, index });
      const own = checkRedirectUri(platform, uri);
      if (own) {
        violations.push({ ...own, platform, index });
        return;
      }
      const existing = seen.get(uri);
      if (existing) violations.push({ ...duplicate(uri, platform, existing), platform, index });
      else seen.set(uri, platform);
    });
  }
  return violations;
}
