import fs from 'node:fs';
import path from 'node:path';

/**
 * The lab configuration contract (docs/design.md §5): this server reads only these
 * variables, from the environment or from `.env` beside `src/` when present.
 * Nothing here knows whether the authority is the lab's IdP or Entra ID.
 */
export interface Config {
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Where Entra sends the browser back: this server's /auth/callback. */
  redirectUri: URL;
  graphBaseUrl: string;
  port: number;
  /** The origin MCP clients and browsers use to reach this server (behind a proxy it differs from PORT). */
  publicUrl: URL;
  cacheDir: string;
}

const projectDir = path.resolve(import.meta.dirname, '..');
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function url(name: string, value: string): URL {
  if (!URL.canParse(value)) throw new Error(`${name} must be an absolute URL (for example http://localhost:3001), not "${value}".`);
  const parsed = new URL(value);
  // Tokens and session cookies cross this origin: plain http only where the traffic never leaves the machine.
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname))) {
    throw new Error(`${name} must use https (plain http is only for localhost), not "${value}".`);
  }
  return parsed;
}

export function loadConfig(): Config {
  const dotenv = path.join(projectDir, '.env');
  // The environment wins: process.loadEnvFile never overrides a variable that is already set.
  if (fs.existsSync(dotenv)) process.loadEnvFile(dotenv);

  const required = ['AUTHORITY_HOST', 'TENANT_ID', 'CLIENT_ID', 'CLIENT_SECRET', 'REDIRECT_URI', 'GRAPH_BASE_URL'];
  const missing = required.filter((name) => !process.env[name]);
  if (missing.length) throw new Error(`Set ${missing.join(', ')} (in the environment or in .env); see the lab's README.`);

  const port = Number(process.env.PORT ?? '3001');
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`PORT must be a port number, not "${process.env.PORT}".`);
  const publicUrl = url('PUBLIC_URL', process.env.PUBLIC_URL ?? `http://localhost:${port}`);
  if (publicUrl.pathname !== '/' || publicUrl.search) throw new Error(`PUBLIC_URL is an origin only (like http://localhost:${port}), without a path.`);

  return {
    authorityHost: process.env.AUTHORITY_HOST!.replace(/\/+$/, ''),
    tenantId: process.env.TENANT_ID!,
    clientId: process.env.CLIENT_ID!,
    clientSecret: process.env.CLIENT_SECRET!,
    redirectUri: url('REDIRECT_URI', process.env.REDIRECT_URI!),
    graphBaseUrl: process.env.GRAPH_BASE_URL!.replace(/\/+$/, ''),
    port,
    publicUrl,
    // Relative paths are relative to the folder the server was started in.
    cacheDir: path.resolve(process.env.LAB_CACHE_DIR ?? '.lab-cache'),
  };
}
