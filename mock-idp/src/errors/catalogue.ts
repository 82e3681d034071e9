/**
 * The Entra ID errors this identity provider can return, keyed by AADSTS code.
 *
 * `description` is Entra's own wording (learners paste it into a search
 * engine, so it must match what the real service says); `cause` and `fix`
 * are ours: what the learner did and what to change. The browser-facing
 * error page shows all three; JSON responses carry Entra's shape plus our
 * `lab_fix` hint, which real clients ignore.
 */

export interface CatalogueEntry {
  /** OAuth error code in the `error` field. */
  error: string;
  status: number;
  /** Entra's message, with `{name}` placeholders filled from the error's details. */
  description: string;
  cause: string;
  fix: string;
}

export const CATALOGUE = {
  50011: {
    error: 'invalid_request',
    status: 400,
    description:
      "The redirect URI '{redirectUri}' specified in the request does not match the redirect URIs configured for the application '{clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.",
    cause: 'The app asked to send the user back to an address that is not registered for it.',
    fix: "Add '{redirectUri}' under Authentication → Platform configurations of the app registration (Web for a server, Mobile and desktop for a local app), or change REDIRECT_URI in your .env to a registered one.",
  },
  50126: {
    error: 'invalid_grant',
    status: 400,
    description: 'Error validating credentials due to invalid username or password.',
    cause: 'The password does not match the user name.',
    fix: 'Check the user name and password. The test users and their passwords are listed by `npm start` and at /_lab/info.',
  },
  50034: {
    error: 'invalid_grant',
    status: 400,
    description: 'The user account {username} does not exist in the {tenantName} directory. To sign into this application, the account must be added to the directory.',
    cause: 'There is no user with that name in this tenant.',
    fix: 'Check the spelling. The test users are listed by `npm start` and at /_lab/info.',
  },
  50057: {
    error: 'invalid_grant',
    status: 400,
    description: 'The user account is disabled.',
    cause: 'An administrator disabled this user account.',
    fix: 'Sign in as another test user, or enable the account again.',
  },
  50020: {
    error: 'invalid_request',
    status: 400,
    description:
      "User account '{username}' from identity provider '{userIssuer}' does not exist in tenant '{tenantName}' and cannot access the application '{clientId}' in that tenant.",
    cause: 'The user belongs to another tenant, and this app only accepts users of its own tenant.',
    fix: 'Sign in with a user of this tenant, or make the app multi-tenant (Supported account types) if other organisations should use it.',
  },
  54005: {
    error: 'invalid_grant',
    status: 400,
    description: 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    cause: 'An authorization code can be exchanged for tokens only once.',
    fix: 'Start the sign-in again to get a new code. If your server exchanges the code twice, make sure the callback handler runs once per request.',
  },
  70008: {
    error: 'invalid_grant',
    status: 400,
    description: 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    cause: 'The code or refresh token is expired, was revoked, or was never issued by this tenant.',
    fix: 'Sign the user in again. A refresh token stops working when it expires or when the user’s sessions are revoked.',
  },
  70011: {
    error: 'invalid_scope',
    status: 400,
    description: "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope {scope} is not valid.",
    cause: 'A requested scope is not exposed by the API it names, or is spelled wrong.',
    fix: 'Use a scope the API exposes (Expose an API blade), fully qualified: api://{appId}/{scope}, or User.Read for Microsoft Graph.',
  },
  28000: {
    error: 'invalid_scope',
    status: 400,
    description: 'Provided value for the input parameter scope is not valid because it contains more than one resource. Scope {scope} is not valid.',
    cause: 'One token request named scopes of two different APIs; an access token is for one audience only.',
    fix: 'Request the scopes of one API per token request (for example User.Read first, then api://…/scope in a second request).',
  },
  1002012: {
    error: 'invalid_scope',
    status: 400,
    description: "The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).",
    cause: 'An app-only (client credentials) request asked for a named scope; app-only tokens carry app roles, not scopes.',
    fix: 'Request {resource}/.default, and grant the app the application permission (app role) it needs.',
  },
  90002: {
    error: 'invalid_request',
    status: 400,
    description: "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.",
    cause: 'The tenant in the authority URL does not exist.',
    fix: 'Set TENANT_ID to the Directory (tenant) ID shown on the app’s Overview blade; the lab’s tenants are listed at /_lab/info.',
  },
  700016: {
    error: 'unauthorized_client',
    status: 400,
    description:
      "Application with identifier '{clientId}' was not found in the directory '{tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
    cause: 'No app registration with this client ID exists in this tenant.',
    fix: 'Copy the Application (client) ID from the app’s Overview blade into CLIENT_ID, and check that TENANT_ID is the tenant the app was registered in.',
  },
  7000215: {
    error: 'invalid_client',
    status: 401,
    description:
      "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.",
    cause: 'The client secret does not match any secret of this app.',
    fix: 'Copy the secret’s Value (shown once, when it is created) into CLIENT_SECRET — not its Secret ID. If it is lost, create a new secret.',
  },
  7000222: {
    error: 'invalid_client',
    status: 401,
    description: "The provided client secret keys for app '{clientId}' are expired. Visit the Azure portal to create new keys for your app.",
    cause: 'The client secret has passed its expiry date.',
    fix: 'Create a new secret under Certificates & secrets, put its value in CLIENT_SECRET, and delete the expired one.',
  },
  // Client assertions (certificates: learn.microsoft.com/entra/identity-platform/certificate-credentials; codes as the
  // Azure SDK troubleshooting guide lists them: learn.microsoft.com/azure/developer/java/sdk/troubleshooting-authentication-service-principal).
  700027: {
    error: 'invalid_client',
    status: 401,
    description:
      "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - {reason}, Thumbprint of key used by client: '{thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{clientId}'.]",
    cause: 'The client assertion names a certificate the app does not have, or its signature does not verify with that certificate.',
    fix: 'Upload the certificate (its public part) under Certificates & secrets › Certificates (or `mcp-lab app cert add {clientId} --pem FILE`), and sign with its private key; the header must name it in x5t#S256 (or x5t).',
  },
  700021: {
    error: 'invalid_client',
    status: 401,
    description: "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .",
    cause: 'The assertion’s iss or sub is not the client ID the request names.',
    fix: 'Set both iss and sub of the client assertion to the application (client) ID {clientId}.',
  },
  700023: {
    error: 'invalid_client',
    status: 401,
    description: "Client assertion audience claim does not match Realm issuer. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .",
    cause: "The assertion's aud ({audience}) is not this tenant's token endpoint.",
    fix: 'Set aud to the token endpoint the request goes to: {tokenEndpoint}.',
  },
  700024: {
    error: 'invalid_client',
    status: 401,
    description:
      'Client assertion is not within its valid time range. Current time: {now}, assertion valid from {validFrom}, expiry time of assertion {expiry}. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .',
    cause: 'The client assertion has expired (or is not valid yet).',
    fix: 'Make a new assertion for each request (MSAL and @azure/identity do), or get a fresh federated token; check the clock.',
  },
  // Workload identity federation (codes as Entra returns them, e.g. in Azure/azure-workload-identity's troubleshooting guide).
  70021: {
    error: 'invalid_request',
    status: 400,
    description: "No matching federated identity record found for presented assertion. Assertion Issuer: '{issuer}'. Assertion Subject: '{subject}'. Assertion Audience: '{audience}'.",
    cause: "None of the app's federated credentials trusts this issuer and subject.",
    fix: "Add a federated credential to app {clientId} with exactly this issuer and subject (Certificates & secrets › Federated credentials, or `mcp-lab app fic add`).",
  },
  700211: {
    error: 'invalid_request',
    status: 400,
    description: "No matching federated identity record found for presented assertion issuer '{issuer}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.",
    cause: "None of the app's federated credentials names this issuer.",
    fix: 'Add a federated credential whose issuer is exactly {issuer}.',
  },
  700212: {
    error: 'invalid_request',
    status: 400,
    description: "No matching federated identity record found for presented assertion audience '{audience}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.",
    cause: "The federated token's aud is not one of the credential's audiences.",
    fix: 'Ask the issuer for a token with audience api://AzureADTokenExchange (the credential’s audience).',
  },
  7000218: {
    error: 'invalid_client',
    status: 401,
    description: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    cause: 'The app sent no credential, and public client flows are not allowed for it.',
    fix: 'For a local app, set "Allow public client flows" to Yes on the Authentication blade. For a server, send its client secret.',
  },
  501481: {
    error: 'invalid_grant',
    status: 400,
    description: 'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    cause: 'The PKCE code_verifier sent with the code is not the one whose hash was sent to /authorize.',
    fix: 'Send the code_verifier generated for this sign-in (MSAL does this for you when you pass its pkceCodes along).',
  },
  65001: {
    error: 'invalid_grant',
    status: 400,
    description: "The user or administrator has not consented to use the application with ID '{clientId}' named '{appName}'. Send an interactive authorization request for this user and resource.",
    cause: 'The user has not consented to these permissions for this app.',
    fix: 'Sign the user in interactively so they can consent, or grant admin consent on the API permissions blade.',
  },
  65004: {
    error: 'access_denied',
    status: 400,
    description: 'User declined to consent to access the app.',
    cause: 'The user chose Cancel on the consent page.',
    fix: 'Try again and accept the requested permissions, or ask fewer permissions.',
  },
  9002313: {
    error: 'invalid_request',
    status: 400,
    description: 'Invalid request. Request is malformed or invalid. - The issue here is because there was something wrong with the request to a certain endpoint. {detail}',
    cause: 'The request is missing a parameter or has a malformed one.',
    fix: 'Check the request parameters against the Microsoft identity platform documentation. Detail: {detail}',
  },
  50058: {
    error: 'login_required',
    status: 400,
    description: 'A silent sign-in request was sent but no user is signed in.',
    cause: 'prompt=none was used but nobody is signed in to the identity provider in this browser.',
    fix: 'Send an interactive sign-in request instead.',
  },
  500011: {
    error: 'invalid_resource',
    status: 400,
    description: "The resource principal named {resource} was not found in the tenant named {tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.",
    cause: 'The scope names an API (Application ID URI) that is not registered in this tenant.',
    fix: 'Check the Application ID URI on the API’s Expose an API blade and use it as the scope prefix: api://{appId}/{scope}.',
  },
  50194: {
    error: 'invalid_request',
    status: 400,
    description: "Application '{clientId}'({appName}) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.",
    cause: 'A single-tenant app used the /common or /organizations authority.',
    fix: 'Use https://<host>/<your tenant ID> as the authority (AUTHORITY_HOST plus TENANT_ID).',
  },
  70000: {
    error: 'invalid_grant',
    status: 400,
    description: 'Provided grant is invalid or malformed. {detail}',
    cause: 'The code or refresh token is not one this tenant issued to this app, or it was revoked.',
    fix: 'Sign the user in again to get a fresh code or refresh token.',
  },
  500112: {
    error: 'invalid_grant',
    status: 400,
    description: 'The reply address does not match the reply address provided when requesting Authorization code.',
    cause: 'The redirect_uri sent with the code differs from the one sent to /authorize.',
    fix: 'Send exactly the same redirect_uri to /authorize and to /token.',
  },
  70016: {
    error: 'authorization_pending',
    status: 400,
    description: 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
    cause: 'The user has not finished signing in on the other device yet.',
    fix: 'Keep polling at the interval the device code response gave (MSAL does this for you).',
  },
  70019: {
    error: 'expired_token',
    status: 400,
    description: 'Verification code expired.',
    cause: 'The device code expired before the user signed in (15 minutes).',
    fix: 'Start the sign-in again to get a new code, and enter it sooner.',
  },
  50013: {
    error: 'invalid_grant',
    status: 400,
    description: 'Assertion failed signature validation. [Reason - {reason}]',
    cause: 'The token sent as the on-behalf-of assertion is not one this API may exchange.',
    fix: 'Send the access token your API received, issued for your API (aud = your app ID), not a token for another API or Microsoft Graph.',
  },
} as const satisfies Record<number, CatalogueEntry>;

export type AadstsCode = keyof typeof CATALOGUE;
