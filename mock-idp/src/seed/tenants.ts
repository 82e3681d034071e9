import type { Tenant } from '../directory/types.ts';

/** The lab's two tenants: the learner's own organisation and a foreign one (for multi-tenant lessons). */

export const HOME_TENANT: Readonly<Tenant> = Object.freeze({
  id: 'b3d1f0a2-6c4e-4f8a-9d2b-5e7c1a3f9d01',
  name: 'Contoso Lab',
  domain: 'contoso.test',
  home: true,
});

export const FOREIGN_TENANT: Readonly<Tenant> = Object.freeze({
  id: 'e8a7c6b5-4d3c-4b2a-8f1e-0d9c8b7a6f02',
  name: 'Fabrikam Partner',
  domain: 'fabrikam.test',
  home: false,
});
