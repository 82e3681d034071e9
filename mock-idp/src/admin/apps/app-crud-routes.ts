import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import type { z } from 'zod';
import type { AppRegistration } from '../../directory/types.ts';
import type { Directory } from '../../store/directory.ts';
import type { LabContext } from '../../protocol/lab-context.ts';
import { parseInput } from '../common/parse-input.ts';
import { tenantFromQuery } from '../common/tenant-query.ts';
import { traceAdmin } from '../common/trace-admin.ts';
import { AppPatchInput, NewAppInput } from './app-schemas.ts';
import { appView } from './app-view.ts';
import { requireApp } from './require-app.ts';
import { assertValidRegistration } from './validate-registration.ts';

const REFERENCE = 'docs/admin-api.md#apps shows the request body.';

/**
 * The registration `POST /apps` is about to validate and store: the input
 * with Entra's defaults and fresh random IDs. Exported for the portal's
 * "New registration", which goes through the same steps.
 */
export function newRegistration(directory: Directory, input: z.output<typeof NewAppInput>): AppRegistration {
  const { tenantId, api, ...fields } = input;
  const home = directory.tenants().find((t) => t.home);
  // The candidate gets its appId now, so that rules can name api://{appId} and self-references resolve.
  return {
    appId: randomUUID(),
    id: randomUUID(),
    servicePrincipalId: randomUUID(),
    tenantId: tenantId ?? home?.id ?? '',
    signInAudience: 'AzureADMyOrg',
    isFallbackPublicClient: false,
    identifierUris: [],
    web: { redirectUris: [] },
    spa: { redirectUris: [] },
    publicClient: { redirectUris: [] },
    appRoles: [],
    requiredResourceAccess: [],
    createdDateTime: new Date().toISOString(),
    ...fields,
    // Entra's default for a new registration: null, which gives v1.0 access tokens.
    api: { oauth2PermissionScopes: api?.oauth2PermissionScopes ?? [], requestedAccessTokenVersion: api?.requestedAccessTokenVersion ?? null },
  };
}

/** `GET|POST /apps`, `GET|PATCH|DELETE /apps/{appId}`. */
export function appCrudRoutes(lab: LabContext): Router {
  const { directory } = lab;
  const router = express.Router();

  router.get('/', (req, res) => {
    const tenant = tenantFromQuery(directory, req.query.tenant);
    res.set('Cache-Control', 'no-store').json({ value: directory.apps(tenant?.id).map((app) => appView(directory, app)) });
  });

  router.post('/', (req, res) => {
    const input = parseInput(NewAppInput, req.body, { what: 'The request body', reference: REFERENCE });
    const candidate = newRegistration(directory, input);
    assertValidRegistration(lab, candidate, 'The registration is not valid');
    const app = directory.createApp(candidate);
    traceAdmin(lab, `app registered: ${app.displayName}`, { tenantId: app.tenantId, clientId: app.appId });
    res.status(201).location(`${req.baseUrl}/${app.appId}`).json(appView(directory, app));
  });

  router.get('/:appId', (req, res) => {
    res.set('Cache-Control', 'no-store').json(appView(directory, requireApp(directory, req.params.appId)));
  });

  router.patch('/:appId', (req, res) => {
    const patch = parseInput(AppPatchInput, req.body, { what: 'The request body', reference: REFERENCE });
    const current = requireApp(directory, req.params.appId);
    const { api, ...fields } = patch;
    const candidate: AppRegistration = { ...current, ...fields, api: { ...current.api, ...api } };
    assertValidRegistration(lab, candidate, 'The change would make the registration invalid');
    const app = directory.updateApp(current.appId, patch);
    traceAdmin(lab, `app changed: ${app.displayName}`, { tenantId: app.tenantId, clientId: app.appId, detail: { fields: Object.keys(patch) } });
    res.json(appView(directory, app));
  });

  router.delete('/:appId', (req, res) => {
    const app = requireApp(directory, req.params.appId);
    directory.deleteApp(app.appId);
    traceAdmin(lab, `app deleted: ${app.displayName}`, { tenantId: app.tenantId, clientId: app.appId });
    res.status(204).end();
  });

  return router;
}
