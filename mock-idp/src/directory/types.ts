/**
 * The registration model: what Entra ID keeps about tenants, app registrations,
 * users and who may do what. The protocol engine reads it live on every request,
 * so an edit (portal, admin API, CLI) takes effect at once.
 *
 * Names follow Microsoft Graph's application and user resources where one exists
 * (appId, identifierUris, api.oauth2PermissionScopes, appRoles,
 * requiredResourceAccess, isFallbackPublicClient), so a learner who reads the
 * manifest here recognises it in the Entra admin center.
 */

export interface Tenant {
  /** Directory (tenant) ID, a GUID. */
  id: string;
  name: string;
  /** The verified domain users sign in with, e.g. `contoso.test`. */
  domain: string;
  /** The home tenant is listed first in `/_lab/info`. */
  home: boolean;
}

/** Who may sign in: this tenant only, or any organisation. */
export type SignInAudience = 'AzureADMyOrg' | 'AzureADMultipleOrgs';

export interface PermissionScope {
  /** GUID */
  id: string;
  /** The short name that appears in `scp`, e.g. `user_impersonation`. */
  value: string;
  /** `User`: users may consent; `Admin`: only an admin may. */
  type: 'User' | 'Admin';
  adminConsentDisplayName: string;
  adminConsentDescription: string;
  userConsentDisplayName: string;
  userConsentDescription: string;
  isEnabled: boolean;
}

export interface AppRole {
  /** GUID */
  id: string;
  /** What appears in the `roles` claim, e.g. `Tools.Read`. */
  value: string;
  displayName: string;
  description: string;
  allowedMemberTypes: ('User' | 'Application')[];
  isEnabled: boolean;
}

/** A permission the app asks for on another API ("API permissions" blade). */
export interface RequiredResourceAccess {
  /** The API's application (client) ID. */
  resourceAppId: string;
  resourceAccess: { id: string; type: 'Scope' | 'Role' }[];
}

export interface AppRegistration {
  /** Application (client) ID, a GUID. */
  appId: string;
  /** The application object's own ID (differs from appId, as in Entra). */
  id: string;
  /** The service principal's object ID in its home tenant: `oid`/`sub` of app-only tokens. */
  servicePrincipalId: string;
  tenantId: string;
  displayName: string;
  signInAudience: SignInAudience;
  /** "Allow public client flows" on the Authentication blade. */
  isFallbackPublicClient: boolean;
  /** Application ID URIs, e.g. `api://{appId}`; empty when no API is exposed. */
  identifierUris: string[];
  /** Redirect URIs per platform, as the Authentication blade groups them. */
  web: { redirectUris: string[] };
  spa: { redirectUris: string[] };
  /** Mobile and desktop applications; `http://localhost` here matches any port. */
  publicClient: { redirectUris: string[] };
  api: {
    oauth2PermissionScopes: PermissionScope[];
    /**
     * Which access tokens Entra issues for this API: 2 gives v2.0 tokens;
     * 1 and null (a new registration's value in Entra) give v1.0 tokens.
     * See `protocol/token-version.ts`.
     */
    requestedAccessTokenVersion: 1 | 2 | null;
  };
  appRoles: AppRole[];
  requiredResourceAccess: RequiredResourceAccess[];
  /** ISO 8601 */
  createdDateTime: string;
  /**
   * Set only for a managed identity: a service principal with no app
   * registration (Enterprise applications lists it, App registrations does not).
   */
  servicePrincipalType?: 'ManagedIdentity';
}

/** What is stored of a client secret: never the value, only a keyed hash. */
export interface SecretCredential {
  /** GUID, Entra's "Secret ID". */
  keyId: string;
  appId: string;
  displayName: string;
  /** First three characters of the value, as the portal shows them. */
  hint: string;
  /** ISO 8601 */
  startDateTime: string;
  /** ISO 8601 */
  endDateTime: string;
}

/** A certificate on "Certificates & secrets" (Graph's keyCredential): only its public part is kept. */
export interface KeyCredential {
  /** GUID */
  keyId: string;
  appId: string;
  displayName: string;
  type: 'AsymmetricX509Cert';
  usage: 'Verify';
  /** SHA-1 thumbprint, upper-case hex, as the portal shows it (Graph's customKeyIdentifier). */
  customKeyIdentifier: string;
  /** base64url SHA-1 and SHA-256 of the DER certificate: what a client assertion names in `x5t` / `x5t#S256`. */
  x5t: string;
  x5tS256: string;
  /** ISO 8601: the certificate's own validity. */
  startDateTime: string;
  endDateTime: string;
}

/**
 * A trust in tokens of another issuer (Graph's federatedIdentityCredential):
 * a token whose `iss`, `sub` and `aud` match may be presented as this app's
 * client assertion (workload identity federation).
 */
export interface FederatedIdentityCredential {
  /** GUID */
  id: string;
  appId: string;
  /** Unique per app, 3–120 characters. */
  name: string;
  issuer: string;
  subject: string;
  /** `api://AzureADTokenExchange` for Entra. */
  audiences: string[];
  description: string;
}

export interface User {
  /** Object ID, a GUID: `oid` in tokens. */
  id: string;
  tenantId: string;
  /** The sign-in name, e.g. `alice@contoso.test`: `preferred_username` in tokens. */
  userPrincipalName: string;
  displayName: string;
  givenName: string;
  surname: string;
  mail: string;
  jobTitle: string;
  /** A Global Administrator of its tenant: may grant admin consent, uses the portal. */
  isAdmin: boolean;
  accountEnabled: boolean;
}

/** An app role granted to a user or to an app's service principal. */
export interface AppRoleAssignment {
  /** GUID */
  id: string;
  /** A user's object ID, or an app's service principal ID. */
  principalId: string;
  principalType: 'User' | 'ServicePrincipal';
  /** The API (resource) app's appId. */
  resourceAppId: string;
  appRoleId: string;
  /** ISO 8601 */
  createdDateTime: string;
}

/** A delegated permission grant (Graph's oAuth2PermissionGrant). */
export interface PermissionGrant {
  clientAppId: string;
  /** `AllPrincipals` for admin consent on behalf of the whole tenant. */
  consentType: 'AllPrincipals' | 'Principal';
  /** The user, when consentType is `Principal`. */
  principalId: string | null;
  resourceAppId: string;
  /** Scope values (short names), e.g. `['User.Read']`. */
  scopes: string[];
}
