import type { Directory } from '../store/directory.ts';
import { deepFreeze } from './deep-freeze.ts';
import { HOME_TENANT } from './tenants.ts';

/**
 * The lab's two managed identities, in the home tenant, with fixed IDs: the
 * system-assigned identity of "the App Service app" that runs a lab server,
 * and one user-assigned identity. In Entra each is a service principal with
 * no app registration (Enterprise applications › Managed Identities).
 */
export interface ManagedIdentity {
  name: string;
  type: 'SystemAssigned' | 'UserAssigned';
  /** The client (application) ID: `appid` of its tokens; MSAL's and @azure/identity's `clientId` for a user-assigned one. */
  clientId: string;
  /** The object (principal) ID: `oid` and `sub` of its tokens, and the subject a federated credential trusts. */
  objectId: string;
  /** Azure's resource ID (`xms_mirid`), `mi_res_id` / `resourceId` for a user-assigned one. */
  resourceId: string;
  tenantId: string;
}

const RESOURCE_GROUP = '/subscriptions/5ab50000-0000-4000-8000-000000000000/resourceGroups/mcp-lab';

const MANAGED_IDENTITIES = deepFreeze({
  system: {
    name: 'mcp-lab-app-service',
    type: 'SystemAssigned',
    clientId: '3a1c0000-0000-4000-8000-0000000000a1',
    objectId: '3a1c5e00-0000-4000-9000-0000000000a1',
    resourceId: `${RESOURCE_GROUP}/providers/Microsoft.Web/sites/mcp-lab-app-service`,
    tenantId: HOME_TENANT.id,
  },
  user: {
    name: 'mcp-lab-identity',
    type: 'UserAssigned',
    clientId: '3a1c0000-0000-4000-8000-0000000000a2',
    objectId: '3a1c5e00-0000-4000-9000-0000000000a2',
    resourceId: `${RESOURCE_GROUP}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mcp-lab-identity`,
    tenantId: HOME_TENANT.id,
  },
} satisfies Record<string, ManagedIdentity>);

export function managedIdentities(): ManagedIdentity[] {
  return Object.values(MANAGED_IDENTITIES);
}

/**
 * Makes sure both identities exist (as service principals without a
 * registration). Runs on every start, so a lab state made before managed
 * identities existed gets them too; an existing one is left as it is.
 */
export function ensureManagedIdentities(directory: Directory): void {
  directory.transaction(() => {
    if (!directory.tenant(HOME_TENANT.id)) return;
    for (const mi of managedIdentities()) {
      if (directory.app(mi.clientId)) continue;
      directory.createApp({
        appId: mi.clientId,
        id: mi.objectId.replace(/^3a1c5e00/, '3a1c0b00'),
        servicePrincipalId: mi.objectId,
        tenantId: mi.tenantId,
        displayName: mi.name,
        servicePrincipalType: 'ManagedIdentity',
        api: { requestedAccessTokenVersion: null },
      });
    }
  });
}
