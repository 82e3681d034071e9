import express, { type Router } from 'express';
import type { LabContext } from '../../protocol/lab-context.ts';
import { badRequest, notFound } from '../common/admin-api-error.ts';
import { deleteInput } from '../common/delete-input.ts';
import { parseInput } from '../common/parse-input.ts';
import { traceAdmin } from '../common/trace-admin.ts';
import { RedirectUriInput } from './app-schemas.ts';
import { checkNewRedirectUri, PLATFORM_LABELS, PLATFORMS } from './redirect-uri-rules.ts';
import { requireApp } from './require-app.ts';

const REFERENCE = 'docs/admin-api.md#redirect-uris shows the request.';


/** `/apps/{appId}/redirect-uris` (the Authentication blade's platform configurations), with Entra's rules. */
export function redirectUriRoutes(lab: LabContext): Router {
  const { directory } = lab;
  const router = express.Router();

  router.get('/:appId/redirect-uris', (req, res) => {
    const app = requireApp(directory, req.params.appId);
    res.set('Cache-Control', 'no-store').json({ web: app.web, spa: app.spa, publicClient: app.publicClient });
  });

  router.post('/:appId/redirect-uris', (req, res) => {
    const { platform, uri } = parseInput(RedirectUriInput, req.body, { what: 'The request body', reference: REFERENCE });
    const app = requireApp(directory, req.params.appId);
    const violation = checkNewRedirectUri(app, platform, uri);
    if (violation) throw badRequest(violation.code, violation.message, violation.fix, 'uri');
    const updated = directory.updateApp(app.appId, { [platform]: { redirectUris: [...app[platform].redirectUris, uri] } });
    traceAdmin(lab, `redirect URI added to ${app.displayName}: ${uri} (${PLATFORM_LABELS[platform]})`, { tenantId: app.tenantId, clientId: app.appId });
    res.status(201).json({ platform, uri, redirectUris: updated[platform].redirectUris });
  });

  router.delete('/:appId/redirect-uris', (req, res) => {
    const { platform, uri } = parseInput(RedirectUriInput, deleteInput(req), { what: 'The request', reference: REFERENCE });
    const app = requireApp(directory, req.params.appId);
    if (!app[platform].redirectUris.includes(uri)) {
      const elsewhere = PLATFORMS.find((p) => app[p].redirectUris.includes(uri));
      throw notFound(
        'REDIRECT_URI_NOT_FOUND',
        `${uri} is not a ${PLATFORM_LABELS[platform]} redirect URI of "${app.displayName}"${elsewhere ? `; it is registered under ${PLATFORM_LABELS[elsewhere]}` : ''}.`,
        elsewhere ? `Send platform: "${elsewhere}".` : `List them with GET /_lab/admin/apps/${app.appId}/redirect-uris (the comparison is exact and case-sensitive).`,
      );
    }
    directory.updateApp(app.appId, { [platform]: { redirectUris: app[platform].redirectUris.filter((u) => u !== uri) } });
    traceAdmin(lab, `redirect URI removed from ${app.displayName}: ${uri}`, { tenantId: app.tenantId, clientId: app.appId });
    res.status(204).end();
  });

  return router;
}
