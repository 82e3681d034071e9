import type { RequestHandler } from 'express';
import { EntraError } from '../errors/entra-error.ts';
import type { LabContext } from '../protocol/lab-context.ts';
import { DEFAULT_SCOPE, GRAPH_INDICATOR, indicatorFor, resolveScopes, shortScope } from '../protocol/resources.ts';
import { entraLocals } from './entra-locals.ts';

function canonicalScope(oidc: string[], tokens: string[]): string {
  return [...tokens, ...oidc].join(' ');
}

/**
 * /authorize: Entra scopes → canonical scope tokens plus one `resource` per
 * API. Besides the APIs named in `scope`, the request also names Microsoft
 * Graph and every API on the app's API permissions blade, so the refresh
 * token that comes out of it can serve all of them (Entra's refresh tokens
 * are not bound to one resource); consent still decides what a token gets.
 */
export function resolveAuthorizeScopes(lab: LabContext): RequestHandler {
  return (_req, res, next) => {
    const { params, tenant, app } = entraLocals(res);
    const scope = params.get('scope');
    if (!scope?.trim()) throw new EntraError(9002313, { detail: "The request must contain the 'scope' parameter." });
    const resolved = resolveScopes(scope, lab.lookup, tenant.name);
    const tokens = [...resolved.resources.values()].flatMap((r) => r.tokens);
    params.set('scope', canonicalScope(resolved.oidc, tokens));

    const indicators = new Set<string>([...resolved.resources.keys(), GRAPH_INDICATOR]);
    for (const access of app?.requiredResourceAccess ?? []) {
      const api = access.resourceAppId === lab.lookup.graph.appId ? lab.lookup.graph : lab.lookup.appById(access.resourceAppId);
      if (api) indicators.add(indicatorFor(api, lab.lookup.graph));
    }
    params.delete('resource');
    for (const indicator of indicators) params.append('resource', indicator);
    next();
  };
}

/**
 * /token: one resource per request (AADSTS28000), and app-only requests
 * must ask for `{resource}/.default` (AADSTS1002012).
 */
export function resolveTokenScopes(lab: LabContext): RequestHandler {
  return (_req, res, next) => {
    const locals = entraLocals(res);
    const { params, tenant } = locals;
    const scope = params.get('scope');
    const grantType = params.get('grant_type');
    if (scope === null) {
      if (grantType === 'client_credentials') throw new EntraError(9002313, { detail: "The request must contain the 'scope' parameter." });
      return next();
    }
    const resolved = resolveScopes(scope, lab.lookup, tenant.name);
    const resources = [...resolved.resources.values()];
    if (resources.length > 1) throw new EntraError(28000, { scope });

    if (grantType === 'client_credentials') {
      const only = resources[0];
      const isDefault = only !== undefined && only.tokens.length === 1 && shortScope(only.tokens[0] ?? '') === DEFAULT_SCOPE;
      if (!isDefault || resolved.oidc.length) {
        throw new EntraError(1002012, { scope, resource: only ? only.resource.indicator : 'api://{appId}' });
      }
    }
    const tokens = resources[0]?.tokens ?? [];
    if (resources[0]) locals.audience = { indicator: resources[0].resource.indicator, named: resources[0].named };
    params.set('scope', canonicalScope(resolved.oidc, tokens));
    params.delete('resource');
    params.set('resource', resources[0]?.resource.indicator ?? GRAPH_INDICATOR);
    next();
  };
}
