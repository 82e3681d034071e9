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
  graphBaseUrl: string;
  authMode: 'browser' | 'device';
  cacheDir: string;
}

const projectDir = path.resolve(import.meta.dirname, '..');

export function loadConfig(): Config {
  const dotenv = path.join(projectDir, '.env');
  // The environment wins: process.loadEnvFile never overrides a variable that is already set.
  if (fs.existsSync(dotenv)) process.loadEnvFile(dotenv);

  const missing = ['AUTHORITY_HOST', 'TENANT_ID', 'CLIENT_ID', 'GRAPH_BASE_URL'].filter((name) => !process.env[name]);
  if (missing.length) throw new Error(`Set ${missing.join(', ')} (in the environment or in .env); see the lab's README.`);

  const mode = (process.env.LAB_AUTH_MODE ?? 'browser').toLowerCase();
  if (mode !== 'browser' && mode !== 'device') throw new Error(`LAB_AUTH_MODE must be "browser" or "device", not "${mode}".`);

  return {
    authorityHost: process.env.AUTHORITY_HOST!.replace(/\/+$/, ''),
    tenantId: process.env.TENANT_ID!,
    clientId: process.env.CLIENT_ID!,
    graphBaseUrl: process.env.GRAPH_BASE_URL!.replace(/\/+$/, ''),
    authMode: mode,
    // Relative paths are relative to the folder the server was started in.
    cacheDir: path.resolve(process.env.LAB_CACHE_DIR ?? '.lab-cache'),
  };
}
