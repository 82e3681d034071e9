import express, { type Router } from 'express';
import type { KeyCredential } from '../../directory/types.ts';
import type { LabContext } from '../../protocol/lab-context.ts';
import { notFound } from '../common/admin-api-error.ts';
import { parseInput } from '../common/parse-input.ts';
import { traceAdmin } from '../common/trace-admin.ts';
import { CertificateInput } from './app-schemas.ts';
import { requireApp } from './require-app.ts';

/** A keyCredential as Graph lists it (the public key itself is not repeated: `key: null`, as Graph answers a list). */
function certificateView(c: KeyCredential) {
  return {
    keyId: c.keyId,
    displayName: c.displayName,
    type: c.type,
    usage: c.usage,
    customKeyIdentifier: c.customKeyIdentifier,
    key: null,
    startDateTime: c.startDateTime,
    endDateTime: c.endDateTime,
    /** Ours: what a client assertion's header names. */
    thumbprints: { x5t: c.x5t, 'x5t#S256': c.x5tS256 },
  };
}

/**
 * `/apps/{appId}/certificates` ("Certificates & secrets › Certificates"):
 * upload a certificate's public part; an assertion signed with its private
 * key then authenticates the app (entra/verify-client-assertion.ts). The
 * private key is never sent here.
 */
export function certificateRoutes(lab: LabContext): Router {
  const { directory, credentials } = lab;
  const router = express.Router();
  const reference = 'docs/admin-api.md#certificates shows the request body.';

  router.post('/:appId/certificates', (req, res) => {
    const input = parseInput(CertificateInput, req.body ?? {}, { what: 'The request body', reference });
    const app = requireApp(directory, req.params.appId);
    const credential = credentials.addCertificate(app.appId, input);
    traceAdmin(lab, `certificate added to ${app.displayName}`, { tenantId: app.tenantId, clientId: app.appId, detail: { keyId: credential.keyId, thumbprint: credential.customKeyIdentifier } });
    res.status(201).location(`${req.baseUrl}/${app.appId}/certificates/${credential.keyId}`).json(certificateView(credential));
  });

  router.get('/:appId/certificates', (req, res) => {
    const app = requireApp(directory, req.params.appId);
    res.set('Cache-Control', 'no-store').json({ value: credentials.certificates(app.appId).map(certificateView) });
  });

  router.delete('/:appId/certificates/:keyId', (req, res) => {
    const app = requireApp(directory, req.params.appId);
    if (!credentials.deleteCertificate(app.appId, req.params.keyId)) {
      throw notFound('CERTIFICATE_NOT_FOUND', `"${app.displayName}" has no certificate with the key ID ${JSON.stringify(req.params.keyId)}.`, `List its certificates with GET /_lab/admin/apps/${app.appId}/certificates.`);
    }
    traceAdmin(lab, `certificate deleted from ${app.displayName}`, { tenantId: app.tenantId, clientId: app.appId, detail: { keyId: req.params.keyId } });
    res.status(204).end();
  });

  return router;
}
