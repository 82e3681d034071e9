import { SEED, type LabInfo } from '@mcp-lab/mock-idp';
import type { LabEnv, LabManifest } from '../model.ts';

/**
 * The environment a lab server gets in a check run (docs/design.md §5). Where the IdP
 * is always comes from the run (a learner's `.env` may point at a real
 * tenant); the app registration is the learner's own when the IdP knows its
 * client ID (a lab 01 registration imported from its manifest), else the
 * lab's seeded app.
 */
export function labEnv(
  lab: LabManifest,
  info: LabInfo,
  options: { dotenv?: NodeJS.Dict<string>; port?: number; publicUrl?: string; cacheDir?: string; app?: { clientId: string; secret?: string } },
): LabEnv {
  const home = info.tenants.find((t) => t.home) ?? info.tenants[0];
  const seeded = lab.seededApp ? SEED.apps[lab.seededApp].appId : undefined;
  const own = options.dotenv?.CLIENT_ID ? info.apps.find((a) => a.clientId.toLowerCase() === options.dotenv?.CLIENT_ID?.toLowerCase()) : undefined;
  const given = options.app ? info.apps.find((a) => a.clientId === options.app?.clientId) : undefined;
  if (options.app && !given) throw new Error(`the app ${options.app.clientId} made for this run is not in the IdP`);
  const app = own ?? given ?? info.apps.find((a) => a.clientId === seeded);
  const env: LabEnv = {
    AUTHORITY_HOST: info.baseUrl,
    GRAPH_BASE_URL: info.graphBaseUrl,
    ...(app ? { TENANT_ID: app.tenantId, CLIENT_ID: app.clientId } : home ? { TENANT_ID: home.id } : {}),
  };
  const secret = own ? options.dotenv?.CLIENT_SECRET : given ? options.app?.secret : app?.devSecret;
  if (secret && lab.env.includes('CLIENT_SECRET')) env.CLIENT_SECRET = secret;
  if (options.port !== undefined) env.PORT = String(options.port);
  if (options.port !== undefined || options.publicUrl) {
    // Behind the recording proxy the origin clients use is the proxy's; PORT is then set per server.
    env.PUBLIC_URL = options.publicUrl ?? `http://localhost:${String(options.port)}`;
    env.REDIRECT_URI = `${env.PUBLIC_URL}/auth/callback`;
  }
  if (lab.env.includes('LAB_AUTH_MODE')) env.LAB_AUTH_MODE = 'device';
  if (options.cacheDir) env.LAB_CACHE_DIR = options.cacheDir;
  if (options.dotenv?.REDIRECT_URI && lab.env.includes('REDIRECT_URI') && !env.REDIRECT_URI) env.REDIRECT_URI = options.dotenv.REDIRECT_URI;
  // Only the variables this lab declares reach its server.
  return Object.fromEntries(Object.entries(env).filter(([k]) => (lab.env as string[]).includes(k)));
}
