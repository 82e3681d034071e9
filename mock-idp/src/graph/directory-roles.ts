import { createHash } from 'node:crypto';
import type { User } from '../directory/types.ts';

/**
 * `memberOf` entries. The lab's directory has no groups yet; what it knows is
 * who is a tenant admin, which Entra shows as membership of the Global
 * Administrator directory role. Role template IDs are Microsoft's, the same
 * in every tenant; a role's object ID differs per tenant.
 */

const GLOBAL_ADMINISTRATOR = {
  roleTemplateId: '62e90394-69f5-4237-9190-012177145e10',
  displayName: 'Global Administrator',
  description: 'Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.',
} as const;

export const DIRECTORY_ROLE_PROPERTIES = ['id', 'deletedDateTime', 'description', 'displayName', 'roleTemplateId'] as const;

export interface GraphDirectoryRole {
  '@odata.type': '#microsoft.graph.directoryRole';
  id: string;
  deletedDateTime: null;
  description: string;
  displayName: string;
  roleTemplateId: string;
}

/** A stable object ID for a role activated in a tenant (the same on every call and restart). */
function roleObjectId(tenantId: string, roleTemplateId: string): string {
  const hex = createHash('sha256').update(`${tenantId}/${roleTemplateId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function directoryRolesOf(user: User): GraphDirectoryRole[] {
  if (!user.isAdmin) return [];
  return [{ '@odata.type': '#microsoft.graph.directoryRole', id: roleObjectId(user.tenantId, GLOBAL_ADMINISTRATOR.roleTemplateId), deletedDateTime: null, ...GLOBAL_ADMINISTRATOR }];
}
