import type { z } from 'zod';
import { SecretInput } from '../../admin/apps/app-schemas.ts';
import { secretEndTime } from '../../admin/apps/secret-routes.ts';
import { notFound } from '../../admin/common/admin-api-error.ts';
import { parseInput } from '../../admin/common/parse-input.ts';
import { traceAdmin } from '../../admin/common/trace-admin.ts';
import type { AppRegistration, SecretCredential } from '../../directory/types.ts';
import type { LabContext } from '../../protocol/lab-context.ts';
import { changedBy, type Viewer } from '../context.ts';

/**
 * "New client secret" (`POST /apps/{appId}/secrets`): the same schema and
 * lifetime rules. The value is returned to the one page that shows it and
 * is never traced or logged.
 */
export function addSecret(lab: LabContext, viewer: Viewer, app: AppRegistration, body: z.input<typeof SecretInput>): { credential: SecretCredential; secretText: string } {
  const input = parseInput(SecretInput, body, { what: 'The form', reference: '' });
  const end = secretEndTime(input);
  const created = lab.directory.addSecret(app.appId, { displayName: input.displayName, endDateTime: new Date(end).toISOString() });
  traceAdmin(lab, `secret added to ${app.displayName}`, {
    tenantId: app.tenantId,
    clientId: app.appId,
    detail: { keyId: created.credential.keyId, endDateTime: created.credential.endDateTime, ...changedBy(viewer) },
  });
  return created;
}

/** Delete (`DELETE /apps/{appId}/secrets/{keyId}`): the next token request with it fails (AADSTS7000215). */
export function deleteSecret(lab: LabContext, viewer: Viewer, app: AppRegistration, keyId: string): void {
  if (!lab.directory.deleteSecret(app.appId, keyId)) {
    throw notFound('SECRET_NOT_FOUND', `"${app.displayName}" has no secret with the Secret ID ${keyId}.`, 'Reload the page.');
  }
  traceAdmin(lab, `secret deleted from ${app.displayName}`, { tenantId: app.tenantId, clientId: app.appId, detail: { keyId, ...changedBy(viewer) } });
}
