import { z } from 'zod';
import { AccessTokenVersion, AccessType, DisplayName, Guid, MemberType, PermissionValue, RequiredText, ScopeType, SignInAudience } from './field-schemas.ts';

/**
 * What an imported manifest must hold: the Microsoft Graph application
 * format the Entra admin center shows. Objects are loose: a manifest
 * downloaded from a real tenant carries many more fields (addIns,
 * optionalClaims, …), which are read past, not refused.
 * Entra writes `null` for unset lists and flags; those read as empty/false.
 */

const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

const Platform = z
  .looseObject({ redirectUris: list(z.string()) })
  .nullish()
  .transform((p) => ({ redirectUris: p?.redirectUris ?? [] }));

const ManifestScope = z.looseObject({
  id: Guid,
  value: PermissionValue,
  type: ScopeType,
  adminConsentDisplayName: RequiredText,
  adminConsentDescription: RequiredText,
  userConsentDisplayName: z.string().nullish(),
  userConsentDescription: z.string().nullish(),
  isEnabled: z.boolean(),
});

const ManifestAppRole = z.looseObject({
  id: Guid,
  // Entra allows a role without a value (it never appears in tokens); the lab has no use for one.
  value: PermissionValue,
  displayName: RequiredText,
  description: RequiredText,
  allowedMemberTypes: z.array(MemberType).min(1, { error: 'must list User, Application or both' }),
  isEnabled: z.boolean(),
});

const ManifestRequiredResourceAccess = z.looseObject({
  resourceAppId: Guid,
  resourceAccess: z.array(z.looseObject({ id: Guid, type: AccessType })),
});

const ManifestPasswordCredential = z.looseObject({
  keyId: z.string().nullish(),
  displayName: z.string().nullish(),
  hint: z.string().nullish(),
  secretText: z.string().nullish(),
});

// A certificate as Graph's keyCredential: `key` is the public certificate
// (base64 DER), null in a manifest the Entra admin center downloads.
const ManifestKeyCredential = z.looseObject({
  keyId: z.string().nullish(),
  displayName: z.string().nullish(),
  customKeyIdentifier: z.string().nullish(),
  type: z.string().nullish(),
  usage: z.string().nullish(),
  key: z.string().nullish(),
});

export const AppManifestSchema = z.looseObject({
  id: Guid.nullish(),
  appId: Guid.nullish(),
  displayName: DisplayName,
  signInAudience: SignInAudience.nullish().transform((v) => v ?? 'AzureADMyOrg'),
  identifierUris: list(z.string()),
  isFallbackPublicClient: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  publisherDomain: z.string().nullish(),
  web: Platform,
  spa: Platform,
  publicClient: Platform,
  api: z
    .looseObject({
      oauth2PermissionScopes: list(ManifestScope),
      // Entra's null (a new registration's value) gives v1.0 access tokens; kept as null, as Entra keeps it.
      requestedAccessTokenVersion: AccessTokenVersion.nullish().transform((v) => v ?? null),
    })
    .nullish(),
  appRoles: list(ManifestAppRole),
  requiredResourceAccess: list(ManifestRequiredResourceAccess),
  passwordCredentials: list(ManifestPasswordCredential),
  keyCredentials: list(ManifestKeyCredential),
});

export type ParsedManifest = z.output<typeof AppManifestSchema>;
