import type { Directory } from '../store/directory.ts';
import type { AppRegistration } from '../directory/types.ts';
import { MANAGED_IDENTITY_PATH } from '../managed-identity/routes.ts';
import { managedIdentities } from '../seed/managed-identities.ts';

/** `GET /_lab/info` (a docs/design.md §4 contract): what a learner, the CLI and the grader need to know. Home tenant first. */
export interface LabInfo {
  baseUrl: string;
  caCertPath: string;
  tenants: { id: string; name: string; home: boolean; issuer: string }[];
  users: {
    username: string;
    password?: string;
    displayName: string;
    oid: string;
    tenantId: string;
    roles: string[];
    admin: boolean;
  }[];
  apps: {
    name: string;
    clientId: string;
    tenantId: string;
    publicClient: boolean;
    redirectUris: string[];
    identifierUri: string | null;
    scopes: string[];
    appRoles: string[];
    devSecret?: string;
  }[];
  graphBaseUrl: string;
  adminApi: string;
  /**
   * The managed identity endpoint (App Service's API) and its identities:
   * set `env` in a program's environment and ManagedIdentityCredential /
   * ManagedIdentityApplication work unmodified (also `NODE_EXTRA_CA_CERTS`).
   */
  managedIdentity: {
    env: { IDENTITY_ENDPOINT: string; IDENTITY_HEADER: string };
    identities: { name: string; type: 'SystemAssigned' | 'UserAssigned'; clientId: string; objectId: string; resourceId: string; tenantId: string; issuer: string }[];
  };
}

function appInfo(directory: Directory, app: AppRegistration): LabInfo['apps'][number] {
  const identifierUri = app.identifierUris[0] ?? null;
  const devSecret = directory.devSecret(app.appId);
  return {
    name: app.displayName,
    clientId: app.appId,
    tenantId: app.tenantId,
    publicClient: app.isFallbackPublicClient || app.publicClient.redirectUris.length > 0,
    redirectUris: [...app.web.redirectUris, ...app.spa.redirectUris, ...app.publicClient.redirectUris],
    identifierUri,
    scopes: app.api.oauth2PermissionScopes.filter((s) => s.isEnabled).map((s) => `${identifierUri ?? `api://${app.appId}`}/${s.value}`),
    appRoles: app.appRoles.filter((r) => r.isEnabled).map((r) => r.value),
    ...(devSecret ? { devSecret } : {}),
  };
}

export function buildLabInfo(
  directory: Directory,
  options: { baseUrl: string; caCertPath: string; knownPasswords: Readonly<Record<string, string>>; identityHeader: string },
): LabInfo {
  const { baseUrl } = options;
  const tenants = directory.tenants();
  const apps = directory.apps();
  return {
    baseUrl,
    caCertPath: options.caCertPath,
    tenants: tenants.map((t) => ({ id: t.id, name: t.name, home: t.home, issuer: `${baseUrl}/${t.id}/v2.0` })),
    users: directory.users().map((u) => {
      const password = options.knownPasswords[u.userPrincipalName.toLowerCase()];
      const roles = new Set(apps.flatMap((a) => directory.roleValues(u.id, a.appId)));
      return {
        username: u.userPrincipalName,
        ...(password ? { password } : {}),
        displayName: u.displayName,
        oid: u.id,
        tenantId: u.tenantId,
        roles: [...roles].sort(),
        admin: u.isAdmin,
      };
    }),
    apps: apps.map((a) => appInfo(directory, a)),
    graphBaseUrl: `${baseUrl}/graph/v1.0`,
    adminApi: `${baseUrl}/_lab/admin`,
    managedIdentity: {
      env: { IDENTITY_ENDPOINT: `${baseUrl}${MANAGED_IDENTITY_PATH}`, IDENTITY_HEADER: options.identityHeader },
      // `issuer` is what a federated credential trusting the identity names (with subject = objectId).
      identities: managedIdentities().map((mi) => ({ ...mi, issuer: `${baseUrl}/${mi.tenantId}/v2.0` })),
    },
  };
}
