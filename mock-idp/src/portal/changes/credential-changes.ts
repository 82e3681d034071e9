import type { z } from 'zod';
import { CertificateInput, FederatedCredentialInput } from '../../admin/apps/app-schemas.ts';
import { notFound } from '../../admin/common/admin-api-error.ts';
import { parseInput } from '../../admin/common/parse-input.ts';
import { traceAdmin } from '../../admin/common/trace-admin.ts';
import type { AppRegistration, FederatedIdentityCredential, KeyCredential } from '../../directory/types.ts';
import type { LabContext } from '../../protocol/lab-context.ts';
import { changedBy, type Viewer } from '../context.ts';

const PARSE = { what: 'The form', reference: '' };

/** "Upload certificate" (`POST /apps/{appId}/certificates`): the same schema and store rules. */
export function addCertificate(lab: LabContext, viewer: Viewer, app: AppRegistration, body: z.input<typeof CertificateInput>): KeyCredential {
  const input = parseInput(CertificateInput, body, PARSE);
  const credential = lab.credentials.addCertificate(app.appId, input);
  traceAdmin(lab, `certificate added to ${app.displayName}`, { tenantId: app.tenantId, clientId: app.appId, detail: { keyId: credential.keyId, thumbprint: credential.customKeyIdentifier, ...changedBy(viewer) } });
  return credential;
}

export function deleteCertificate(lab: LabContext, viewer: Viewer, app: AppRegistration, keyId: string): void {
  if (!lab.credentials.deleteCertificate(app.appId, keyId)) throw notFound('CERTIFICATE_NOT_FOUND', `"${app.displayName}" has no certificate ${keyId}.`, 'Reload the page.');
  traceAdmin(lab, `certificate deleted from ${app.displayName}`, { tenantId: app.tenantId, clientId: app.appId, detail: { keyId, ...changedBy(viewer) } });
}

/** "Add credential" (`POST /apps/{appId}/federated-credentials`). */
export function addFederatedCredential(lab: LabContext, viewer: Viewer, app: AppRegistration, body: z.input<typeof FederatedCredentialInput>): FederatedIdentityCredential {
  const input = parseInput(FederatedCredentialInput, body, PARSE);
  const credential = lab.credentials.addFederated(app.appId, input);
  traceAdmin(lab, `federated credential ${credential.name} added to ${app.displayName}`, { tenantId: app.tenantId, clientId: app.appId, detail: { issuer: credential.issuer, subject: credential.subject, ...changedBy(viewer) } });
  return credential;
}

export function deleteFederatedCredential(lab: LabContext, viewer: Viewer, app: AppRegistration, id: string): void {
  if (!lab.credentials.deleteFederated(app.appId, id)) throw notFound('FEDERATED_CREDENTIAL_NOT_FOUND', `"${app.displayName}" has no federated credential ${id}.`, 'Reload the page.');
  traceAdmin(lab, `federated credential deleted from ${app.displayName}`, { tenantId: app.tenantId, clientId: app.appId, detail: { id, ...changedBy(viewer) } });
}
