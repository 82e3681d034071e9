import { AdminApiError, type ProblemDetail } from '../admin/common/admin-api-error.ts';
import { DirectoryError } from '../store/errors.ts';
import type { FormProblem } from './forms.ts';

/**
 * The admin code's refusals (its rules, its input schemas, the directory's
 * checks) as problems on a portal form. The messages are the admin API's,
 * which use Entra's wording where Entra has one; only fixes that tell an
 * API caller which route to call are said the portal's way here.
 */

/** Fixes for the portal, for codes whose admin API fix names an API route or request field. */
const PORTAL_FIXES: Readonly<Record<string, string>> = {
  REDIRECT_URI_DUPLICATE: 'Keep the existing entry, or remove it from the other platform on this page first if the app really is that kind of app.',
  IDENTIFIER_URI_TAKEN: "Choose another Application ID URI: api://<this app's Application (client) ID> is always free.",
  IDENTIFIER_URI_REQUIRED: 'Set the Application ID URI first (Expose an API › Application ID URI).',
  SCOPE_NOT_FOUND: 'Reload the page and pick one of the permissions it lists; the API no longer offers this one.',
  APP_ROLE_NOT_FOUND: "Reload the page and pick one of the roles it lists; roles are created on the API's App roles blade.",
  APP_ROLE_NOT_ALLOWED: "Pick another role, or change who may hold this one on the API's App roles blade.",
  RESOURCE_APP_NOT_FOUND: 'Reload the page: that API no longer exists in this directory.',
  RESOURCE_APP_ID_EXPECTED: 'Pick the API from the list on "Add a permission".',
  NO_PERMISSIONS_REQUESTED: 'Add permissions first with "Add a permission", then grant consent for them.',
  PERMISSION_NOT_FOUND: 'Reload the page: the permission is no longer listed.',
  SECRET_END_IN_PAST: 'Pick a date in the future, or one of the listed lifetimes (180 days is recommended).',
  SECRET_NOT_FOUND: 'Reload the page: the secret was already deleted.',
  REDIRECT_URI_NOT_FOUND: 'Reload the page: the redirect URI was already removed.',
  ASSIGNMENT_NOT_FOUND: 'Reload the page: the assignment was already removed.',
  USER_NOT_FOUND: 'Pick a user from the list (reload the page if it changed).',
  PRINCIPAL_NOT_FOUND: 'Pick a user from the list (reload the page if it changed).',
  INVALID_INPUT: 'Correct the value named in the message and try again.',
};

/** An admin API fix that speaks to an API caller (routes, JSON field names) rather than to someone at a form. */
const API_SPEAK = /\/_lab\/admin|\b(GET|POST|PATCH|DELETE) \/|expiresInDays|identifierUris|allowedMemberTypes|\bsend\b/i;

/** Codes from zod (the admin API's input schemas) are lower-case; the rules' codes are upper-case. */
function isSchemaIssue(code: string): boolean {
  return /^[a-z_]+$/.test(code);
}

function portalFix(code: string, message: string, fix: string, label: string | undefined): string {
  if (isSchemaIssue(code)) return /must not be empty/.test(message) ? `Fill in ${label ?? 'the value'}.` : `Change ${label ?? 'the value'} as the message says, and try again.`;
  return API_SPEAK.test(fix) ? (PORTAL_FIXES[code] ?? fix) : fix;
}

/** The last name in a JSON path: `web.redirectUris[0]` → `redirectUris`, `value` → `value`. */
function lastName(path: string): string {
  const names = path.match(/[A-Za-z_$][\w$]*/g);
  return names?.[names.length - 1] ?? '';
}

/** Strips the `<path>: ` (or `<path> `) the admin code puts in front of a message: the portal names the field by its label instead. */
function withoutPath(message: string, path: string): string {
  if (path === '') return message;
  // "endDateTime 2029-… is more than 24 months away": the API names its field first.
  if (message.startsWith(`${path} `)) return message.slice(path.length + 1);
  const at = message.indexOf(`${path}: `);
  return at >= 0 ? message.slice(at + path.length + 2) : message;
}

/**
 * Problems for a form, or undefined when `error` is not a refusal (then it
 * is a bug, and goes to the error handler). `fields` maps the last name of
 * an admin path (`redirectUris`, `value`) to the form field it came from;
 * `labels` are the form's field labels (for schema problems' fixes).
 */
export function formProblems(error: unknown, fields: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>> = {}): FormProblem[] | undefined {
  const toProblem = (detail: Pick<ProblemDetail, 'path' | 'code' | 'message' | 'fix'>): FormProblem => {
    const field = fields[lastName(detail.path)];
    const label = field ? labels[field] : undefined;
    let message = withoutPath(detail.message, detail.path);
    // Schema messages are fragments ("must not be empty"): name the field in front when the form cannot.
    if (isSchemaIssue(detail.code) && !field) message = `${lastName(detail.path) || 'The form'}: ${message}`;
    return { ...(field ? { field } : {}), message, fix: portalFix(detail.code, message, detail.fix, label) };
  };
  if (error instanceof AdminApiError) {
    const details = error.body.details ?? [{ path: error.body.path ?? '', code: error.body.code, message: error.body.message, fix: error.body.fix }];
    return details.map(toProblem);
  }
  if (error instanceof DirectoryError) {
    return [{ message: error.message, fix: PORTAL_FIXES[error.code] ?? 'Correct it and try again.' }];
  }
  return undefined;
}
