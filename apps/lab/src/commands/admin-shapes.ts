import type { AppRegistration } from '@mcp-lab/mock-idp';
import type { AdminTarget } from '../admin-client.ts';

/**
 * What the admin API returns (docs/admin-api.md), as far as the `app` and
 * `user` verbs read it. The IdP's view types are not part of its public entry,
 * so they are restated here on top of the public registration model.
 */

/** A secret's metadata; the admin API never returns a value except once, from `POST …/secrets`. */
export interface SecretInfo {
  keyId: string;
  displayName: string;
  hint: string;
  startDateTime: string;
  endDateTime: string;
}

export type AdminApp = AppRegistration & { passwordCredentials: SecretInfo[] };

/** A certificate as `GET /apps/{appId}/certificates` lists it (Graph's keyCredential, plus both thumbprints). */
export interface CertificateInfo {
  keyId: string;
  displayName: string;
  customKeyIdentifier: string;
  startDateTime: string;
  endDateTime: string;
  thumbprints: { x5t: string; 'x5t#S256': string };
}

/** A federated identity credential as `GET /apps/{appId}/federated-credentials` lists it. */
export interface FederatedInfo {
  id: string;
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
}

export interface RoleAssignment {
  id: string;
  principalId: string;
  principalType: 'User' | 'ServicePrincipal';
  principalDisplayName: string | null;
  resourceAppId: string;
  resourceDisplayName: string | null;
  appRoleId: string;
  /** Null when the API no longer defines the role. */
  appRoleValue: string | null;
  createdDateTime: string;
}

/** One row of the API permissions blade (`GET /apps/{appId}/required-resource-access`). */
export interface ApiPermission {
  resourceAppId: string;
  resourceDisplayName: string | null;
  id: string;
  type: 'Scope' | 'Role';
  value: string | null;
  adminConsentGranted: boolean;
}

/** Options every `app …` / `user …` verb takes (the shared `target()` set in cli.ts). */
export interface TargetOptions extends AdminTarget {
  json?: boolean;
}

/** The route of one app; appIds come from the command line, so they are encoded. */
export function appRoute(appId: string, rest = ''): string {
  return `/apps/${encodeURIComponent(appId)}${rest}`;
}

/** `?tenant=…` when given, else nothing (the admin API then uses every tenant or the home tenant). */
export function tenantQuery(tenant: string | undefined, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ ...extra, ...(tenant ? { tenant } : {}) }).toString();
  return query ? `?${query}` : '';
}

/** JSON on stdout for scripts with --json, else lines for people. */
export function output(json: boolean | undefined, value: unknown, lines: () => string[]): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${lines().join('\n')}\n`);
}
