import type { AppRegistration } from '@mcp-lab/mock-idp';
import type { LabIdp } from './lab-idp.ts';

export interface JobApp {
  clientId: string;
  secret?: string;
  remove(): Promise<void>;
}

/**
 * A copy of a lab's seeded app registration for one grading job. Parallel
 * jobs share one IdP; each with an app of its own, a check can read "its"
 * trace (filtered by client ID) and set faults for its app only, without
 * seeing or disturbing the job next to it.
 */
export async function cloneAppForJob(idp: LabIdp, appId: string, label: string): Promise<JobApp> {
  const original = await idp.admin<AppRegistration>('GET', `/apps/${appId}`);
  const clone = await idp.admin<AppRegistration>('POST', '/apps', {
    displayName: `${original.displayName} (${label})`.slice(0, 256),
    tenantId: original.tenantId,
    signInAudience: original.signInAudience,
    isFallbackPublicClient: original.isFallbackPublicClient,
    web: original.web,
    spa: original.spa,
    publicClient: original.publicClient,
    requiredResourceAccess: original.requiredResourceAccess,
  });
  const remove = async () => {
    await idp.admin('DELETE', `/apps/${clone.appId}`).catch(() => undefined);
  };
  try {
    // An API (lab 05's resource server) keeps what it exposes: its scopes, app roles and token version,
    // under an App ID URI of the clone's own (an identifier URI belongs to one app only).
    const exposesApi = original.identifierUris.length > 0 || original.appRoles.length > 0 || original.api.oauth2PermissionScopes.length > 0;
    if (exposesApi) {
      await idp.admin('PATCH', `/apps/${clone.appId}`, {
        identifierUris: original.identifierUris.map((uri) => uri.replace(original.appId, clone.appId)),
        api: original.api,
        appRoles: original.appRoles,
      });
    }
    const { value: assignments } = await idp.admin<{ value: { resourceAppId: string; appRoleId: string }[] }>('GET', `/apps/${appId}/app-role-assignments`);
    for (const a of assignments) await idp.admin('POST', `/apps/${clone.appId}/app-role-assignments`, { resourceAppId: a.resourceAppId, appRoleId: a.appRoleId });
    const hasSecret = (await idp.admin<{ value: unknown[] }>('GET', `/apps/${appId}/secrets`)).value.length > 0;
    const secret = hasSecret ? (await idp.admin<{ secretText: string }>('POST', `/apps/${clone.appId}/secrets`, { displayName: `grading job ${label}`, expiresInDays: 1 })).secretText : undefined;
    return { clientId: clone.appId, ...(secret ? { secret } : {}), remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

export interface RunSecret {
  secretText: string;
  remove(): Promise<void>;
}

/** A client secret for one run (a day at most), for an app whose real secret the harness cannot know. */
export async function addRunSecret(idp: LabIdp, appId: string): Promise<RunSecret> {
  const made = await idp.admin<{ keyId: string; secretText: string }>('POST', `/apps/${appId}/secrets`, { displayName: 'mcp-lab check run', expiresInDays: 1 });
  return {
    secretText: made.secretText,
    remove: async () => {
      await idp.admin('DELETE', `/apps/${appId}/secrets/${made.keyId}`).catch(() => undefined);
    },
  };
}
