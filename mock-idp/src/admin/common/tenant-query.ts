import type { Tenant } from '../../directory/types.ts';
import type { Directory } from '../../store/directory.ts';
import { badRequest, notFound } from './admin-api-error.ts';

/** `?tenant=` (an ID or a domain), if given: the tenant, or a 404 that lists the tenants. */
export function tenantFromQuery(directory: Directory, value: unknown): Tenant | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw badRequest('INVALID_REQUEST', 'The query parameter tenant must be given once, as a tenant ID or domain.', 'Send ?tenant=contoso.test or ?tenant=<tenant ID>.', 'tenant');
  }
  const tenant = directory.tenant(value);
  if (!tenant) {
    const known = directory.tenants().map((t) => `${t.domain} (${t.id})`).join(', ');
    throw notFound('TENANT_NOT_FOUND', `No tenant ${JSON.stringify(value)} exists.`, `Use one of: ${known}.`);
  }
  return tenant;
}
