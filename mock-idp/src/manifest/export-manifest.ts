import type { AppRegistration, KeyCredential, SecretCredential } from '../directory/types.ts';

/**
 * An app registration as the manifest the Entra admin center shows and
 * downloads (the Microsoft Graph application resource). Fields the lab does
 * not model are written with Entra's values for an app that does not use
 * them (null, [], false), so the document reads like one from a real tenant.
 *
 * It never holds a secret value: Entra writes `secretText: null` for every
 * password credential, and so does this. Certificates are listed with their
 * public certificate in `key` (base64 DER, as Microsoft Graph returns it for
 * `$select=keyCredentials` and accepts it in a manifest upload), so an
 * import brings them back; a private key is never in a manifest.
 */
export interface AppManifest {
  id: string;
  deletedDateTime: null;
  appId: string;
  createdDateTime: string;
  description: null;
  displayName: string;
  identifierUris: string[];
  isFallbackPublicClient: boolean;
  notes: string;
  publisherDomain: string;
  signInAudience: AppRegistration['signInAudience'];
  tags: string[];
  api: {
    acceptMappedClaims: null;
    knownClientApplications: string[];
    requestedAccessTokenVersion: 1 | 2 | null;
    oauth2PermissionScopes: AppRegistration['api']['oauth2PermissionScopes'];
    preAuthorizedApplications: unknown[];
  };
  appRoles: (AppRegistration['appRoles'][number] & { origin: 'Application' })[];
  keyCredentials: {
    customKeyIdentifier: string;
    displayName: string;
    endDateTime: string;
    /** The certificate (public part) as base64 DER; null when the exporter has none to give. */
    key: string | null;
    keyId: string;
    startDateTime: string;
    type: 'AsymmetricX509Cert';
    usage: 'Verify';
  }[];
  passwordCredentials: {
    customKeyIdentifier: null;
    displayName: string;
    endDateTime: string;
    hint: string;
    keyId: string;
    secretText: null;
    startDateTime: string;
  }[];
  publicClient: { redirectUris: string[] };
  requiredResourceAccess: AppRegistration['requiredResourceAccess'];
  spa: { redirectUris: string[] };
  web: {
    homePageUrl: null;
    logoutUrl: null;
    redirectUris: string[];
    implicitGrantSettings: { enableAccessTokenIssuance: boolean; enableIdTokenIssuance: boolean };
  };
}

/** The tag that marks a manifest written by the lab (Entra keeps tags as free-form strings). */
export const LAB_EXPORT_TAG = 'mcp-lab:exported';

export interface ExportContext {
  /** The app's certificates (listed by thumbprint, as Entra's manifest lists them), each with its public certificate as base64 DER when known. */
  certificates?: readonly (KeyCredential & { key?: string | undefined })[];
  /** The verified domain of the app's tenant (Entra's publisherDomain). */
  publisherDomain: string;
  /** The IdP's base URL, named in `notes`. */
  source: string;
  exportedAt?: Date;
}

export function toManifest(app: AppRegistration, secrets: readonly SecretCredential[], context: ExportContext): AppManifest {
  const exportedAt = (context.exportedAt ?? new Date()).toISOString();
  return {
    id: app.id,
    deletedDateTime: null,
    appId: app.appId,
    createdDateTime: app.createdDateTime,
    description: null,
    displayName: app.displayName,
    identifierUris: [...app.identifierUris],
    isFallbackPublicClient: app.isFallbackPublicClient,
    notes: `Exported from the MCP × Entra ID lab's mock identity provider (${context.source}) on ${exportedAt}. Secret values are never exported; add a new secret after importing.`,
    publisherDomain: context.publisherDomain,
    signInAudience: app.signInAudience,
    tags: [LAB_EXPORT_TAG],
    api: {
      acceptMappedClaims: null,
      knownClientApplications: [],
      requestedAccessTokenVersion: app.api.requestedAccessTokenVersion,
      oauth2PermissionScopes: app.api.oauth2PermissionScopes.map((s) => ({ ...s })),
      preAuthorizedApplications: [],
    },
    appRoles: app.appRoles.map((r) => ({ ...r, allowedMemberTypes: [...r.allowedMemberTypes], origin: 'Application' as const })),
    // Like Entra's manifest: each certificate by thumbprint and dates, with the public certificate; never a private key.
    keyCredentials: (context.certificates ?? []).map((c) => ({
      customKeyIdentifier: c.customKeyIdentifier,
      displayName: c.displayName,
      endDateTime: c.endDateTime,
      key: c.key ?? null,
      keyId: c.keyId,
      startDateTime: c.startDateTime,
      type: c.type,
      usage: c.usage,
    })),
    passwordCredentials: secrets.map((s) => ({
      customKeyIdentifier: null,
      displayName: s.displayName,
      endDateTime: s.endDateTime,
      hint: s.hint,
      keyId: s.keyId,
      secretText: null,
      startDateTime: s.startDateTime,
    })),
    publicClient: { redirectUris: [...app.publicClient.redirectUris] },
    requiredResourceAccess: app.requiredResourceAccess.map((r) => ({ resourceAppId: r.resourceAppId, resourceAccess: r.resourceAccess.map((a) => ({ ...a })) })),
    spa: { redirectUris: [...app.spa.redirectUris] },
    web: {
      homePageUrl: null,
      logoutUrl: null,
      redirectUris: [...app.web.redirectUris],
      implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false },
    },
  };
}

/** A file name for the download: the display name without characters file systems refuse. */
export function manifestFileName(app: AppRegistration): string {
  // eslint-disable-next-line no-control-regex
  const safe = app.displayName.replace(/[\u0000-\u001f\u007f"*/:<>?\\|]+/g, '-').trim() || app.appId;
  return `${safe}.manifest.json`;
}
