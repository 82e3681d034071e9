import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import type { AppRegistration } from '../../directory/types.ts';
import { manifestFileName, toManifest } from '../../manifest/export-manifest.ts';
import { CertificateImportError, planCertificateImport } from '../../manifest/import-certificates.ts';
import { registrationFromManifest, secretValuePaths } from '../../manifest/import-manifest.ts';
import { legacyManifestKeys } from '../../manifest/legacy-format.ts';
import { AppManifestSchema } from '../../manifest/manifest-schema.ts';
import type { LabContext } from '../../protocol/lab-context.ts';
import { GRAPH_APP_ID } from '../../seed/microsoft-graph.ts';
import { AdminApiError, badRequest, conflict, throwIfProblems } from '../common/admin-api-error.ts';
import { parseInput } from '../common/parse-input.ts';
import { tenantFromQuery } from '../common/tenant-query.ts';
import { traceAdmin } from '../common/trace-admin.ts';
import { ImportQuery } from './app-schemas.ts';
import { appView } from './app-view.ts';
import { requiredResourceAccessProblems } from './permission-rules.ts';
import { registrationProblems } from './registration-rules.ts';
import { requireApp } from './require-app.ts';

const REFERENCE = 'docs/admin-api.md#manifests describes the manifest format.';

/**
 * `GET /apps/{appId}/manifest` (the portal's Manifest → Download) and
 * `POST /apps/import` (upload it again, here or in another lab). An import
 * keeps the manifest's appId and object ID when they are free, so a
 * learner's `.env` (CLIENT_ID) keeps working in a grader's fresh IdP.
 */
export function manifestRoutes(lab: LabContext): Router {
  const { directory } = lab;
  const router = express.Router();

  router.get('/:appId/manifest', (req, res) => {
    const app = requireApp(directory, req.params.appId);
    const tenant = directory.tenant(app.tenantId);
    const manifest = toManifest(app, directory.secrets(app.appId), {
      publisherDomain: tenant?.domain ?? '',
      source: `${req.protocol}://${req.get('host') ?? 'localhost'}`,
      certificates: lab.credentials.certificatesWithKeys(app.appId),
    });
    res
      .status(200)
      .set('Cache-Control', 'no-store')
      .attachment(manifestFileName(app))
      .type('application/json')
      .send(`${JSON.stringify(manifest, null, 2)}\n`);
  });

  router.post('/import', (req, res) => {
    const query = parseInput(ImportQuery, req.query, { what: 'The query', reference: REFERENCE });
    const legacy = legacyManifestKeys(req.body);
    if (legacy.length > 0) {
      throw badRequest(
        'LEGACY_MANIFEST_FORMAT',
        `This is an Azure AD Graph manifest (it has ${legacy.join(', ')}); the lab reads the Microsoft Graph app manifest.`,
        'In the Entra admin center open the app\'s Manifest blade and download the "Microsoft Graph App Manifest" tab, or export it from the lab with GET /_lab/admin/apps/{appId}/manifest.',
      );
    }
    const manifest = parseInput(AppManifestSchema, req.body, { what: 'The manifest', code: 'INVALID_MANIFEST', reference: REFERENCE });
    const secretPaths = secretValuePaths(manifest);
    if (secretPaths.length > 0) {
      throw new AdminApiError(400, {
        code: 'SECRET_IN_MANIFEST',
        message: `The manifest holds a secret value at ${secretPaths.join(', ')}; a manifest must never carry one (Entra exports secretText: null).`,
        fix: 'Treat that secret as leaked: delete it where it was made, set secretText to null in the file, import again, then add a new secret with POST /_lab/admin/apps/{appId}/secrets.',
        path: secretPaths[0] ?? '',
      });
    }

    const imported = registrationFromManifest(manifest);
    if (imported.appId === GRAPH_APP_ID) {
      throw conflict('BUILT_IN_APP', 'The manifest has the appId of Microsoft Graph, which is built into the identity provider.', 'Import your own app\'s manifest, or remove appId and id to import a copy with new IDs.');
    }
    const tenant = tenantFromQuery(directory, query.tenant) ?? (manifest.publisherDomain ? directory.tenant(manifest.publisherDomain) : undefined) ?? directory.tenants().find((t) => t.home);
    const replace = query.replace === 'true';
    const existing = imported.appId ? directory.app(imported.appId) : undefined;
    if (existing && !replace) {
      throw conflict(
        'APP_EXISTS',
        `An app registration with the appId ${existing.appId} already exists here ("${existing.displayName}").`,
        'Send POST /_lab/admin/apps/import?replace=true to replace it with the manifest (its secrets, consent and role assignments go with it), or remove appId and id from the manifest to import a copy with new IDs.',
      );
    }

    const warnings: string[] = [];
    const others = directory.apps().filter((a) => a.appId !== existing?.appId);
    const taken = (id: string) => others.some((a) => [a.appId, a.id, a.servicePrincipalId].some((x) => x.toLowerCase() === id.toLowerCase()));
    const appId = imported.appId ?? randomUUID();
    let id = imported.id ?? randomUUID();
    if (imported.id && (taken(imported.id) || imported.id === appId)) {
      id = randomUUID();
      warnings.push(`The object ID ${imported.id} is used by another registration here, so this one got ${id}; the appId (client ID) is unchanged.`);
    }
    const candidate: AppRegistration = {
      ...imported,
      appId,
      id,
      servicePrincipalId: randomUUID(),
      tenantId: tenant?.id ?? '',
      createdDateTime: new Date().toISOString(),
    };
    throwIfProblems(registrationProblems(candidate), 'The manifest describes a registration Entra would refuse');
    for (const problem of requiredResourceAccessProblems(directory, candidate.requiredResourceAccess, candidate)) {
      warnings.push(`${problem.path}: ${problem.message} Admin consent will skip it.`);
    }
    let certificates;
    try {
      certificates = planCertificateImport(manifest, appId);
    } catch (error) {
      if (error instanceof CertificateImportError) throw new AdminApiError(400, { code: error.code, message: error.message, fix: error.fix, path: error.path });
      throw error;
    }
    warnings.push(...certificates.warnings);

    const app = directory.transaction(() => {
      if (existing) directory.deleteApp(existing.appId);
      const created = directory.createApp(candidate);
      for (const c of certificates.certificates) lab.credentials.addCertificate(created.appId, c);
      return created;
    });
    traceAdmin(lab, `app imported from a manifest: ${app.displayName}${existing ? ' (replaced)' : ''}`, { tenantId: app.tenantId, clientId: app.appId });
    res
      .status(201)
      .location(`${req.baseUrl}/${app.appId}`)
      .json({
        app: appView(directory, app),
        replaced: existing !== undefined,
        kept: { appId: imported.appId === app.appId, id: imported.id === app.id },
        certificates: { imported: certificates.certificates.length, listed: manifest.keyCredentials.length },
        secrets: {
          imported: 0,
          message: `A manifest never carries secret values, so "${app.displayName}" has no client secret here${manifest.passwordCredentials.length ? ` (the manifest listed ${manifest.passwordCredentials.length}, by hint only)` : ''}.`,
          fix: `If the app is a confidential client, add a secret with POST /_lab/admin/apps/${app.appId}/secrets and put it in the app's .env as CLIENT_SECRET.`,
        },
        warnings,
      });
  });

  return router;
}
