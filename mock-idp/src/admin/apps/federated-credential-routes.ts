import express, { type Router } from 'express';
import type { LabContext } from '../../protocol/lab-context.ts';
import { notFound } from '../common/admin-api-error.ts';
import { parseInput } from '../common/parse-input.ts';
import { traceAdmin } from '../common/trace-admin.ts';
import { FederatedCredentialInput } from './app-schemas.ts';
import { requireApp } from './require-app.ts';

/**
 * `/apps/{appId}/federated-credentials` ("Certificates & secrets › Federated
 * credentials", Graph's federatedIdentityCredentials): trust tokens of
 * another issuer, for one subject, as this app's client assertion.
 */
export function federatedCredentialRoutes(lab: LabContext): Router {
  const { directory, credentials } = lab;
  const router = express.Router();
  const reference = 'docs/admin-api.md#federated-credentials shows the request body.';

  router.post('/:appId/federated-credentials', (req, res) => {
    const input = parseInput(FederatedCredentialInput, req.body ?? {}, { what: 'The request body', reference });
    const app = requireApp(directory, req.params.appId);
    const credential = credentials.addFederated(app.appId, input);
    traceAdmin(lab, `federated credential ${credential.name} added to ${app.displayName}`, { tenantId: app.tenantId, clientId: app.appId, detail: { issuer: credential.issuer, subject: credential.subject } });
    res.status(201).location(`${req.baseUrl}/${app.appId}/federated-credentials/${credential.id}`).json(credential);
  });

  router.get('/:appId/federated-credentials', (req, res) => {
    const app = requireApp(directory, req.params.appId);
    res.set('Cache-Control', 'no-store').json({ value: credentials.federated(app.appId) });
  });

  router.delete('/:appId/federated-credentials/:id', (req, res) => {
    const app = requireApp(directory, req.params.appId);
    if (!credentials.deleteFederated(app.appId, req.params.id)) {
      throw notFound('FEDERATED_CREDENTIAL_NOT_FOUND', `"${app.displayName}" has no federated credential with the ID ${JSON.stringify(req.params.id)}.`, `List them with GET /_lab/admin/apps/${app.appId}/federated-credentials.`);
    }
    traceAdmin(lab, `federated credential deleted from ${app.displayName}`, { tenantId: app.tenantId, clientId: app.appId, detail: { id: req.params.id } });
    res.status(204).end();
  });

  return router;
}
