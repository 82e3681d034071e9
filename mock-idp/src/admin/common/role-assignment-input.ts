import { z } from 'zod';
import { Guid } from '../../manifest/field-schemas.ts';

/** `POST /users/{id}/app-role-assignments` and `POST /apps/{appId}/app-role-assignments`: the API and its role, by value or ID. */
export const RoleAssignmentInput = z
  .strictObject({
    resourceAppId: z.string().min(1),
    role: z.string().min(1).optional(),
    appRoleId: Guid.optional(),
  })
  .refine((p) => (p.role === undefined) !== (p.appRoleId === undefined), { error: 'give role (its value, e.g. Tools.Read) or appRoleId, exactly one', path: ['role'] });
