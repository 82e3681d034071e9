import { connectAdmin } from '../admin-client.ts';
import { EXIT } from '../cli-error.ts';
import { confirm } from '../confirm.ts';
import { appRoute, output, tenantQuery, type AdminApp, type ApiPermission, type CertificateInfo, type FederatedInfo, type TargetOptions } from './admin-shapes.ts';
import { certificateLine } from './app-cert.ts';
import { ficLine } from './app-fic.ts';
import { parseRedirect, redirectLines, type Platform } from './app-redirect.ts';
import { secretLines } from './app-secret.ts';

export interface AppCreateOptions extends TargetOptions {
  name: string;
  tenant?: string;
  multiTenant?: boolean;
  publicClientFlows?: boolean;
  redirect: string[];
  identifierUri: string[];
}

/** The three IDs a learner copies from the Overview blade. */
function overviewLines(app: AdminApp): string[] {
  return [`Application (client) ID: ${app.appId}`, `Object ID:               ${app.id}`, `Directory (tenant) ID:   ${app.tenantId}`];
}

export async function runAppCreate(o: AppCreateOptions): Promise<number> {
  // Parse every --redirect before connecting, so a typo is a usage error even with no IdP running.
  const redirects = o.redirect.map(parseRedirect);
  const uris = (platform: Platform) => ({ redirectUris: redirects.filter((r) => r.platform === platform).map((r) => r.uri) });
  const body = {
    displayName: o.name,
    ...(o.tenant ? { tenantId: o.tenant } : {}),
    ...(o.multiTenant ? { signInAudience: 'AzureADMultipleOrgs' } : {}),
    ...(o.publicClientFlows ? { isFallbackPublicClient: true } : {}),
    ...(o.identifierUri.length ? { identifierUris: o.identifierUri } : {}),
    web: uris('web'),
    spa: uris('spa'),
    publicClient: uris('publicClient'),
  };
  const admin = await connectAdmin(o);
  const app = await admin.call<AdminApp>('POST', '/apps', body);
  output(o.json, app, () => [
    `Registered "${app.displayName}".`,
    ...overviewLines(app),
    `Next: \`mcp-lab app secret add ${app.appId}\` for a client secret, \`mcp-lab app show ${app.appId}\` for everything.`,
  ]);
  return EXIT.ok;
}

export async function runAppList(o: TargetOptions & { tenant?: string }): Promise<number> {
  const admin = await connectAdmin(o);
  const { value } = await admin.call<{ value: AdminApp[] }>('GET', `/apps${tenantQuery(o.tenant)}`);
  output(o.json, value, () =>
    value.length === 0
      ? ['No app registrations.']
      : value.map((a) => `${a.appId}  ${a.displayName}  (tenant ${a.tenantId}, ${a.signInAudience}${a.isFallbackPublicClient ? ', public client flows' : ''})`),
  );
  return EXIT.ok;
}

function audienceText(app: AdminApp): string {
  return app.signInAudience === 'AzureADMultipleOrgs' ? 'any organisation (multitenant)' : 'this tenant only';
}

/** What `requestedAccessTokenVersion` means, as Entra reads it: null and 1 give v1.0 tokens. */
function tokenVersionText(version: 1 | 2 | null): string {
  return version === 2 ? 'v2.0 (requestedAccessTokenVersion 2)' : `v1.0 (requestedAccessTokenVersion ${version === null ? 'null, the default' : '1'})`;
}

interface Credentials {
  certificates: CertificateInfo[];
  federated: FederatedInfo[];
}

function showLines(app: AdminApp, permissions: ApiPermission[], credentials: Credentials): string[] {
  const scopes = app.api.oauth2PermissionScopes;
  return [
    `${app.displayName}`,
    ...overviewLines(app).map((l) => `  ${l}`),
    `  Service principal ID:    ${app.servicePrincipalId}`,
    `  Supported accounts:      ${audienceText(app)} (${app.signInAudience})`,
    `  Public client flows:     ${app.isFallbackPublicClient ? 'allowed' : 'not allowed'}`,
    `  Application ID URI:      ${app.identifierUris.join(', ') || '—'}`,
    `  Access token version:    ${tokenVersionText(app.api.requestedAccessTokenVersion)}`,
    'Redirect URIs',
    ...redirectLines(app),
    `Scopes (${scopes.length})`,
    ...scopes.map((s) => `  ${s.value}  ${s.type === 'Admin' ? 'admins only' : 'users may consent'}${s.isEnabled ? '' : ', disabled'}  ${s.id}`),
    `App roles (${app.appRoles.length})`,
    ...app.appRoles.map((r) => `  ${r.value}  for ${r.allowedMemberTypes.join(' and ')}${r.isEnabled ? '' : ', disabled'}  ${r.id}`),
    `API permissions (${permissions.length})`,
    ...permissions.map(
      (p) =>
        `  ${p.resourceDisplayName ?? p.resourceAppId} / ${p.value ?? `${p.id} (not defined by the API)`}  ${p.type === 'Scope' ? 'delegated' : 'application'}  ${p.adminConsentGranted ? 'admin consent granted' : 'no admin consent'}`,
    ),
    `Client secrets (${app.passwordCredentials.length}; values are never shown again)`,
    ...secretLines(app.passwordCredentials),
    `Certificates (${credentials.certificates.length}; only the public part is stored)`,
    ...credentials.certificates.map(certificateLine),
    `Federated credentials (${credentials.federated.length})`,
    ...credentials.federated.map(ficLine),
  ];
}

export async function runAppShow(appId: string, o: TargetOptions): Promise<number> {
  const admin = await connectAdmin(o);
  const app = await admin.call<AdminApp>('GET', appRoute(appId));
  const { value: permissions } = await admin.call<{ value: ApiPermission[] }>('GET', appRoute(appId, '/required-resource-access'));
  const { value: certificates } = await admin.call<{ value: CertificateInfo[] }>('GET', appRoute(app.appId, '/certificates'));
  const { value: federated } = await admin.call<{ value: FederatedInfo[] }>('GET', appRoute(app.appId, '/federated-credentials'));
  output(o.json, { ...app, apiPermissions: permissions, keyCredentials: certificates, federatedIdentityCredentials: federated }, () =>
    showLines(app, permissions, { certificates, federated }),
  );
  return EXIT.ok;
}

export async function runAppDelete(appId: string, o: TargetOptions & { yes?: boolean }): Promise<number> {
  const admin = await connectAdmin(o);
  // Read it first: an unknown appId fails with the API's APP_NOT_FOUND before anything is asked.
  const app = await admin.call<AdminApp>('GET', appRoute(appId));
  const question = `Delete the app registration "${app.displayName}" (${app.appId})? Its secrets, consent and role assignments go with it, and its next token request fails (AADSTS700016).`;
  if (!(await confirm(question, o.yes))) {
    output(o.json, { deleted: false, appId: app.appId }, () => ['Nothing was changed.']);
    return EXIT.ok;
  }
  await admin.call('DELETE', appRoute(app.appId));
  output(o.json, { deleted: true, appId: app.appId, displayName: app.displayName }, () => [`Deleted "${app.displayName}" (${app.appId}).`]);
  return EXIT.ok;
}
