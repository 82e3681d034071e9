import { randomUUID } from 'node:crypto';
import type { SQLInputValue } from 'node:sqlite';
import type { AppRegistration } from '../directory/types.ts';
import { DirectoryError } from './errors.ts';
import { bool, intOrNull, json, text, type Row } from './rows.ts';
import type { StoreCore } from './store-core.ts';
import type { TenantStore } from './tenant-store.ts';
import { guid, isoDate, nonEmpty, stringList } from './validate.ts';

/** A new app registration: everything but the tenant and the name has a default. */
export type NewApp = Pick<AppRegistration, 'tenantId' | 'displayName'> &
  Partial<Omit<AppRegistration, 'tenantId' | 'displayName' | 'api'>> & {
    api?: Partial<AppRegistration['api']>;
  };

/** The editable fields of an app registration; `api` merges field by field, lists replace. */
export type AppPatch = Partial<Omit<AppRegistration, 'appId' | 'id' | 'servicePrincipalId' | 'tenantId' | 'createdDateTime' | 'api'>> & {
  api?: Partial<AppRegistration['api']>;
};

const APP_COLUMNS = `app_id, object_id, service_principal_id, tenant_id, display_name, sign_in_audience,
  is_fallback_public_client, identifier_uris, web_redirect_uris, spa_redirect_uris, public_client_redirect_uris,
  oauth2_permission_scopes, requested_access_token_version, app_roles, required_resource_access, created_date_time, service_principal_type`;

function appFromRow(row: Row): AppRegistration {
  return {
    appId: text(row, 'app_id'),
    id: text(row, 'object_id'),
    servicePrincipalId: text(row, 'service_principal_id'),
    tenantId: text(row, 'tenant_id'),
    displayName: text(row, 'display_name'),
    signInAudience: text(row, 'sign_in_audience') as AppRegistration['signInAudience'],
    isFallbackPublicClient: bool(row, 'is_fallback_public_client'),
    identifierUris: json(row, 'identifier_uris'),
    web: { redirectUris: json(row, 'web_redirect_uris') },
    spa: { redirectUris: json(row, 'spa_redirect_uris') },
    publicClient: { redirectUris: json(row, 'public_client_redirect_uris') },
    api: {
      oauth2PermissionScopes: json(row, 'oauth2_permission_scopes'),
      requestedAccessTokenVersion: intOrNull(row, 'requested_access_token_version') as 1 | 2 | null,
    },
    appRoles: json(row, 'app_roles'),
    requiredResourceAccess: json(row, 'required_resource_access'),
    createdDateTime: text(row, 'created_date_time'),
    ...(text(row, 'service_principal_type') === 'ManagedIdentity' ? { servicePrincipalType: 'ManagedIdentity' as const } : {}),
  };
}

function appValues(app: AppRegistration): SQLInputValue[] {
  return [
    app.appId,
    app.id,
    app.servicePrincipalId,
    app.tenantId,
    app.displayName,
    app.signInAudience,
    app.isFallbackPublicClient ? 1 : 0,
    JSON.stringify(app.identifierUris),
    JSON.stringify(app.web.redirectUris),
    JSON.stringify(app.spa.redirectUris),
    JSON.stringify(app.publicClient.redirectUris),
    JSON.stringify(app.api.oauth2PermissionScopes),
    app.api.requestedAccessTokenVersion,
    JSON.stringify(app.appRoles),
    JSON.stringify(app.requiredResourceAccess),
    app.createdDateTime,
    app.servicePrincipalType ?? 'Application',
  ];
}

/**
 * App registrations (and the managed identities' service principals, which
 * share the table). The token endpoint looks the same app up several times
 * per token; decoding its row each time was a quarter of the IdP's CPU, so
 * lookups by appId and by Application ID URI are cached (store-core.ts says
 * when the cache empties).
 */
export class AppStore {
  readonly #core: StoreCore;
  readonly #tenants: TenantStore;

