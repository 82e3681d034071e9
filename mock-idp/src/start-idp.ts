import path from 'node:path';
import type Provider from 'oidc-provider';
import { ensureCertificates } from './certs/ensure-certificates.ts';
import { createProvider } from './protocol/create-provider.ts';
import { clientMetadata } from './protocol/client-metadata.ts';
import { requestContext } from './protocol/request-context.ts';
import { deepFreeze } from './seed/deep-freeze.ts';
import type { LabContext } from './protocol/lab-context.ts';
import { openDatabase } from './store/database.ts';
import { Directory } from './store/directory.ts';
import { AppCredentials } from './store/app-credentials.ts';
import { ensureCookieKeys, ensureSigningKeys, loadOrCreatePepper } from './store/key-material.ts';
import { createAdapterFactory } from './store/oidc-adapter.ts';
import { seedDirectory } from './seed/seed-directory.ts';
import { ensureManagedIdentities } from './seed/managed-identities.ts';
import { identityHeader } from './managed-identity/identity-header.ts';
import { MICROSOFT_GRAPH, SEED_PASSWORDS } from './seed/seed-data.ts';
import { createIdpApp } from './server/create-app.ts';
import { buildLabInfo, type LabInfo } from './server/lab-info.ts';
import { listenOnLoopback } from './server/listen.ts';
import { takeLock } from './server/lock-file.ts';
import { DEFAULT_PORT, labHome } from './paths.ts';
import { ensureAdminToken } from './admin/admin-token.ts';
import { TraceBus } from './trace/trace-bus.ts';
import { Faults } from './faults/faults.ts';
import { KeyRing } from './protocol/key-ring.ts';
import { adminRoutes } from './admin/routes.ts';

export interface StartIdpOptions {
  /** HTTPS port; 0 picks a free one. Default 8443. */
  port?: number;
  /** Where registrations, users, keys and sessions are kept. Default `.lab/idp`. */
  dataDir?: string;
  /** Where the dev CA and the localhost certificate are kept. Default `.lab/certs`. */
  certDir?: string;
}

export interface RunningIdp {
  baseUrl: string;
  port: number;
  caCertPath: string;
  /** The same document as `GET /_lab/info`. */
  info(): LabInfo;
  directory: Directory;
  /** Certificates and federated identity credentials. */
  credentials: AppCredentials;
  /** The trace behind `/_lab/events`. */
  trace: TraceBus;
  faults: Faults;
  keys: KeyRing;
  /** Bearer token of `/_lab/admin` (also in `adminTokenPath`, mode 0600). */
  adminToken: string;
  adminTokenPath: string;
  close(): Promise<void>;
}

/**
 * Starts the lab's Entra-compatible identity provider: certificates first
 * (made once, then reused), then state (SQLite, seeded on first start),
 * then HTTPS on both loopback addresses. Resolves when requests are accepted.
 */
export async function startIdp(options: StartIdpOptions = {}): Promise<RunningIdp> {
  const home = labHome();
  const certDir = path.resolve(options.certDir ?? path.join(home, 'certs'));
  const dataDir = path.resolve(options.dataDir ?? path.join(home, 'idp'));

  const certs = await ensureCertificates(certDir);
  const db = openDatabase(path.join(dataDir, 'idp.sqlite'));
  try {
    const pepper = loadOrCreatePepper(db);
    const directory = new Directory(db, pepper);
    seedDirectory(directory);
    ensureManagedIdentities(directory);
    await ensureSigningKeys(directory);
    const cookieKeys = ensureCookieKeys(directory);
    const csrfKey = cookieKeys[0] ?? '';

    const credentials = new AppCredentials(db);
    const lab: LabContext = {
      directory,
      credentials,
      pepper,
      lookup: {
        graph: MICROSOFT_GRAPH,
        appById: (appId) => directory.app(appId),
        appByIdentifierUri: (uri) => directory.appByIdentifierUri(uri),
      },
      faults: new Faults(directory),
      keys: new KeyRing(directory),
      trace: new TraceBus(),
    };

    let baseUrl = '';
    // Rebuilt when the signing keys change (a rotation): oidc-provider's key set is fixed per instance.
    const providers = new Map<string, { provider: Provider; keys: string }>();
    const providerFor = (tenantId: string): Provider => {
      const keys = lab.keys.version();
      const cached = providers.get(tenantId);
      if (cached?.keys === keys) return cached.provider;
      const tenant = directory.tenant(tenantId);
      if (!tenant) throw new Error(`unknown tenant ${tenantId}`);
      const Adapter = createAdapterFactory(db, {
        partition: tenant.id,
        // Asked on every token request. The metadata depends only on the app, its
        // credentials and whether this request authenticates the client (request
        // context), so it is kept until the next directory write.
        findClient: (id) => {
          const app = directory.app(id);
          if (!app) return undefined;
          const confidential = requestContext.getStore()?.clientAuth !== 'public';
          return directory.derived(`client-metadata\0${app.appId}\0${confidential}`, () =>
            deepFreeze(clientMetadata(app, pepper, directory.secrets(app.appId).length > 0 || credentials.hasAny(app.appId))),
          );
        },
        rotatedRefreshTokensStayValid: (clientId) => !lab.faults.strictRefreshTokens(tenant.id, clientId),
      });
      const provider = createProvider({ ...lab, tenant }, { issuer: `${baseUrl}/${tenant.id}/v2.0`, signingKeys: lab.keys.privateKeys(), cookieKeys, adapter: Adapter });
      providers.set(tenantId, { provider, keys });
      return provider;
    };

    const miHeader = identityHeader(directory);
    const info = (): LabInfo => buildLabInfo(directory, { baseUrl, caCertPath: certs.caCertPath, knownPasswords: SEED_PASSWORDS, identityHeader: miHeader });
    const adminToken = ensureAdminToken(dataDir);
    const admin = adminRoutes({ db, lab, token: adminToken.token, tokenPath: adminToken.path, baseUrl: () => baseUrl });
    const app = createIdpApp({ lab, providerFor, csrfKey, info, admin, baseUrl: () => baseUrl });
    const listening = await listenOnLoopback(app, { cert: certs.certPem, key: certs.keyPem }, options.port ?? DEFAULT_PORT);
    baseUrl = `https://localhost:${listening.port}`;
    const releaseLock = takeLock(dataDir, baseUrl);

    return {
      baseUrl,
      port: listening.port,
      caCertPath: certs.caCertPath,
      info,
      directory,
      credentials,
      trace: lab.trace,
      faults: lab.faults,
      keys: lab.keys,
      adminToken: adminToken.token,
      adminTokenPath: adminToken.path,
      close: async () => {
        await listening.close();
        db.close();
        releaseLock();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
