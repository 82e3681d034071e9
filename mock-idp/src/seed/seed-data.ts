import type { AppRole, PermissionScope, User } from '../directory/types.ts';
import type { NewApp } from '../store/directory.ts';
import { deepFreeze } from './deep-freeze.ts';
import { GRAPH_APP_ID, GRAPH_ROLE_IDS, GRAPH_SCOPE_IDS, MICROSOFT_GRAPH } from './microsoft-graph.ts';
import { FOREIGN_TENANT, HOME_TENANT } from './tenants.ts';

/**
 * The directory a fresh lab starts with. Every ID here is fixed and
 * documented: lab READMEs, `.env` files made by `mcp-lab start` and the
 * checks refer to them. Registrations created later get random IDs.
 *
 * The passwords are test data for a local mock, printed on the start screen
 * and by /_lab/info; the database keeps only their scrypt hashes. The
 * confidential apps' secrets are not here: they are random per installation
 * (see seed-directory.ts).
 */

export { FOREIGN_TENANT, HOME_TENANT } from './tenants.ts';
export { GRAPH_APP_ID, GRAPH_IDENTIFIER_URI, GRAPH_ROLE_IDS, GRAPH_SCOPE_IDS, MICROSOFT_GRAPH } from './microsoft-graph.ts';

/** A seeded app: a NewApp whose IDs are all fixed. */
export type SeedApp = NewApp & { appId: string; id: string; servicePrincipalId: string };

// ── The protected API (lab 05 resource server; the API lab 03 calls) ──────

const API_APP_ID = '05a91000-0000-4000-8000-000000000005';

const USER_IMPERSONATION: PermissionScope = {
  id: '5c0be000-0000-4000-8000-000000000051',
  value: 'user_impersonation',
  type: 'User',
  adminConsentDisplayName: 'Access MCP Lab Protected API',
  adminConsentDescription: 'Lets the app call the MCP Lab Protected API on behalf of the signed-in user.',
  userConsentDisplayName: 'Access MCP Lab Protected API as you',
  userConsentDescription: 'Lets the app call the MCP Lab Protected API for you, with your permissions.',
  isEnabled: true,
};

const TOOLS_READ: AppRole = {
  id: '7001a000-0000-4000-8000-000000000052',
  value: 'Tools.Read',
  displayName: 'Read tools',
  description: "List and call the API's read-only tools.",
  allowedMemberTypes: ['User', 'Application'],
  isEnabled: true,
};

const TOOLS_ADMIN: AppRole = {
  id: '7001a000-0000-4000-8000-000000000053',
  value: 'Tools.Admin',
  displayName: 'Administer tools',
  description: "Change the API's tools and their settings.",
  allowedMemberTypes: ['User'],
  isEnabled: true,
};

const graphUserRead = { resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: GRAPH_SCOPE_IDS['User.Read'], type: 'Scope' as const }] };

// ── The lab apps ─────────────────────────────────────────────────────────

/** Lab 02: a stdio MCP server signing the user in as a desktop (public) client. */
const PUBLIC_CLIENT: SeedApp = {
  appId: '02c11e00-0000-4000-8000-000000000002',
  id: '0b1ec700-0000-4000-8000-000000000002',
  servicePrincipalId: '5e7c1a00-0000-4000-9000-000000000002',
  tenantId: HOME_TENANT.id,
  displayName: 'MCP Lab Public Client (stdio)',
  signInAudience: 'AzureADMyOrg',
  isFallbackPublicClient: true,
  publicClient: { redirectUris: ['http://localhost'] },
  // Exposes no API, so no access token is ever issued for it: Entra's default (null) is stated as it is.
  api: { requestedAccessTokenVersion: null },
  requiredResourceAccess: [graphUserRead],
};

/** Lab 03: a remote MCP server using the authorization code flow as a confidential (web) client. */
const WEB_SERVER: SeedApp = {
  appId: '03c0f1d0-0000-4000-8000-000000000003',
  id: '0b1ec700-0000-4000-8000-000000000003',
  servicePrincipalId: '5e7c1a00-0000-4000-9000-000000000003',
  tenantId: HOME_TENANT.id,
  displayName: 'MCP Lab Web Server (HTTP)',
  signInAudience: 'AzureADMyOrg',
  // Lab 03 serves over http, lab 04 over https on the same port: both callbacks, so that neither needs a setup step.
  web: { redirectUris: ['http://localhost:3001/auth/callback', 'https://localhost:3001/auth/callback'] },
  // Exposes no API: Entra's default (null), stated.
  api: { requestedAccessTokenVersion: null },
  requiredResourceAccess: [
    // The app permission User.Read.All (assigned below) is listed where the portal shows it.
    { resourceAppId: GRAPH_APP_ID, resourceAccess: [...graphUserRead.resourceAccess, { id: GRAPH_ROLE_IDS['User.Read.All'], type: 'Role' }] },
    {
      resourceAppId: API_APP_ID,
      resourceAccess: [
        { id: USER_IMPERSONATION.id, type: 'Scope' },
        { id: TOOLS_READ.id, type: 'Role' },
      ],
    },
  ],
};

