import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AccessTokenVersion, AccessType, DisplayName, Guid, MemberType, PermissionValue, RequiredText, ScopeType, SignInAudience } from '../../manifest/field-schemas.ts';
import { PLATFORMS } from './redirect-uri-rules.ts';

/**
 * Request bodies of the app routes, in Microsoft Graph's names. Objects are
 * strict: a misspelt field is named in the error instead of being ignored.
 * IDs of new scopes and roles may be left out (a random GUID is assigned).
 */

export const ScopeInput = z.strictObject({
  id: Guid.optional().transform((id) => id ?? randomUUID()),
  value: PermissionValue,
  type: ScopeType.default('User'),
  adminConsentDisplayName: RequiredText,
  adminConsentDescription: RequiredText,
  userConsentDisplayName: z.string().trim().default(''),
  userConsentDescription: z.string().trim().default(''),
  isEnabled: z.boolean().default(true),
});

export const AppRoleInput = z.strictObject({
  id: Guid.optional().transform((id) => id ?? randomUUID()),
  value: PermissionValue,
  displayName: RequiredText,
  description: RequiredText,
  allowedMemberTypes: z
    .array(MemberType)
    .min(1, { error: 'must list User, Application or both (who can be assigned the role)' })
    .transform((types) => [...new Set(types)]),
  isEnabled: z.boolean().default(true),
});

const RequiredResourceAccessInput = z.strictObject({
  resourceAppId: Guid,
  resourceAccess: z.array(z.strictObject({ id: Guid, type: AccessType })),
});

const PlatformInput = z.strictObject({ redirectUris: z.array(z.string()) });

const ApiInput = z.strictObject({
  oauth2PermissionScopes: z.array(ScopeInput).optional(),
  requestedAccessTokenVersion: AccessTokenVersion.nullable().optional(),
});

const appFields = {
  displayName: DisplayName,
  signInAudience: SignInAudience.optional(),
  isFallbackPublicClient: z.boolean().optional(),
  identifierUris: z.array(z.string()).optional(),
  web: PlatformInput.optional(),
  spa: PlatformInput.optional(),
  publicClient: PlatformInput.optional(),
  api: ApiInput.optional(),
  appRoles: z.array(AppRoleInput).optional(),
  requiredResourceAccess: z.array(RequiredResourceAccessInput).optional(),
};

/** `POST /apps`. `tenantId` is an ID or a domain; the home tenant when left out. */
export const NewAppInput = z.strictObject({ ...appFields, tenantId: z.string().min(1).optional() });

/** `PATCH /apps/{appId}`: any subset; lists replace, `api` merges field by field. IDs and the tenant cannot change. */
export const AppPatchInput = z.strictObject({ ...appFields, displayName: DisplayName.optional() });

const MAX_SECRET_DAYS = 730;

/** `POST /apps/{appId}/secrets`. The portal offers lifetimes up to 24 months (730 days); 180 days is its recommendation and the default. */
export const SecretInput = z
  .strictObject({
    displayName: z.string().trim().max(256).default(''),
    endDateTime: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date and time such as 2027-01-31T00:00:00Z' }).optional(),
    expiresInDays: z
      .int({ error: 'must be a whole number of days' })
      .min(1, { error: 'must be at least 1' })
      .max(MAX_SECRET_DAYS, { error: `must be at most ${MAX_SECRET_DAYS} (24 months, the longest the portal offers)` })
      .optional(),
  })
  .refine((s) => s.endDateTime === undefined || s.expiresInDays === undefined, { error: 'give endDateTime or expiresInDays, not both', path: ['expiresInDays'] });

export { MAX_SECRET_DAYS };

/** `POST|DELETE /apps/{appId}/redirect-uris`. */
export const RedirectUriInput = z.strictObject({
  platform: z.enum(PLATFORMS, { error: 'must be web, spa or publicClient (Mobile and desktop applications)' }),
  uri: z.string({ error: 'must be the redirect URI, a string' }),
});

const exactlyOne = (a: unknown, b: unknown) => (a === undefined) !== (b === undefined);

/** `POST|DELETE /apps/{appId}/required-resource-access`: one permission, by its value. */
export const PermissionInput = z
  .strictObject({
    resourceAppId: z.string().min(1),
    scope: z.string().min(1).optional(),
    role: z.string().min(1).optional(),
  })
  .refine((p) => exactlyOne(p.scope, p.role), { error: 'give scope (a delegated permission) or role (an application permission), exactly one', path: ['scope'] });

/** `POST /apps/import?replace=true&tenant=…`. */
export const ImportQuery = z.looseObject({
  replace: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  tenant: z.string().min(1).optional(),
});

/** `POST /apps/{appId}/certificates`: the certificate (public part only), PEM or base64 DER. */
export const CertificateInput = z.strictObject({
  certificate: z.string().min(1, { error: 'must be the certificate: PEM ("-----BEGIN CERTIFICATE-----…") or base64 DER' }).max(16_384),
  displayName: z.string().trim().max(256).optional(),
});

/** The audience Entra expects in a federated token (and the portal's default). */
const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/** `POST /apps/{appId}/federated-credentials`: Graph's federatedIdentityCredential. */
export const FederatedCredentialInput = z.strictObject({
  name: z
    .string()
    .trim()
    .min(3, { error: 'must be 3–120 characters' })
    .max(120, { error: 'must be 3–120 characters' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, { error: 'may hold letters, digits, "-" and "_" only, starting with a letter or digit' }),
  issuer: z.url({ protocol: /^https$/, error: 'must be the https URL of the token issuer, exactly as its tokens’ iss says' }),
  subject: z.string().trim().min(1, { error: 'must be the subject (sub) of the tokens to trust' }).max(600),
  audiences: z.array(z.string().min(1)).length(1, { error: 'must list exactly one audience (Entra allows one): api://AzureADTokenExchange' }).default([TOKEN_EXCHANGE_AUDIENCE]),
  description: z.string().trim().max(600).default(''),
});
