import type { AppRegistration } from '../../directory/types.ts';
import type { ProblemDetail } from '../common/admin-api-error.ts';
import { checkRedirectUriLists } from './redirect-uri-rules.ts';

/** The parts of a registration these rules look at. */
export type RegistrationShape = Pick<AppRegistration, 'appId' | 'identifierUris' | 'web' | 'spa' | 'publicClient' | 'api' | 'appRoles'>;

/** Schemes Entra accepts for an Application ID URI. */
const IDENTIFIER_URI_SCHEMES = new Set(['api:', 'https:', 'urn:', 'ms-appx:']);

function identifierUriProblem(uri: string, appId: string): Omit<ProblemDetail, 'path'> | undefined {
  const example = `api://${appId}`;
  if (uri.includes('*')) return { code: 'IDENTIFIER_URI_INVALID', message: `Application ID URIs cannot contain wildcards: ${uri}.`, fix: `Use ${example}.` };
  const parsed = URL.parse(uri);
  if (!parsed || !IDENTIFIER_URI_SCHEMES.has(parsed.protocol)) {
    return {
      code: 'IDENTIFIER_URI_INVALID',
      message: `${uri} is not a valid Application ID URI: it must be an absolute URI with the scheme api, https, urn or ms-appx.`,
      fix: `Use ${example} (what the portal's "Add" button suggests).`,
    };
  }
  if (uri.includes('#') || parsed.search !== '') {
    return { code: 'IDENTIFIER_URI_INVALID', message: `Application ID URIs cannot contain a query or a fragment: ${uri}.`, fix: `Use ${example}.` };
  }
  return undefined;
}

function duplicates<T>(items: readonly T[], key: (item: T) => string): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  items.forEach((item, index) => {
    const k = key(item);
    if (seen.has(k)) out.push(index);
    seen.add(k);
  });
  return out;
}

/**
 * Everything Entra would refuse in this registration that needs no lookup
 * elsewhere: redirect URIs, Application ID URIs, and duplicate scope or
 * role values and IDs. Paths are Graph's (`web.redirectUris[1]`), which are
 * also the request body's and the manifest's.
 */
export function registrationProblems(app: RegistrationShape): ProblemDetail[] {
  const problems: ProblemDetail[] = checkRedirectUriLists(app).map((v) => ({
    path: `${v.platform}.redirectUris[${v.index}]`,
    code: v.code,
    message: v.message,
    fix: v.fix,
  }));

  app.identifierUris.forEach((uri, i) => {
    const problem = identifierUriProblem(uri, app.appId);
    if (problem) problems.push({ path: `identifierUris[${i}]`, ...problem });
  });
  for (const i of duplicates(app.identifierUris, (u) => u.toLowerCase())) {
    problems.push({ path: `identifierUris[${i}]`, code: 'IDENTIFIER_URI_DUPLICATE', message: `${app.identifierUris[i]} is listed twice.`, fix: 'Remove the copy.' });
  }

  const scopes = app.api.oauth2PermissionScopes;
  for (const i of duplicates(scopes, (s) => s.value.toLowerCase())) {
    problems.push({
      path: `api.oauth2PermissionScopes[${i}].value`,
      code: 'SCOPE_VALUE_DUPLICATE',
      message: `The app already exposes a scope with the value ${scopes[i]?.value}; scope values must be unique within an app.`,
      fix: 'Pick another value, or change the existing scope instead.',
    });
  }
  for (const i of duplicates(app.appRoles, (r) => r.value.toLowerCase())) {
    problems.push({
      path: `appRoles[${i}].value`,
      code: 'APP_ROLE_VALUE_DUPLICATE',
      message: `The app already defines an app role with the value ${app.appRoles[i]?.value}; app role values must be unique within an app.`,
      fix: 'Pick another value, or change the existing role instead.',
    });
  }
  // Scopes and roles share one ID space in Entra (both are "permissions" of the API).
  const ids = [...scopes.map((s, i) => ({ id: s.id, path: `api.oauth2PermissionScopes[${i}].id` })), ...app.appRoles.map((r, i) => ({ id: r.id, path: `appRoles[${i}].id` }))];
  for (const i of duplicates(ids, (x) => x.id.toLowerCase())) {
    const entry = ids[i];
    if (!entry) continue;
    problems.push({
      path: entry.path,
      code: 'PERMISSION_ID_DUPLICATE',
      message: `The ID ${entry.id} is already used by another scope or app role of this app.`,
      fix: 'Leave id out to get a fresh GUID.',
    });
  }
  if (scopes.length > 0 && app.identifierUris.length === 0) {
    problems.push({
      path: 'identifierUris',
      code: 'IDENTIFIER_URI_REQUIRED',
      message: 'An app that exposes scopes needs an Application ID URI: clients ask for its scopes as <Application ID URI>/<scope>.',
      fix: `Add api://${app.appId} to identifierUris (POST /_lab/admin/apps/{appId}/scopes sets it for you, like the portal's "Add" button).`,
    });
  }
  return problems;
}
