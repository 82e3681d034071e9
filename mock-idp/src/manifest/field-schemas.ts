import { z } from 'zod';

/**
 * Field schemas of the Microsoft Graph application resource, shared by the
 * manifest import and the admin API's request bodies (both speak Graph's
 * names and shapes). Messages say what is wrong and what to write instead.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A GUID, normalised to lower case as Entra shows it. */
export const Guid = z
  .string()
  .regex(GUID, { error: 'must be a GUID such as 1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b' })
  .transform((s) => s.toLowerCase());

/**
 * A scope or app role value: what appears in `scp` / `roles`. Entra refuses
 * spaces (a token's `scp` is space-separated) and a leading dot (reserved
 * for `.default`).
 */
export const PermissionValue = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(120, { error: 'must be 120 characters or fewer' })
  .refine((v) => !/\s/.test(v), { error: 'must not contain spaces (scp and roles are space-separated); use dots, e.g. Tools.Read' })
  .refine((v) => !v.startsWith('.'), { error: 'must not start with "." (reserved for .default)' });

export const DisplayName = z.string().trim().min(1, { error: 'must not be empty' }).max(256, { error: 'must be 256 characters or fewer' });

/** A description or consent text the portal requires. */
export const RequiredText = z.string().trim().min(1, { error: 'must not be empty (the portal requires it; it is shown on the consent page)' });

export const SignInAudience = z.enum(['AzureADMyOrg', 'AzureADMultipleOrgs'], {
  error: (issue) =>
    issue.input === 'AzureADandPersonalMicrosoftAccount' || issue.input === 'PersonalMicrosoftAccount'
      ? 'personal Microsoft accounts do not exist in this lab: use AzureADMyOrg (this organisation only) or AzureADMultipleOrgs (any organisation)'
      : 'must be AzureADMyOrg (this organisation only) or AzureADMultipleOrgs (any organisation)',
});

export const ScopeType = z.enum(['User', 'Admin'], { error: 'must be User (users may consent) or Admin (only an admin may consent)' });

export const MemberType = z.enum(['User', 'Application'], { error: 'must be User or Application' });

export const AccessType = z.enum(['Scope', 'Role'], { error: 'must be Scope (delegated permission) or Role (application permission)' });

export const AccessTokenVersion = z.union([z.literal(1), z.literal(2)], { error: 'must be 1, 2 or null (2 gives v2.0 access tokens; 1 and null, Entra’s default, give v1.0 tokens)' });