/** The API: exposes a delegated scope and app roles; confidential too, for on-behalf-of. */
const PROTECTED_API: SeedApp = {
  appId: API_APP_ID,
  id: '0b1ec700-0000-4000-8000-000000000005',
  servicePrincipalId: '5e7c1a00-0000-4000-9000-000000000005',
  tenantId: HOME_TENANT.id,
  displayName: 'MCP Lab Protected API',
  signInAudience: 'AzureADMyOrg',
  identifierUris: [`api://${API_APP_ID}`],
  // v2.0 on purpose: the course teaches resource servers to validate v2.0 tokens (issuer
  // {authority}/v2.0, aud = the API's client ID), as Microsoft recommends for new APIs. On a real
  // tenant the learner sets this in the API's manifest (docs/real-tenant.md); a new registration
  // here, as there, has null and gets v1.0 tokens.
  api: { oauth2PermissionScopes: [USER_IMPERSONATION], requestedAccessTokenVersion: 2 },
  appRoles: [TOOLS_READ, TOOLS_ADMIN],
  requiredResourceAccess: [graphUserRead],
};

// ── Users ────────────────────────────────────────────────────────────────

const ALICE: User = {
  id: 'a11ce000-0000-4000-8000-000000000001',
  tenantId: HOME_TENANT.id,
  userPrincipalName: 'alice@contoso.test',
  displayName: 'Alice Jansen',
  givenName: 'Alice',
  surname: 'Jansen',
  mail: 'alice@contoso.test',
  jobTitle: 'Developer',
  isAdmin: false,
  accountEnabled: true,
};

const BOB: User = {
  id: 'b0b00000-0000-4000-8000-000000000002',
  tenantId: HOME_TENANT.id,
  userPrincipalName: 'bob@contoso.test',
  displayName: 'Bob de Vries',
  givenName: 'Bob',
  surname: 'de Vries',
  mail: 'bob@contoso.test',
  jobTitle: 'Support Engineer',
  isAdmin: false,
  accountEnabled: true,
};

const ADMIN: User = {
  id: 'ad000000-0000-4000-8000-000000000003',
  tenantId: HOME_TENANT.id,
  userPrincipalName: 'admin@contoso.test',
  displayName: 'Megan Admin',
  givenName: 'Megan',
  surname: 'Admin',
  mail: 'admin@contoso.test',
  jobTitle: 'IT Administrator',
  isAdmin: true,
  accountEnabled: true,
};

const FRANK: User = {
  id: 'f4a00000-0000-4000-8000-000000000004',
  tenantId: FOREIGN_TENANT.id,
  userPrincipalName: 'frank@fabrikam.test',
  displayName: 'Frank Foreign',
  givenName: 'Frank',
  surname: 'Foreign',
  mail: 'frank@fabrikam.test',
  jobTitle: 'Consultant',
  isAdmin: false,
  accountEnabled: true,
};

/** Seeded users' passwords, by user principal name (test data, valid only in this mock). */
export const SEED_PASSWORDS: Readonly<Record<string, string>> = Object.freeze({
  [ALICE.userPrincipalName]: 'alice-lab-2026',
  [BOB.userPrincipalName]: 'bob-lab-2026',
  [ADMIN.userPrincipalName]: 'admin-lab-2026',
  [FRANK.userPrincipalName]: 'frank-lab-2026',
});

/** Display name of the secret created for each seeded confidential app. */
export const DEV_SECRET_DISPLAY_NAME = 'dev secret (mock only)';

/**
 * Everything seeded, by name: `SEED.tenants.home.id`, `SEED.users.alice.id`,
 * `SEED.apps.webServer.appId`, `SEED.roles.toolsRead.id`…
 */
export const SEED = deepFreeze({
  tenants: { home: HOME_TENANT, foreign: FOREIGN_TENANT },
  users: { alice: ALICE, bob: BOB, admin: ADMIN, frank: FRANK },
  apps: { publicClient: PUBLIC_CLIENT, webServer: WEB_SERVER, protectedApi: PROTECTED_API },
  /** The protected API's delegated scope. */
  scopes: { userImpersonation: USER_IMPERSONATION },
  /** The protected API's app roles. */
  roles: { toolsRead: TOOLS_READ, toolsAdmin: TOOLS_ADMIN },
  graph: MICROSOFT_GRAPH,
  /** Confidential apps that get a dev secret (random per installation, shown by /_lab/info). */
  confidentialApps: [WEB_SERVER.appId, PROTECTED_API.appId],
  /** App roles held from the start. */
  roleAssignments: [
    { principalId: ALICE.id, principalType: 'User', resourceAppId: API_APP_ID, appRoleId: TOOLS_READ.id },
    { principalId: ADMIN.id, principalType: 'User', resourceAppId: API_APP_ID, appRoleId: TOOLS_ADMIN.id },
    { principalId: WEB_SERVER.servicePrincipalId, principalType: 'ServicePrincipal', resourceAppId: API_APP_ID, appRoleId: TOOLS_READ.id },
    { principalId: WEB_SERVER.servicePrincipalId, principalType: 'ServicePrincipal', resourceAppId: GRAPH_APP_ID, appRoleId: GRAPH_ROLE_IDS['User.Read.All'] },
  ] satisfies { principalId: string; principalType: 'User' | 'ServicePrincipal'; resourceAppId: string; appRoleId: string }[],
});
