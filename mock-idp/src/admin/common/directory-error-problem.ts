import type { DirectoryError, DirectoryErrorCode } from '../../store/errors.ts';
import type { AdminErrorBody } from './admin-api-error.ts';

/**
 * The directory's refusals as admin API errors. The directory's message
 * already says what is wrong (and often how to fix it in the portal); the
 * `fix` here says what to do through this API. A Record, so a new
 * DirectoryError code fails the type check until it is mapped.
 */
const MAPPING: Record<DirectoryErrorCode, { status: number; fix: string }> = {
  APP_NOT_FOUND: { status: 404, fix: 'List the registrations with GET /_lab/admin/apps and use an appId from there.' },
  APP_EXISTS: { status: 409, fix: 'Leave appId and id out to get fresh random IDs (or import a manifest with ?replace=true to overwrite the existing registration).' },
  IDENTIFIER_URI_TAKEN: {
    status: 409,
    fix: "Choose another Application ID URI (api://<this app's appId> is always free), or remove it from the other app first with PATCH /_lab/admin/apps/{appId}.",
  },
  TENANT_NOT_FOUND: { status: 404, fix: 'Use a tenant ID or domain listed by GET /_lab/info (for example contoso.test).' },
  TENANT_EXISTS: { status: 409, fix: 'Pick another tenant ID and domain.' },
  USER_NOT_FOUND: { status: 404, fix: 'List the users with GET /_lab/admin/users and use an id or userPrincipalName from there.' },
  USER_EXISTS: { status: 409, fix: 'Pick another userPrincipalName, or change the existing user with PATCH /_lab/admin/users/{id}.' },
  USER_DOMAIN_MISMATCH: { status: 400, fix: "Use the tenant's domain after the @ (GET /_lab/info lists each tenant's domain), or create the user in the tenant that owns that domain." },
  PRINCIPAL_NOT_FOUND: { status: 404, fix: "Use a user's object ID (GET /_lab/admin/users) or assign the role through /_lab/admin/apps/{appId}/app-role-assignments." },
  APP_ROLE_NOT_FOUND: { status: 404, fix: "Use one of the API's app roles (GET /_lab/admin/apps/{resourceAppId} lists them), or add the role first with POST /_lab/admin/apps/{resourceAppId}/app-roles." },
  APP_ROLE_NOT_ALLOWED: { status: 400, fix: "Pick a role whose allowedMemberTypes include this kind of principal, or change the role's allowedMemberTypes with PATCH /_lab/admin/apps/{resourceAppId}." },
  CREDENTIAL_EXISTS: { status: 409, fix: 'The app already has this credential. List them with `npm run lab -- app cert list <appId>` or `npm run lab -- app fic list <appId>` (admin API: GET /_lab/admin/apps/{appId}/certificates or …/federated-credentials), and delete the old one first (`app cert delete` / `app fic delete`), or use another name.' },
  CLIENT_READ_ONLY: { status: 409, fix: 'This object is built in and cannot be changed; create your own registration instead.' },
  INVALID_INPUT: { status: 400, fix: 'Correct the value named in the message and send the request again (docs/admin-api.md shows each request body).' },
};

export function problemFromDirectoryError(error: DirectoryError): { status: number; body: AdminErrorBody } {
  const { status, fix } = MAPPING[error.code];
  return { status, body: { code: error.code, message: error.message, fix } };
}
