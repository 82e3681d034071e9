import fs from 'node:fs';
import path from 'node:path';

/**
 * The lab configuration contract (docs/design.md §5) plus what production
 * needs: this server reads only these variables, from the environment or
 * from `.env` beside `src/` when present. Nothing here knows whether the
 * authority is the lab's IdP or Entra ID.
 */

/** How this server proves who it is to Entra: one of three, chosen by which variables are set. */
export type Credential =
  | { kind: 'managed-identity'; endpoint: string; header: string }
  | { kind: 'certificate'; file: string }
  | { kind: 'secret'; secret: string };

export interface Config {
  authorityHost: string;
  tenantId: string;
  clientId: string;
  credential: Credential;
  /** Where Entra sends the browser back: this server's /auth/callback. */
  redirectUri: URL;
  graphBaseUrl: string;
  port: number;
  /** The https origin MCP clients and browsers use to reach this server. */
  publicUrl: URL;
  cacheDir: string;
  tls: { certFile: string; keyFile: string };
  /** The delegated scope of the API whose app roles govern the tools; its access token carries the user's `roles`. */
  rolesScope: string;
  audit: { file: string; maxBytes: number };
  /** AES-256-GCM key for the session store, 32 bytes. */
  storeKey: Buffer;
}

/** A start-up problem: what is wrong, and what to do about it. The server prints it and exits; nothing is written. */
export class ConfigError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.code = code;
  }
}

const projectDir = path.resolve(import.meta.dirname, '..');

function httpsUrl(name: string, value: string): URL {
  if (!URL.canParse(value)) throw new ConfigError('CONFIG_INVALID', `${name} must be an absolute URL (for example https://localhost:3001), not "${value}".`);
  const parsed = new URL(value);
  // Tokens, codes and cookies cross this origin: plain http is never acceptable, not even on localhost (other local programs listen too).
  if (parsed.protocol !== 'https:') throw new ConfigError('CONFIG_INVALID', `${name} must use https, not "${value}": this server serves TLS only.`);
  return parsed;
}

function readableFile(name: string, value: string | undefined): string {
  if (!value) throw new ConfigError('CONFIG_MISSING', `Set ${name} (a PEM file). For the lab: the dev certificate in .lab/certs (see the README, step 1).`);
  const file = path.resolve(value);
  if (!fs.existsSync(file)) throw new ConfigError('CONFIG_INVALID', `${name} names ${file}, which does not exist.`);
  return file;
}


function storeKey(value: string | undefined): Buffer {
  if (!value) {
    throw new ConfigError('STORE_KEY_MISSING', 'Set TOKEN_STORE_KEY: 32 random bytes in base64 (node -e "console.log(crypto.randomBytes(32).toString(\'base64\'))"). In production it comes from Key Vault or the OS keychain, never from a file beside the store.');
  }
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new ConfigError('STORE_KEY_INVALID', `TOKEN_STORE_KEY must be 32 bytes in base64 (44 characters); it decodes to ${key.length} bytes.`);
  return key;
}

function credential(env: NodeJS.ProcessEnv): Credential {
  // No secret at all: the platform's managed identity vouches for this server (a federated credential on the app trusts it).
  if (env.IDENTITY_ENDPOINT && env.IDENTITY_HEADER) return { kind: 'managed-identity', endpoint: env.IDENTITY_ENDPOINT, header: env.IDENTITY_HEADER };
  // A certificate whose private key never leaves this machine: only its public half is on the app registration.
  if (env.CLIENT_CERTIFICATE_FILE) return { kind: 'certificate', file: readableFile('CLIENT_CERTIFICATE_FILE', env.CLIENT_CERTIFICATE_FILE) };
  if (env.CLIENT_SECRET) return { kind: 'secret', secret: env.CLIENT_SECRET };
  throw new ConfigError('CREDENTIAL_MISSING', 'Set one way for this server to prove who it is to Entra: IDENTITY_ENDPOINT and IDENTITY_HEADER (a managed identity with a federated credential), CLIENT_CERTIFICATE_FILE (a certificate), or CLIENT_SECRET (development only).');
}

export function loadConfig(): Config {
  const dotenv = path.join(projectDir, '.env');
  // The environment wins: process.loadEnvFile never overrides a variable that is already set.
  if (fs.existsSync(dotenv)) process.loadEnvFile(dotenv);
  const env = process.env;

  const required = ['AUTHORITY_HOST', 'TENANT_ID', 'CLIENT_ID', 'REDIRECT_URI', 'GRAPH_BASE_URL', 'ROLES_SCOPE'];
  const missing = required.filter((name) => !env[name]);
  if (missing.length) throw new ConfigError('CONFIG_MISSING', `Set ${missing.join(', ')} (in the environment or in .env); see the lab's README.`);

  const port = Number(env.PORT ?? '3001');
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new ConfigError('CONFIG_INVALID', `PORT must be a port number, not "${env.PORT}".`);
  const publicUrl = httpsUrl('PUBLIC_URL', env.PUBLIC_URL ?? `https://localhost:${port}`);
  if (publicUrl.pathname !== '/' || publicUrl.search) throw new ConfigError('CONFIG_INVALID', `PUBLIC_URL is an origin only (like https://localhost:${port}), without a path.`);
  // Relative paths are relative to the folder the server was started in.
  const cacheDir = path.resolve(env.LAB_CACHE_DIR ?? '.lab-cache');
  const maxBytes = Number(env.AUDIT_LOG_MAX_BYTES ?? String(10 * 1024 * 1024));
  if (!Number.isInteger(maxBytes) || maxBytes < 4096) throw new ConfigError('CONFIG_INVALID', `AUDIT_LOG_MAX_BYTES must be a whole number of bytes, at least 4096, not "${env.AUDIT_LOG_MAX_BYTES}".`);

  return {
    authorityHost: env.AUTHORITY_HOST!.replace(/\/+$/, ''),
    tenantId: env.TENANT_ID!,
    clientId: env.CLIENT_ID!,
    credential: credential(env),
    redirectUri: httpsUrl('REDIRECT_URI', env.REDIRECT_URI!),
    graphBaseUrl: env.GRAPH_BASE_URL!.replace(/\/+$/, ''),
    port,
    publicUrl,
    cacheDir,
    tls: { certFile: readableFile('TLS_CERT_FILE', env.TLS_CERT_FILE), keyFile: readableFile('TLS_KEY_FILE', env.TLS_KEY_FILE) },
    rolesScope: env.ROLES_SCOPE!,
    audit: { file: path.resolve(env.AUDIT_LOG ?? path.join(cacheDir, 'audit.log')), maxBytes },
    storeKey: storeKey(env.TOKEN_STORE_KEY),
  };
}
