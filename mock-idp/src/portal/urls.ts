/** Every portal address is built here, so links, form actions and CSRF form IDs agree. */

export const PORTAL_ROOT = '/portal';

/** The blades of an app registration, in the order of Entra's "Manage" menu. */
export const APP_BLADES = ['overview', 'authentication', 'credentials', 'api-permissions', 'expose-api', 'app-roles', 'manifest'] as const;
export type AppBlade = (typeof APP_BLADES)[number];

export const APP_BLADE_LABELS: Readonly<Record<AppBlade, string>> = {
  overview: 'Overview',
  authentication: 'Authentication',
  credentials: 'Certificates & secrets',
  'api-permissions': 'API permissions',
  'expose-api': 'Expose an API',
  'app-roles': 'App roles',
  manifest: 'Manifest',
};

export const ENTERPRISE_BLADES = ['overview', 'users-and-groups'] as const;
export type EnterpriseBlade = (typeof ENTERPRISE_BLADES)[number];

export const ENTERPRISE_BLADE_LABELS: Readonly<Record<EnterpriseBlade, string>> = {
  overview: 'Overview',
  'users-and-groups': 'Users and groups',
};

const seg = encodeURIComponent;

export const urls = {
  home: PORTAL_ROOT,
  signIn: `${PORTAL_ROOT}/sign-in`,
  signOut: `${PORTAL_ROOT}/sign-out`,
  apps: `${PORTAL_ROOT}/apps`,
  newApp: `${PORTAL_ROOT}/apps/new`,
  users: `${PORTAL_ROOT}/users`,
  enterpriseApps: `${PORTAL_ROOT}/enterprise-apps`,
  /** A blade of an app registration, or an action under it (`rest` is appended as given: fixed words and GUIDs). */
  app: (appId: string, blade: AppBlade = 'overview', ...rest: string[]) => [`${PORTAL_ROOT}/apps/${seg(appId)}/${blade}`, ...rest.map(seg)].join('/'),
  enterpriseApp: (appId: string, blade: EnterpriseBlade = 'overview', ...rest: string[]) =>
    [`${PORTAL_ROOT}/enterprise-apps/${seg(appId)}/${blade}`, ...rest.map(seg)].join('/'),
  user: (id: string) => `${PORTAL_ROOT}/users/${seg(id)}`,
};

/** A redirect target after sign-in: only a portal path of this origin (never `//evil.example` or a full URL). */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string') return urls.apps;
  return /^\/portal(\/[\w\-./%~]*)?(\?[\w\-.%~=&]*)?$/.test(value) && !value.includes('//') && !value.includes('..') ? value : urls.apps;
}
