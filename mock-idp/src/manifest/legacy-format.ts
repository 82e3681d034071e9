/**
 * The Entra admin center shows two manifests: the Microsoft Graph format
 * (today's default, the one this lab reads) and the older Azure AD Graph
 * format ("AAD Graph App Manifest (Deprecating Soon)"). These keys exist
 * only in the old one, so they tell a learner which tab they downloaded.
 */
const LEGACY_KEYS = ['replyUrlsWithType', 'oauth2Permissions', 'accessTokenAcceptedVersion', 'oauth2AllowImplicitFlow', 'allowPublicClient', 'availableToOtherTenants'];

/** The legacy keys present, when the document is in the Azure AD Graph format; empty otherwise. */
export function legacyManifestKeys(document: unknown): string[] {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return [];
  return LEGACY_KEYS.filter((key) => key in document);
}
