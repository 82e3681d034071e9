import express, { type Router } from 'express';
import type { LabContext } from '../../protocol/lab-context.ts';
import { badRequest, notFound } from '../common/admin-api-error.ts';
import { parseInput } from '../common/parse-input.ts';
import { traceAdmin } from '../common/trace-admin.ts';
import { MAX_SECRET_DAYS, SecretInput } from './app-schemas.ts';
import { secretView } from './app-view.ts';
import { requireApp } from './require-app.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The portal's recommended lifetime, and its default. */
const DEFAULT_DAYS = 180;

/**
 * When a new secret expires (epoch ms): `endDateTime`, else `expiresInDays`
 * from now (180 by default); a 400 when that is not in the future or is
 * more than 24 months away. Exported for the portal's "New client secret".
 */
export function secretEndTime(input: { endDateTime?: string | undefined; expiresInDays?: number | undefined }, now = Date.now()): number {
  const end = input.endDateTime ? Date.parse(input.endDateTime) : now + (input.expiresInDays ?? DEFAULT_DAYS) * DAY_MS;
  if (end <= now) {
    throw badRequest('SECRET_END_IN_PAST', `endDateTime ${input.endDateTime ?? ''} is not in the future.`, 'Pick a future date, or send expiresInDays instead (180 is the recommended lifetime).', 'endDateTime');
  }
  // A day of slack: "24 months from now" computed by the caller a moment ago must still pass.
  if (end > now + (MAX_SECRET_DAYS + 1) * DAY_MS) {
    throw badRequest('SECRET_LIFETIME_TOO_LONG', `endDateTime ${input.endDateTime ?? ''} is more than 24 months away; the portal offers at most 24 months.`, 'Pick a date within 730 days (180 days is the recommended lifetime).', 'endDateTime');
  }
  return end;
}

/**
 * `/apps/{appId}/secrets` ("Certificates & secrets"). The value exists in
 * exactly one place: the response to the POST that made it. The directory
 * keeps only a keyed hash, and nothing here logs or traces the value.
 */
export function secretRoutes(lab: LabContext): Router {
  const { directory } = lab;
  const router = express.Router();

  router.post('/:appId/secrets', (req, res) => {
    const input = parseInput(SecretInput, req.body ?? {}, { what: 'The request body', reference: 'docs/admin-api.md#secrets shows the request body.' });
    const app = requireApp(directory, req.params.appId);
    const end = secretEndTime(input);
    const { credential, secretText } = directory.addSecret(app.appId, { displayName: input.displayName, endDateTime: new Date(end).toISOString() });
    traceAdmin(lab, `secret added to ${app.displayName}`, { tenantId: app.tenantId, clientId: app.appId, detail: { keyId: credential.keyId, endDateTime: credential.endDateTime } });
    res
      .status(201)
      .set('Cache-Control', 'no-store')
      .location(`${req.baseUrl}/${app.appId}/secrets/${credential.keyId}`)
      .json({ ...secretView(credential), secretText, note: 'Copy secretText now: it is shown only in this response and cannot be read again.' });
  });

  router.get('/:appId/secrets', (req, res) => {
    const app = requireApp(directory, req.params.appId);
    res.set('Cache-Control', 'no-store').json({ value: directory.secrets(app.appId).map(secretView) });
  });

  router.delete('/:appId/secrets/:keyId', (req, res) => {
    const app = requireApp(directory, req.params.appId);
    if (!directory.deleteSecret(app.appId, req.params.keyId)) {
      throw notFound('SECRET_NOT_FOUND', `"${app.displayName}" has no secret with the key ID ${JSON.stringify(req.params.keyId)}.`, `List its secrets with GET /_lab/admin/apps/${app.appId}/secrets.`);
    }
    traceAdmin(lab, `secret deleted from ${app.displayName}`, { tenantId: app.tenantId, clientId: app.appId, detail: { keyId: req.params.keyId } });
    res.status(204).end();
  });

  return router;
}
