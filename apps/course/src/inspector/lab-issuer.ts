import type { KnownTenant } from './analyse-token.ts';

/**
 * The lab tenant whose issuer this is: its v2.0 issuer (from /_lab/info), or
 * Entra's v1.0 form `https://sts.windows.net/{tid}/`, which the lab's v1.0
 * tokens carry as a real tenant's do. Only then are the lab IdP's keys the
 * ones to check the signature with.
 */
export function labTenantOfIssuer<T extends KnownTenant>(issuer: string | undefined, tenants: readonly T[]): T | undefined {
  if (!issuer) return undefined;
  return tenants.find((t) => t.issuer === issuer || issuer.toLowerCase() === `https://sts.windows.net/${t.id.toLowerCase()}/`);
}
