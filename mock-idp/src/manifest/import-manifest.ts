import type { AppRegistration } from '../directory/types.ts';
import type { ParsedManifest } from './manifest-schema.ts';

/** A registration read from a manifest: everything but the tenant, which the importer decides. */
export type ImportedRegistration = Omit<AppRegistration, 'tenantId' | 'servicePrincipalId' | 'createdDateTime' | 'appId' | 'id'> & {
  /** The IDs the manifest carries; kept when they are free in this IdP. */
  appId: string | undefined;
  id: string | undefined;
};

/** Where a manifest still holds a secret value (it must not: a manifest is meant to be shared). */
export function secretValuePaths(manifest: ParsedManifest): string[] {
  return manifest.passwordCredentials.flatMap((c, i) => (typeof c.secretText === 'string' && c.secretText !== '' ? [`passwordCredentials[${i}].secretText`] : []));
}

/** The registration a parsed manifest describes. Pure: checks against the directory are the importer's. */
export function registrationFromManifest(manifest: ParsedManifest): ImportedRegistration {
  return {
    appId: manifest.appId ?? undefined,
    id: manifest.id ?? undefined,
    displayName: manifest.displayName,
    signInAudience: manifest.signInAudience,
    isFallbackPublicClient: manifest.isFallbackPublicClient,
    identifierUris: manifest.identifierUris,
    web: { redirectUris: manifest.web.redirectUris },
    spa: { redirectUris: manifest.spa.redirectUris },
    publicClient: { redirectUris: manifest.publicClient.redirectUris },
    api: {
      oauth2PermissionScopes: (manifest.api?.oauth2PermissionScopes ?? []).map((s) => ({
        id: s.id,
        value: s.value,
        type: s.type,
        adminConsentDisplayName: s.adminConsentDisplayName,
        adminConsentDescription: s.adminConsentDescription,
        userConsentDisplayName: s.userConsentDisplayName ?? '',
        userConsentDescription: s.userConsentDescription ?? '',
        isEnabled: s.isEnabled,
      })),
      // A manifest without `api` gets Entra's default for new registrations: null (v1.0 tokens).
      requestedAccessTokenVersion: manifest.api ? manifest.api.requestedAccessTokenVersion : null,
    },
    appRoles: manifest.appRoles.map((r) => ({
      id: r.id,
      value: r.value,
      displayName: r.displayName,
      description: r.description,
      allowedMemberTypes: [...new Set(r.allowedMemberTypes)],
      isEnabled: r.isEnabled,
    })),
    requiredResourceAccess: manifest.requiredResourceAccess.map((r) => ({
      resourceAppId: r.resourceAppId,
      resourceAccess: r.resourceAccess.map((a) => ({ id: a.id, type: a.type })),
    })),
  };
}
