import type { AppRegistration } from '../directory/types.ts';
import { EntraError } from '../errors/entra-error.ts';

/**
 * Entra scope syntax → the resource (API) a token is for.
 *
 * Entra has no `resource` parameter in its v2.0 endpoints: the API is named
 * inside each scope (`api://{appId}/Files.Read`, `{appId}/.default`,
 * `https://graph.microsoft.com/User.Read`, or plain `User.Read` for Graph).
 * oidc-provider speaks RFC 8707 resource indicators instead, so every
 * request's scopes are resolved here into one canonical form:
 *
 * - a custom API's indicator is `api://{appId}` and its scope tokens are
 *   `api://{appId}/{value}` (whatever Application ID URI the client used);
 * - Microsoft Graph's indicator is `https://graph.microsoft.com` and its
 *   scope tokens are short (`User.Read`), as Entra writes them back.
 */

export const OIDC_SCOPES: ReadonlySet<string> = new Set(['openid', 'profile', 'email', 'offline_access']);
export const GRAPH_INDICATOR = 'https://graph.microsoft.com';
export const DEFAULT_SCOPE = '.default';

export interface ApiResource {
  indicator: string;
  app: AppRegistration;
  isGraph: boolean;
}

export interface ResourceLookup {
  graph: AppRegistration;
  /** An app registration that exposes an API, by appId or Application ID URI. */
  appById(appId: string): AppRegistration | undefined;
  appByIdentifierUri(uri: string): AppRegistration | undefined;
}

export interface ResolvedScopes {
  /** OpenID Connect scopes (`openid profile email offline_access`). */
  oidc: string[];
  /**
   * Canonical scope tokens per resource indicator, in request order, and the
   * identifier the client first named the API by (a v1.0 token's `aud`).
   */
  resources: Map<string, { resource: ApiResource; tokens: string[]; named: string }>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function indicatorFor(app: AppRegistration, graph: AppRegistration): string {
  return app.appId === graph.appId ? GRAPH_INDICATOR : `api://${app.appId}`;
}

/** The inverse of `indicatorFor`: which API an indicator (or audience) names. */
export function resourceByIndicator(indicator: string, lookup: ResourceLookup): ApiResource | undefined {
  if (indicator.toLowerCase() === GRAPH_INDICATOR) {
    return { indicator: GRAPH_INDICATOR, app: lookup.graph, isGraph: true };
  }
  const match = /^api:\/\/([0-9a-f-]{36})$/i.exec(indicator);
  const app = match?.[1] ? lookup.appById(match[1]) : undefined;
  return app ? { indicator: `api://${app.appId}`, app, isGraph: false } : undefined;
}

function apiByPrefix(prefix: string, lookup: ResourceLookup): ApiResource | undefined {
  const lower = prefix.toLowerCase();
  if (lower === GRAPH_INDICATOR || lower === lookup.graph.appId) {
    return { indicator: GRAPH_INDICATOR, app: lookup.graph, isGraph: true };
  }
  const app = GUID.test(prefix) ? lookup.appById(prefix) : lookup.appByIdentifierUri(prefix);
  return app ? { indicator: `api://${app.appId}`, app, isGraph: false } : undefined;
}

function enabledScopeValues(app: AppRegistration): Set<string> {
  return new Set(app.api.oauth2PermissionScopes.filter((s) => s.isEnabled).map((s) => s.value));
}

/** Every scope token oidc-provider may grant for a resource. */
export function scopeTokensOf(resource: ApiResource): string[] {
  const values = [...enabledScopeValues(resource.app)];
  if (resource.isGraph) return [...values, ...OIDC_SCOPES, `${GRAPH_INDICATOR}/${DEFAULT_SCOPE}`];
  return [...values.map((v) => `${resource.indicator}/${v}`), `${resource.indicator}/${DEFAULT_SCOPE}`];
}

/** The value Entra puts in `scp` for a canonical token (`api://x/Files.Read` → `Files.Read`). */
export function shortScope(token: string): string {
  const slash = token.lastIndexOf('/');
  return slash === -1 ? token : token.slice(slash + 1);
}

/**
 * How the client named the API: its appId (GUID form) or the Application ID
 * URI as registered (matched case-insensitively); Graph's URI for Graph's
 * short scopes (`User.Read`).
 */
function namedIdentifier(resource: ApiResource, prefix: string): string {
  if (GUID.test(prefix)) return resource.app.appId;
  if (resource.isGraph) return GRAPH_INDICATOR;
  return resource.app.identifierUris.find((u) => u.toLowerCase() === prefix.toLowerCase()) ?? prefix;
}

function canonicalToken(resource: ApiResource, value: string): string {
  if (resource.isGraph) return value === DEFAULT_SCOPE ? `${GRAPH_INDICATOR}/${DEFAULT_SCOPE}` : value;
  return `${resource.indicator}/${value}`;
}

/**
 * Parses a space-separated Entra `scope` parameter. Throws AADSTS500011 for an
 * API that is not registered and AADSTS70011 for a scope the API does not expose.
 */
export function resolveScopes(scopeParam: string, lookup: ResourceLookup, tenantName: string): ResolvedScopes {
  const result: ResolvedScopes = { oidc: [], resources: new Map() };
  const add = (resource: ApiResource, token: string, named: string): void => {
    const entry = result.resources.get(resource.indicator) ?? { resource, tokens: [], named };
    if (!entry.tokens.includes(token)) entry.tokens.push(token);
    result.resources.set(resource.indicator, entry);
  };

  for (const raw of scopeParam.split(' ').filter(Boolean)) {
    if (OIDC_SCOPES.has(raw.toLowerCase())) {
      const scope = raw.toLowerCase();
      if (!result.oidc.includes(scope)) result.oidc.push(scope);
      continue;
    }
    const slash = raw.lastIndexOf('/');
    const prefix = slash === -1 ? GRAPH_INDICATOR : raw.slice(0, slash);
    const value = slash === -1 ? raw : raw.slice(slash + 1);
    const resource = apiByPrefix(prefix, lookup);
    if (!resource) throw new EntraError(500011, { resource: prefix, tenantName });
    if (value !== DEFAULT_SCOPE) {
      // Scope values are case-insensitive in Entra; answer with the registered spelling.
      const registered = [...enabledScopeValues(resource.app)].find((v) => v.toLowerCase() === value.toLowerCase());
      if (!registered) throw new EntraError(70011, { scope: raw });
      add(resource, canonicalToken(resource, registered), namedIdentifier(resource, prefix));
    } else {
      add(resource, canonicalToken(resource, value), namedIdentifier(resource, prefix));
    }
  }
  return result;
}
