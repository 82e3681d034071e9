import { z } from 'zod';
import { DisplayName, Guid } from '../../manifest/field-schemas.ts';

/** Request bodies of the user routes, in Microsoft Graph's names; strict, so a misspelt field is named. */

const profile = {
  givenName: z.string().trim().max(64).optional(),
  surname: z.string().trim().max(64).optional(),
  mail: z.string().trim().max(256).optional(),
  jobTitle: z.string().trim().max(128).optional(),
  accountEnabled: z.boolean().optional(),
  /** Global Administrator of its tenant: may grant admin consent on the consent page. */
  isAdmin: z.boolean().optional(),
};

const UserPrincipalName = z
  .string()
  .trim()
  .regex(/^[^@\s]+@[^@\s]+$/, { error: 'must look like name@contoso.test' });

/** `POST /users`. `tenantId` (an ID or domain) defaults to the tenant that owns the UPN's domain. */
export const NewUserInput = z.strictObject({
  userPrincipalName: UserPrincipalName,
  displayName: DisplayName,
  password: z.string(),
  tenantId: z.string().min(1).optional(),
  id: Guid.optional(),
  ...profile,
});

/** `PATCH /users/{id}`. */
export const UserPatchInput = z.strictObject({
  userPrincipalName: UserPrincipalName.optional(),
  displayName: DisplayName.optional(),
  password: z.string().optional(),
  ...profile,
});
