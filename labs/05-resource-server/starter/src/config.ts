import fs from 'node:fs';
import path from 'node:path';

/**
 * The lab configuration contract (docs/design.md §5): this server reads only
 * these variables, from the environment or from `.env` beside `src/`. The
 * same code runs against the lab's IdP and against a real Entra tenant.
 */
export interface Config {
  authorityHost: string;
  tenantId: string;
  /** The server's own app registration: the audience of the tokens it accepts, and its client ID for on-behalf-of. */
  clientId: string;
  clientSecret: string;
  /** The App ID URI (`api://…`): the prefix of the scopes clients ask for, and a v1.0 token's audience. */
  appIdUri: string;
  /** Which access tokens Entra issues for this API: the API manifest's `requestedAccessTokenVersion` (null means 1). */
  tokenVersion: 1 | 2;
  /** The delegated scope the tools need (its short name, as it appears in `scp`). */
  scope: string;
  graphBaseUrl: string;
  /** Graph's identifier: the scopes asked for on-behalf-of are `{graphResource}/User.Read`. */
  graphResource: string;
  port: number;
  publicUrl: URL;
}

const projectDir = path.resolve(import.meta.dirname, '..');
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function url(name: string, value: string): URL {
  if (!URL.canParse(value)) throw new Error(`${name} must be an absolute URL (for example http://localhost:3001), not "${value}".`);
  const parsed = new URL(value);
  // Bearer tokens cross this origin: plain http only where the traffic never leaves the machine.
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname))) {
    throw new Error(`${name} must use https (plain http is only for localhost), not "${value}".`);
  }
  return parsed;
}

export function loadConfig(): Config {
  const dotenv = path.join(projectDir, '.env');
  // The environment wins: process.loadEnvFile never overrides a variable that is already set.
  if (fs.existsSync(dotenv)) process.loadEnvFile(dotenv);

  const required = ['AUTHORITY_HOST', 'TENANT_ID', 'CLIENT_ID', 'CLIENT_SECRET'];
  const missing = required.filter((name) => !process.env[name]);
  if (missing.length) throw new Error(`Set ${missing.join(', ')} (in the environment or in .env); see the lab's README.`);

  const version = process.env.TOKEN_VERSION ?? '2';
  if (version !== '1' && version !== '2') throw new Error(`TOKEN_VERSION must be 1 or 2 (the API manifest's requestedAccessTokenVersion; null means 1), not "${version}".`);
  const port = Number(process.env.PORT ?? '3001');
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`PORT must be a port number, not "${process.env.PORT}".`);
  const publicUrl = url('PUBLIC_URL', process.env.PUBLIC_URL ?? `http://localhost:${port}`);
  if (publicUrl.pathname !== '/' || publicUrl.search) throw new Error(`PUBLIC_URL is an origin only (like http://localhost:${port}), without a path.`);
  const clientId = process.env.CLIENT_ID!;

  return {
    authorityHost: url('AUTHORITY_HOST', process.env.AUTHORITY_HOST!).origin,
    tenantId: process.env.TENANT_ID!,
    clientId,
    clientSecret: process.env.CLIENT_SECRET!,
    // Entra's default App ID URI (Expose an API → Set); a server with another URI changes it here.
    appIdUri: `api://${clientId}`,
    tokenVersion: version === '1' ? 1 : 2,
    scope: 'user_impersonation',
    graphBaseUrl: (process.env.GRAPH_BASE_URL ?? 'https://graph.microsoft.com/v1.0').replace(/\/+$/, ''),
    graphResource: 'https://graph.microsoft.com',
    port,
    publicUrl,
  };
}