  constructor(core: StoreCore, tenants: TenantStore) {
    this.#core = core;
    this.#tenants = tenants;
  }

  /** App registrations in creation order, optionally of one tenant; managed identities only when asked (they have no registration). */
  list(tenantId?: string, options: { managedIdentities?: boolean } = {}): AppRegistration[] {
    return this.#core
      .sql(
        `SELECT ${APP_COLUMNS} FROM applications WHERE (?1 IS NULL OR tenant_id = ?1) AND (?2 = 1 OR service_principal_type = 'Application') ORDER BY created_date_time, rowid`,
      )
      .all(tenantId ?? null, options.managedIdentities ? 1 : 0)
      .map(appFromRow);
  }

  /** An app by its appId. The object is shared with other callers: treat it as read-only (changes go through update). */
  get(appId: string): AppRegistration | undefined {
    if (typeof appId !== 'string') return undefined;
    const app = this.#core.memo(`app\0${appId.toLowerCase()}`, () => {
      const row = this.#core.sql(`SELECT ${APP_COLUMNS} FROM applications WHERE app_id = ?`).get(appId);
      return row ? appFromRow(row) : null;
    });
    return app ?? undefined;
  }

  /** The app that exposes an API under this Application ID URI (compared case-insensitively). */
  byIdentifierUri(uri: string): AppRegistration | undefined {
    const appId = this.#core.memo(`app-uri\0${uri.toLowerCase()}`, () => {
      const row = this.#core
        .sql(
          `SELECT app_id FROM applications
           WHERE EXISTS (SELECT 1 FROM json_each(identifier_uris) WHERE lower(json_each.value) = lower(?))
           ORDER BY rowid LIMIT 1`,
        )
        .get(uri);
      return row ? text(row, 'app_id') : null;
    });
    return appId === null ? undefined : this.get(appId);
  }

  require(appId: string): AppRegistration {
    const app = typeof appId === 'string' ? this.get(appId) : undefined;
    if (!app) throw new DirectoryError('APP_NOT_FOUND', `No app registration has the application (client) ID ${JSON.stringify(appId)}; check the ID on the app's Overview blade.`);
    return app;
  }

  /** Whether a service principal (an app's, or a managed identity's) has this object ID. */
  hasServicePrincipal(id: string): boolean {
    return this.#core.sql('SELECT 1 FROM applications WHERE service_principal_id = ?').get(id) !== undefined;
  }

  // Application ID URIs identify an API, so no two apps may share one (as in Entra).
  #assertIdentifierUrisFree(uris: string[], ownAppId: string | undefined): void {
    for (const uri of uris) {
      const owner = this.byIdentifierUri(uri);
      if (owner && owner.appId !== ownAppId) {
        throw new DirectoryError('IDENTIFIER_URI_TAKEN', `The Application ID URI ${uri} is already used by "${owner.displayName}" (${owner.appId}); choose another, e.g. api://<this app's client ID>.`);
      }
    }
  }

  create(input: NewApp): AppRegistration {
    const app: AppRegistration = {
      appId: guid(input.appId ?? randomUUID(), 'appId'),
      id: guid(input.id ?? randomUUID(), 'id'),
      servicePrincipalId: guid(input.servicePrincipalId ?? randomUUID(), 'servicePrincipalId'),
      tenantId: '',
      displayName: nonEmpty(input.displayName, 'displayName'),
      signInAudience: input.signInAudience ?? 'AzureADMyOrg',
      isFallbackPublicClient: input.isFallbackPublicClient ?? false,
      identifierUris: stringList(input.identifierUris ?? [], 'identifierUris'),
      web: { redirectUris: stringList(input.web?.redirectUris ?? [], 'web.redirectUris') },
      spa: { redirectUris: stringList(input.spa?.redirectUris ?? [], 'spa.redirectUris') },
      publicClient: { redirectUris: stringList(input.publicClient?.redirectUris ?? [], 'publicClient.redirectUris') },
      api: {
        oauth2PermissionScopes: [...(input.api?.oauth2PermissionScopes ?? [])],
        // Entra's default for a new registration: null (v1.0 access tokens).
        requestedAccessTokenVersion: input.api?.requestedAccessTokenVersion ?? null,
      },
      appRoles: [...(input.appRoles ?? [])],
      requiredResourceAccess: [...(input.requiredResourceAccess ?? [])],
      createdDateTime: input.createdDateTime === undefined ? new Date().toISOString() : isoDate(input.createdDateTime, 'createdDateTime'),
      ...(input.servicePrincipalType === 'ManagedIdentity' ? { servicePrincipalType: 'ManagedIdentity' as const } : {}),
    };
    return this.#core.transaction(() => {
      app.tenantId = this.#tenants.require(input.tenantId).id;
      const clash = this.#core
        .sql('SELECT app_id FROM applications WHERE app_id IN (?1, ?2, ?3) OR object_id IN (?1, ?2, ?3) OR service_principal_id IN (?1, ?2, ?3)')
        .get(app.appId, app.id, app.servicePrincipalId);
      if (clash) {
        throw new DirectoryError('APP_EXISTS', `An app registration already uses one of the IDs ${app.appId}, ${app.id}, ${app.servicePrincipalId}; leave them out to get fresh random IDs.`);
      }
      this.#assertIdentifierUrisFree(app.identifierUris, undefined);
      this.#core.sql(`INSERT INTO applications (${APP_COLUMNS}) VALUES (${Array(17).fill('?').join(', ')})`).run(...appValues(app));
      return app;
    });
  }

  /** Applies `patch` to the app and returns the updated app. */
  update(appId: string, patch: AppPatch): AppRegistration {
    return this.#core.transaction(() => {
      const current = this.require(appId);
      const next: AppRegistration = {
        ...current,
        displayName: patch.displayName === undefined ? current.displayName : nonEmpty(patch.displayName, 'displayName'),
        signInAudience: patch.signInAudience ?? current.signInAudience,
        isFallbackPublicClient: patch.isFallbackPublicClient ?? current.isFallbackPublicClient,
        identifierUris: patch.identifierUris === undefined ? current.identifierUris : stringList(patch.identifierUris, 'identifierUris'),
        web: patch.web === undefined ? current.web : { redirectUris: stringList(patch.web.redirectUris, 'web.redirectUris') },
        spa: patch.spa === undefined ? current.spa : { redirectUris: stringList(patch.spa.redirectUris, 'spa.redirectUris') },
        publicClient:
          patch.publicClient === undefined ? current.publicClient : { redirectUris: stringList(patch.publicClient.redirectUris, 'publicClient.redirectUris') },
        api: {
          oauth2PermissionScopes: patch.api?.oauth2PermissionScopes ?? current.api.oauth2PermissionScopes,
          // `null` is a value here (back to Entra's default), so only `undefined` keeps the current one.
          requestedAccessTokenVersion:
            patch.api?.requestedAccessTokenVersion === undefined ? current.api.requestedAccessTokenVersion : patch.api.requestedAccessTokenVersion,
        },
        appRoles: patch.appRoles ?? current.appRoles,
        requiredResourceAccess: patch.requiredResourceAccess ?? current.requiredResourceAccess,
      };
      this.#assertIdentifierUrisFree(next.identifierUris, current.appId);
      const [, ...rest] = appValues(next);
      const assignments = APP_COLUMNS.split(',')
        .slice(1)
        .map((c) => `${c.trim()} = ?`)
        .join(', ');
      this.#core.sql(`UPDATE applications SET ${assignments} WHERE app_id = ?`).run(...rest, current.appId);
      return next;
    });
  }

  /** Deletes the row only; the Directory removes what points at it first. */
  deleteRow(appId: string): void {
    this.#core.sql('DELETE FROM applications WHERE app_id = ?').run(appId);
  }
}
