import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The lab configuration contract (docs/design.md §5): this server reads only
 * these variables, from the environment or from `.env` beside `src/`. The
 * same code runs against the lab's IdP and against a real Entra tenant.
 */
/**
 * How this server proves who it is when it trades a user's token on-behalf-of:
 * one of three, chosen by which variables are set. Entra accepts the same
 * three from a confidential client: a federated credential (a managed
 * identity's token as the client assertion), a certificate (an assertion
 * signed with a key that never leaves this machine), or a secret.
 */
export type Credential =
  | { kind: 'managed-identity'; endpoint: string; header: string }
  | { kind: 'certificate'; file: string; privateKey: string; certificate: string; thumbprintSha256: string }
  | { kind: 'secret'; secret: string };

/** A start-up problem: what is wrong and what to do about it. The server prints it with its code and exits. */
export class ConfigError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.code = code;
  }
}

export interface Config {
  authorityHost: string;
  tenantId: string;
  /** The server's own app registration: the audience of the tokens it accepts, and its client ID for on-behalf-of. */
  clientId: string;
  credential: Credential;
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
  if (!URL.canParse(value)) throw new ConfigError('CONFIG_INVALID', `${name} must be an absolute URL (for example http://localhost:3001), not "${value}".`);
  const parsed = new URL(value);
  // Bearer tokens cross this origin: plain http only where the traffic never leaves the machine.
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname))) {
    throw new ConfigError('CONFIG_INVALID', `${name} must use https (plain http is only for localhost), not "${value}".`);
  }
  return parsed;
}

/** The PEM file Entra's certificate credential needs on this side: the private key and the certificate whose public half is on the app registration. */
function certificate(value: string): Credential {
  const file = path.resolve(value);
  if (!fs.existsSync(file)) throw new ConfigError('CERTIFICATE_NOT_FOUND', `CLIENT_CERTIFICATE_FILE names ${file}, which does not exist. Point it at the PEM file that holds the private key and the certificate (the lab: npm run lab -- app cert add <appId> --create).`);
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError('CERTIFICATE_UNREADABLE', `CLIENT_CERTIFICATE_FILE names ${file}, which this server may not read (${(error as Error).message.split('\n')[0]}). Give the server's user read access to it, and only that user.`);
  }
  const certPem = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/.exec(pem)?.[0];
  const keyPem = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[^-]+-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
  if (!certPem || !keyPem) {
    throw new ConfigError('CERTIFICATE_INVALID', `${file} must hold both the private key and the certificate, in PEM (it lacks ${certPem ? 'the private key' : 'the certificate'}). Concatenate the two files into one.`);
  }
  try {
    createPrivateKey(keyPem);
    // Entra looks the certificate up by the x5t#S256 header MSAL sends: the SHA-256 thumbprint of this certificate.
    const thumbprintSha256 = new X509Certificate(certPem).fingerprint256.replaceAll(':', '').toLowerCase();
    return { kind: 'certificate', file, privateKey: keyPem, certificate: certPem, thumbprintSha256 };
  } catch (error) {
    throw new ConfigError('CERTIFICATE_INVALID', `${file} holds a key or certificate that cannot be read (${(error as Error).message}). Export both again, unencrypted PEM.`);
  }
}

/**
 * One path for all three: the first complete credential wins, in the order
 * from safest to weakest, so a secret left in .env never overrules a
 * managed identity. A half-set managed identity is an error, not a quiet
 * fall-back to the secret: the operator meant to stop using it.
 */
function credential(env: NodeJS.ProcessEnv): Credential {
  const { IDENTITY_ENDPOINT: endpoint, IDENTITY_HEADER: header } = env;
  if (Boolean(endpoint) !== Boolean(header)) {
    throw new ConfigError('CREDENTIAL_INCOMPLETE', `Set both IDENTITY_ENDPOINT and IDENTITY_HEADER (the managed identity's endpoint and its header; Azure App Service sets both), or neither: only ${endpoint ? 'IDENTITY_ENDPOINT' : 'IDENTITY_HEADER'} is set.`);
  }
  // No secret at all: the platform vouches for this server, and a federated credential on the app registration trusts the platform.
  if (endpoint && header) return { kind: 'managed-identity', endpoint, header };
  if (env.CLIENT_CERTIFICATE_FILE) return certificate(env.CLIENT_CERTIFICATE_FILE);
  if (env.CLIENT_SECRET) return { kind: 'secret', secret: env.CLIENT_SECRET };
  throw new ConfigError(
    'CREDENTIAL_MISSING',
    "Set one way for this server to prove who it is when it calls Entra on-behalf-of: IDENTITY_ENDPOINT and IDENTITY_HEADER (a managed identity, trusted by a federated credential on the app), CLIENT_CERTIFICATE_FILE (a certificate), or CLIENT_SECRET (development only). See the lab's README, step 5.",
  );
}

export function loadConfig(): Config {
  const dotenv = path.join(projectDir, '.env');
  // The environment wins: process.loadEnvFile never overrides a variable that is already set.
  if (fs.existsSync(dotenv)) process.loadEnvFile(dotenv);

  const required = ['AUTHORITY_HOST', 'TENANT_ID', 'CLIENT_ID'];
  const missing = required.filter((name) => !process.env[name]);
  if (missing.length) throw new ConfigError('CONFIG_MISSING', `Set ${missing.join(', ')} (in the environment or in .env); see the lab's README.`);

  const version = process.env.TOKEN_VERSION ?? '2';
  if (version !== '1' && version !== '2') throw new ConfigError('CONFIG_INVALID', `TOKEN_VERSION must be 1 or 2 (the API manifest's requestedAccessTokenVersion; null means 1), not "${version}".`);
  const port = Number(process.env.PORT ?? '3001');
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new ConfigError('CONFIG_INVALID', `PORT must be a port number, not "${process.env.PORT}".`);
  const publicUrl = url('PUBLIC_URL', process.env.PUBLIC_URL ?? `http://localhost:${port}`);
  if (publicUrl.pathname !== '/' || publicUrl.search) throw new ConfigError('CONFIG_INVALID', `PUBLIC_URL is an origin only (like http://localhost:${port}), without a path.`);
  const clientId = process.env.CLIENT_ID!;

  return {
    authorityHost: url('AUTHORITY_HOST', process.env.AUTHORITY_HOST!).origin,
    tenantId: process.env.TENANT_ID!,
    clientId,
    credential: credential(process.env),
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
