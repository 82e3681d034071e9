import { randomUUID } from 'node:crypto';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type {
  AppRegistration,
  AppRole,
  AppRoleAssignment,
  PermissionGrant,
  SecretCredential,
  Tenant,
  User,
} from '../directory/types.ts';
import { DirectoryError } from './errors.ts';
import { generateSecretText, hashSecret, sameHash, secretHint } from './client-secrets.ts';
import { hashPassword, spendPasswordCheck, verifyPasswordHash } from './passwords.ts';
import { blob, bool, intOrNull, json, text, type Row } from './rows.ts';
import { transaction } from './transaction.ts';
import { guid, isoDate, nonEmpty, sortedUnion, stringList } from './validate.ts';

/**
 * The registration model on SQLite: tenants, app registrations, secrets,
 * users, app-role assignments and delegated permission grants.
 *
 * Synchronous on purpose: node:sqlite is synchronous, every query is a
 * primary-key or small-index lookup, and the protocol code reads the
 * directory live on each request (an edit applies to the very next token).
 */

/** A new app registration: everything but the tenant and the name has a default. */
export type NewApp = Pick<AppRegistration, 'tenantId' | 'displayName'> &
  Partial<Omit<AppRegistration, 'tenantId' | 'displayName' | 'api'>> & {
    api?: Partial<AppRegistration['api']>;
  };

/** The editable fields of an app registration; `api` merges field by field, lists replace. */
export type AppPatch = Partial<Omit<AppRegistration, 'appId' | 'id' | 'servicePrincipalId' | 'tenantId' | 'createdDateTime' | 'api'>> & {
  api?: Partial<AppRegistration['api']>;
};

/** A new user with its initial password. Profile fields default to empty, `mail` to the UPN. */
export type NewUser = Pick<User, 'tenantId' | 'userPrincipalName' | 'displayName'> &
  Partial<Omit<User, 'tenantId' | 'userPrincipalName' | 'displayName'>> & { password: string };

export type UserPatch = Partial<Omit<User, 'id' | 'tenantId'>>;

export type NewAppRoleAssignment = Pick<AppRoleAssignment, 'principalId' | 'principalType' | 'resourceAppId' | 'appRoleId'>;

export type SecretCheck = { result: 'valid'; keyId: string } | { result: 'expired'; keyId: string } | { result: 'invalid' };

const DAY_MS = 24 * 60 * 60 * 1000;
/** Entra's recommended (and the portal's default) client secret lifetime. */
const DEFAULT_SECRET_LIFETIME_DAYS = 180;

const APP_COLUMNS = `app_id, object_id, service_principal_id, tenant_id, display_name, sign_in_audience,
  is_fallback_public_client, identifier_uris, web_redirect_uris, spa_redirect_uris, public_client_redirect_uris,
  oauth2_permission_scopes, requested_access_token_version, app_roles, required_resource_access, created_date_time, service_principal_type`;
const USER_COLUMNS = `id, tenant_id, user_principal_name, display_name, given_name, surname, mail, job_title, is_admin, account_enabled`;
const SECRET_COLUMNS = 'key_id, app_id, display_name, hint, start_date_time, end_date_time';
const ASSIGNMENT_COLUMNS = 'id, principal_id, principal_type, resource_app_id, app_role_id, created_date_time';
const GRANT_COLUMNS = 'client_app_id, consent_type, principal_id, resource_app_id, scopes';

function tenantFromRow(row: Row): Tenant {
  return { id: text(row, 'id'), name: text(row, 'name'), domain: text(row, 'domain'), home: bool(row, 'home') };
}

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

function secretFromRow(row: Row): SecretCredential {
  return {
    keyId: text(row, 'key_id'),
    appId: text(row, 'app_id'),
    displayName: text(row, 'display_name'),
    hint: text(row, 'hint'),
    startDateTime: text(row, 'start_date_time'),
    endDateTime: text(row, 'end_date_time'),
  };
}

function userFromRow(row: Row): User {
  return {
    id: text(row, 'id'),
    tenantId: text(row, 'tenant_id'),
    userPrincipalName: text(row, 'user_principal_name'),
    displayName: text(row, 'display_name'),
    givenName: text(row, 'given_name'),
    surname: text(row, 'surname'),
    mail: text(row, 'mail'),
    jobTitle: text(row, 'job_title'),
    isAdmin: bool(row, 'is_admin'),
    accountEnabled: bool(row, 'account_enabled'),
  };
}

function assignmentFromRow(row: Row): AppRoleAssignment {
  return {
    id: text(row, 'id'),
    principalId: text(row, 'principal_id'),
    principalType: text(row, 'principal_type') as AppRoleAssignment['principalType'],
    resourceAppId: text(row, 'resource_app_id'),
    appRoleId: text(row, 'app_role_id'),
    createdDateTime: text(row, 'created_date_time'),
  };
}

function grantFromRow(row: Row): PermissionGrant {
  const principal = text(row, 'principal_id');
  return {
    clientAppId: text(row, 'client_app_id'),
    consentType: text(row, 'consent_type') as PermissionGrant['consentType'],
    principalId: principal === '' ? null : principal,
    resourceAppId: text(row, 'resource_app_id'),
    scopes: json(row, 'scopes'),
  };
}

function domainOf(userPrincipalName: string): string {
  return userPrincipalName.slice(userPrincipalName.lastIndexOf('@') + 1);
}

export class Directory {
  readonly #db: DatabaseSync;
  readonly #pepper: Buffer;
  readonly #statements = new Map<string, StatementSync>();
  /**
   * App registrations as last read, by lower-case appId (null: no such app),
   * and Application ID URI → appId. The token endpoint looks the same app up
   * about seven times per token; decoding its row each time was a quarter of
   * the IdP's CPU. Any write through this Directory (portal, admin API, CLI
   * through the admin API) empties the cache at once, so an edit shows in the
   * very next token. A commit by another connection (SQLite's `data_version`,
   * looked at no more than every 100 ms: the look costs as much as a lookup)
   * empties it too.
   */
  readonly #appCache = new Map<string, AppRegistration | null>();
  readonly #uriCache = new Map<string, string | null>();
  /** Tenants and settings (key ring, faults) are read on every token too; the same rules keep them fresh. */
  readonly #tenantCache = new Map<string, Tenant | null>();
  readonly #settingCache = new Map<string, string | null>();
  #dataVersion = -1;
  #dataVersionCheckedAt = -Infinity;
  readonly #dataVersionIntervalMs: number;

  /** `options.externalWritesCheckMs`: how often to look for other connections' commits (default 100 ms). */
  constructor(db: DatabaseSync, secretPepper: Buffer, options: { externalWritesCheckMs?: number } = {}) {
    this.#dataVersionIntervalMs = options.externalWritesCheckMs ?? 100;
    if (secretPepper.length < 32) throw new TypeError('The client-secret pepper must be at least 32 bytes (use loadOrCreatePepper).');
    this.#db = db;
    this.#pepper = secretPepper;
  }

  /** Runs `fn` in one transaction (nested calls become savepoints). `fn` must be synchronous. */
  transaction<T>(fn: () => T): T {
    try {
      return transaction(this.#db, fn);
    } catch (error) {
      // Rolled back: what the cache learnt inside the transaction may never have been committed.
      this.#forgetApps();
      throw error;
    }
  }

  // Each SQL text is prepared once per Directory and reused. A statement that
  // is not a read may change an app: the app cache is emptied before it runs.
  #sql(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    if (!/^\s*(SELECT|PRAGMA)\b/i.test(sql)) this.#forgetApps();
    return statement;
  }

  #forgetApps(): void {
    this.#appCache.clear();
    this.#uriCache.clear();
    this.#tenantCache.clear();
    this.#settingCache.clear();
  }

  /** Empties the caches when another connection committed since the last look. */
  #checkDataVersion(): void {
    const now = performance.now();
    if (now - this.#dataVersionCheckedAt < this.#dataVersionIntervalMs) return;
    this.#dataVersionCheckedAt = now;
    const row = this.#sql('PRAGMA data_version').get();
    const version = Number(row?.data_version ?? -1);
    if (version !== this.#dataVersion) {
      this.#forgetApps();
      this.#dataVersion = version;
    }
  }

  // ── Tenants ──────────────────────────────────────────────────────────

  /** Every tenant, the home tenant first. */
  tenants(): Tenant[] {
    return this.#sql('SELECT * FROM tenants ORDER BY home DESC, rowid').all().map(tenantFromRow);
  }

  /** A tenant by its ID or its domain, either in any letter case. */
  tenant(idOrDomain: string): Tenant | undefined {
    if (typeof idOrDomain !== 'string') return undefined;
    this.#checkDataVersion();
    const key = idOrDomain.toLowerCase();
    const cached = this.#tenantCache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const row = this.#sql('SELECT * FROM tenants WHERE id = ?1 OR domain = ?1').get(idOrDomain);
    const tenant = row ? tenantFromRow(row) : undefined;
    this.#tenantCache.set(key, tenant ?? null);
    return tenant;
  }

  createTenant(t: Tenant): Tenant {
    const tenant: Tenant = {
      id: guid(t.id, 'Tenant id'),
      name: nonEmpty(t.name, 'Tenant name'),
      domain: nonEmpty(t.domain, 'Tenant domain').toLowerCase(),
      home: t.home === true,
    };
    return this.transaction(() => {
      const clash = this.tenant(tenant.id) ?? this.tenant(tenant.domain);
      if (clash) {
        throw new DirectoryError('TENANT_EXISTS', `A tenant with ID ${clash.id} or domain ${clash.domain} already exists (${clash.name}); pick another ID and domain.`);
      }
      const home = this.tenants().find((x) => x.home);
      if (tenant.home && home) {
        throw new DirectoryError('INVALID_INPUT', `${home.name} (${home.id}) is already the home tenant; create ${tenant.name} with home: false.`);
      }
      this.#sql('INSERT INTO tenants (id, name, domain, home) VALUES (?, ?, ?, ?)').run(tenant.id, tenant.name, tenant.domain, tenant.home ? 1 : 0);
      return tenant;
    });
  }

  #requireTenant(id: string): Tenant {
    const tenant = typeof id === 'string' ? this.tenant(id) : undefined;
    if (!tenant) throw new DirectoryError('TENANT_NOT_FOUND', `No tenant ${JSON.stringify(id)} exists; use the ID of one listed by /_lab/info.`);
    return tenant;
  }

  // ── App registrations ────────────────────────────────────────────────

  /** App registrations in creation order, optionally of one tenant; managed identities only when asked (they have no registration). */
  apps(tenantId?: string, options: { managedIdentities?: boolean } = {}): AppRegistration[] {
    return this.#sql(
      `SELECT ${APP_COLUMNS} FROM applications WHERE (?1 IS NULL OR tenant_id = ?1) AND (?2 = 1 OR service_principal_type = 'Application') ORDER BY created_date_time, rowid`,
    )
      .all(tenantId ?? null, options.managedIdentities ? 1 : 0)
      .map(appFromRow);
  }

  /** An app by its appId. The object is shared with other callers: treat it as read-only (changes go through updateApp). */
  app(appId: string): AppRegistration | undefined {
    if (typeof appId !== 'string') return undefined;
    this.#checkDataVersion();
    const key = appId.toLowerCase();
    const cached = this.#appCache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const row = this.#sql(`SELECT ${APP_COLUMNS} FROM applications WHERE app_id = ?`).get(appId);
    const app = row ? appFromRow(row) : undefined;
    this.#appCache.set(key, app ?? null);
    return app;
  }

  /** The app that exposes an API under this Application ID URI (compared case-insensitively). */
  appByIdentifierUri(uri: string): AppRegistration | undefined {
    this.#checkDataVersion();
    const key = uri.toLowerCase();
    const cached = this.#uriCache.get(key);
    if (cached !== undefined) return cached === null ? undefined : this.app(cached);
    const row = this.#sql(
      `SELECT app_id FROM applications
       WHERE EXISTS (SELECT 1 FROM json_each(identifier_uris) WHERE lower(json_each.value) = lower(?))
       ORDER BY rowid LIMIT 1`,
    ).get(uri);
    const appId = row ? text(row, 'app_id') : null;
    this.#uriCache.set(key, appId);
    return appId === null ? undefined : this.app(appId);
  }

  #appOrThrow(appId: string): AppRegistration {
    const app = typeof appId === 'string' ? this.app(appId) : undefined;
    if (!app) throw new DirectoryError('APP_NOT_FOUND', `No app registration has the application (client) ID ${JSON.stringify(appId)}; check the ID on the app's Overview blade.`);
    return app;
  }

  // Application ID URIs identify an API, so no two apps may share one (as in Entra).
  #assertIdentifierUrisFree(uris: string[], ownAppId: string | undefined): void {
    for (const uri of uris) {
      const owner = this.appByIdentifierUri(uri);
      if (owner && owner.appId !== ownAppId) {
        throw new DirectoryError('IDENTIFIER_URI_TAKEN', `The Application ID URI ${uri} is already used by "${owner.displayName}" (${owner.appId}); choose another, e.g. api://<this app's client ID>.`);
      }
    }
  }

  createApp(input: NewApp): AppRegistration {
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
    return this.transaction(() => {
      app.tenantId = this.#requireTenant(input.tenantId).id;
      const clash = this.#sql('SELECT app_id FROM applications WHERE app_id IN (?1, ?2, ?3) OR object_id IN (?1, ?2, ?3) OR service_principal_id IN (?1, ?2, ?3)').get(
        app.appId,
        app.id,
        app.servicePrincipalId,
      );
      if (clash) {
        throw new DirectoryError('APP_EXISTS', `An app registration already uses one of the IDs ${app.appId}, ${app.id}, ${app.servicePrincipalId}; leave them out to get fresh random IDs.`);
      }
      this.#assertIdentifierUrisFree(app.identifierUris, undefined);
      this.#sql(`INSERT INTO applications (${APP_COLUMNS}) VALUES (${Array(17).fill('?').join(', ')})`).run(...appValues(app));
      return app;
    });
  }

  /** Applies `patch` to the app and returns the updated app. */
  updateApp(appId: string, patch: AppPatch): AppRegistration {
    return this.transaction(() => {
      const current = this.#appOrThrow(appId);
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
      this.#sql(`UPDATE applications SET ${assignments} WHERE app_id = ?`).run(...rest, current.appId);
      return next;
    });
  }

  /**
   * Deletes the app with everything that points at it: its secrets, its dev
   * secret, grants where it is the client or the API, and role assignments
   * held by its service principal or defined by it.
   */
  deleteApp(appId: string): boolean {
    return this.transaction(() => {
      const app = this.app(appId);
      if (!app) return false;
      this.#sql('DELETE FROM app_secrets WHERE app_id = ?').run(app.appId);
      this.#sql('DELETE FROM dev_secrets WHERE app_id = ?').run(app.appId);
      this.#sql('DELETE FROM permission_grants WHERE client_app_id = ?1 OR resource_app_id = ?1').run(app.appId);
      this.#sql('DELETE FROM app_role_assignments WHERE principal_id = ? OR resource_app_id = ?').run(app.servicePrincipalId, app.appId);
      this.#sql('DELETE FROM applications WHERE app_id = ?').run(app.appId);
      return true;
    });
  }

  // ── Client secrets ───────────────────────────────────────────────────

  /** Creates a secret; its value is returned once and never stored. */
  addSecret(appId: string, options: { displayName: string; endDateTime?: string }): { credential: SecretCredential; secretText: string } {
    return this.transaction(() => {
      const app = this.#appOrThrow(appId);
      const start = new Date();
      const secretText = generateSecretText();
      const credential: SecretCredential = {
        keyId: randomUUID(),
        appId: app.appId,
        displayName: typeof options.displayName === 'string' ? options.displayName.trim() : '',
        hint: secretHint(secretText),
        startDateTime: start.toISOString(),
        endDateTime:
          options.endDateTime === undefined
            ? new Date(start.getTime() + DEFAULT_SECRET_LIFETIME_DAYS * DAY_MS).toISOString()
            : isoDate(options.endDateTime, 'endDateTime'),
      };
      this.#sql(`INSERT INTO app_secrets (${SECRET_COLUMNS}, secret_hmac) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
        credential.keyId,
        credential.appId,
        credential.displayName,
        credential.hint,
        credential.startDateTime,
        credential.endDateTime,
        hashSecret(this.#pepper, secretText),
      );
      return { credential, secretText };
    });
  }

  secrets(appId: string): SecretCredential[] {
    return this.#sql(`SELECT ${SECRET_COLUMNS} FROM app_secrets WHERE app_id = ? ORDER BY start_date_time, rowid`).all(appId).map(secretFromRow);
  }

  /** Deletes a secret; when it was the seeded dev secret, /_lab/info stops showing that (now useless) value too. */
  deleteSecret(appId: string, keyId: string): boolean {
    return this.transaction(() => {
      const dev = this.devSecret(appId);
      const check = dev === undefined ? undefined : this.verifySecret(appId, dev);
      if (check && check.result !== 'invalid' && check.keyId.toLowerCase() === keyId.toLowerCase()) {
        this.#sql('DELETE FROM dev_secrets WHERE app_id = ?').run(appId);
      }
      return Number(this.#sql('DELETE FROM app_secrets WHERE app_id = ? AND key_id = ?').run(appId, keyId).changes) > 0;
    });
  }

  /**
   * Checks a presented secret against every secret of the app (no early exit,
   * constant-time comparisons). `expired` lets the caller answer as Entra
   * does (AADSTS7000222) instead of a generic "invalid secret".
   */
  verifySecret(appId: string, secretText: string, now: Date = new Date()): SecretCheck {
    if (typeof secretText !== 'string' || secretText === '') return { result: 'invalid' };
    const presented = hashSecret(this.#pepper, secretText);
    let match: Row | undefined;
    for (const row of this.#sql('SELECT key_id, end_date_time, secret_hmac FROM app_secrets WHERE app_id = ?').all(appId)) {
      if (sameHash(presented, blob(row, 'secret_hmac'))) match = row;
    }
    if (!match) return { result: 'invalid' };
    const keyId = text(match, 'key_id');
    return now.getTime() >= Date.parse(text(match, 'end_date_time')) ? { result: 'expired', keyId } : { result: 'valid', keyId };
  }

  // ── Dev secrets (seeded confidential apps only; valid only in this mock) ──

  setDevSecret(appId: string, secretText: string): void {
    const app = this.#appOrThrow(appId);
    this.#sql('INSERT INTO dev_secrets (app_id, secret_text) VALUES (?, ?) ON CONFLICT (app_id) DO UPDATE SET secret_text = excluded.secret_text').run(
      app.appId,
      nonEmpty(secretText, 'secretText'),
    );
  }

  devSecret(appId: string): string | undefined {
    const row = this.#sql('SELECT secret_text FROM dev_secrets WHERE app_id = ?').get(appId);
    return row ? text(row, 'secret_text') : undefined;
  }

  // ── Users ────────────────────────────────────────────────────────────

  users(tenantId?: string): User[] {
    return this.#sql(`SELECT ${USER_COLUMNS} FROM users WHERE (?1 IS NULL OR tenant_id = ?1) ORDER BY rowid`)
      .all(tenantId ?? null)
      .map(userFromRow);
  }

  user(id: string): User | undefined {
    const row = this.#sql(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).get(id);
    return row ? userFromRow(row) : undefined;
  }

  userByName(userPrincipalName: string): User | undefined {
    const row = this.#sql(`SELECT ${USER_COLUMNS} FROM users WHERE user_principal_name = ?`).get(userPrincipalName);
    return row ? userFromRow(row) : undefined;
  }

  #userOrThrow(id: string): User {
    const user = typeof id === 'string' ? this.user(id) : undefined;
    if (!user) throw new DirectoryError('USER_NOT_FOUND', `No user has the object ID ${JSON.stringify(id)}; the users are listed by /_lab/info.`);
    return user;
  }

  // Entra only accepts a UPN in one of the tenant's verified domains.
  #checkPrincipalName(userPrincipalName: unknown, tenant: Tenant, ownId: string | undefined): string {
    const upn = nonEmpty(userPrincipalName, 'userPrincipalName');
    if (!/^[^@\s]+@[^@\s]+$/.test(upn)) {
      throw new DirectoryError('INVALID_INPUT', `userPrincipalName must look like name@${tenant.domain}; got ${JSON.stringify(upn)}.`);
    }
    if (domainOf(upn).toLowerCase() !== tenant.domain.toLowerCase()) {
      throw new DirectoryError(
        'USER_DOMAIN_MISMATCH',
        `${upn} cannot belong to ${tenant.name}: its domain is ${tenant.domain}, not ${domainOf(upn)}. Use ${upn.slice(0, upn.lastIndexOf('@'))}@${tenant.domain}.`,
      );
    }
    const clash = this.userByName(upn);
    if (clash && clash.id !== ownId) throw new DirectoryError('USER_EXISTS', `A user named ${clash.userPrincipalName} already exists (${clash.id}); pick another name.`);
    return upn;
  }

  createUser(input: NewUser): User {
    return this.transaction(() => {
      const tenant = this.#requireTenant(input.tenantId);
      const id = guid(input.id ?? randomUUID(), 'id');
      if (this.user(id)) throw new DirectoryError('USER_EXISTS', `A user with the object ID ${id} already exists; leave id out to get a random one.`);
      const upn = this.#checkPrincipalName(input.userPrincipalName, tenant, undefined);
      const user: User = {
        id,
        tenantId: tenant.id,
        userPrincipalName: upn,
        displayName: nonEmpty(input.displayName, 'displayName'),
        givenName: input.givenName ?? '',
        surname: input.surname ?? '',
        mail: input.mail ?? upn,
        jobTitle: input.jobTitle ?? '',
        isAdmin: input.isAdmin ?? false,
        accountEnabled: input.accountEnabled ?? true,
      };
      this.#sql(`INSERT INTO users (${USER_COLUMNS}, password_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        user.id,
        user.tenantId,
        user.userPrincipalName,
        user.displayName,
        user.givenName,
        user.surname,
        user.mail,
        user.jobTitle,
        user.isAdmin ? 1 : 0,
        user.accountEnabled ? 1 : 0,
        hashPassword(nonEmpty(input.password, 'password')),
      );
      return user;
    });
  }

  updateUser(id: string, patch: UserPatch): User {
    return this.transaction(() => {
      const current = this.#userOrThrow(id);
      const tenant = this.#requireTenant(current.tenantId);
      const next: User = {
        ...current,
        userPrincipalName:
          patch.userPrincipalName === undefined ? current.userPrincipalName : this.#checkPrincipalName(patch.userPrincipalName, tenant, current.id),
        displayName: patch.displayName === undefined ? current.displayName : nonEmpty(patch.displayName, 'displayName'),
        givenName: patch.givenName ?? current.givenName,
        surname: patch.surname ?? current.surname,
        mail: patch.mail ?? current.mail,
        jobTitle: patch.jobTitle ?? current.jobTitle,
        isAdmin: patch.isAdmin ?? current.isAdmin,
        accountEnabled: patch.accountEnabled ?? current.accountEnabled,
      };
      this.#sql(
        `UPDATE users SET user_principal_name = ?, display_name = ?, given_name = ?, surname = ?, mail = ?, job_title = ?,
         is_admin = ?, account_enabled = ? WHERE id = ?`,
      ).run(
        next.userPrincipalName,
        next.displayName,
        next.givenName,
        next.surname,
        next.mail,
        next.jobTitle,
        next.isAdmin ? 1 : 0,
        next.accountEnabled ? 1 : 0,
        current.id,
      );
      return next;
    });
  }

  setPassword(id: string, password: string): void {
    const user = this.#userOrThrow(id);
    this.#sql('UPDATE users SET password_hash = ? WHERE id = ?').run(hashPassword(nonEmpty(password, 'password')), user.id);
  }

  /**
   * The user, when the password is right. Disabled accounts verify too: the
   * sign-in page decides what to tell them (Entra says AADSTS50057 only after
   * a correct password).
   */
  verifyPassword(userPrincipalName: string, password: string): User | undefined {
    const row = this.#sql(`SELECT ${USER_COLUMNS}, password_hash FROM users WHERE user_principal_name = ?`).get(userPrincipalName);
    if (!row) {
      spendPasswordCheck(String(password));
      return undefined;
    }
    return verifyPasswordHash(String(password), text(row, 'password_hash')) ? userFromRow(row) : undefined;
  }

  /** Deletes a user with its role assignments and personal consent grants. */
  deleteUser(id: string): boolean {
    return this.transaction(() => {
      const user = this.user(id);
      if (!user) return false;
      this.#sql("DELETE FROM app_role_assignments WHERE principal_id = ? AND principal_type = 'User'").run(user.id);
      this.#sql("DELETE FROM permission_grants WHERE consent_type = 'Principal' AND principal_id = ?").run(user.id);
      this.#sql('DELETE FROM users WHERE id = ?').run(user.id);
      return true;
    });
  }

  // ── App role assignments ─────────────────────────────────────────────

  /**
   * Assigns an app role. Assigning the same role again returns the existing
   * assignment. When the resource is a stored app, the role must exist and
   * allow this kind of principal; a built-in resource (Graph) is not stored,
   * so its roles are the caller's to check.
   */
  assignAppRole(input: NewAppRoleAssignment): AppRoleAssignment {
    return this.transaction(() => {
      const existing = this.#sql(`SELECT ${ASSIGNMENT_COLUMNS} FROM app_role_assignments WHERE principal_id = ? AND resource_app_id = ? AND app_role_id = ?`).get(
        input.principalId,
        input.resourceAppId,
        input.appRoleId,
      );
      if (existing) return assignmentFromRow(existing);

      const principalId = guid(input.principalId, 'principalId');
      if (input.principalType !== 'User' && input.principalType !== 'ServicePrincipal') {
        throw new DirectoryError('INVALID_INPUT', `principalType must be User or ServicePrincipal; got ${JSON.stringify(input.principalType)}.`);
      }
      const principalExists =
        input.principalType === 'User'
          ? this.user(principalId) !== undefined
          : this.#sql('SELECT 1 FROM applications WHERE service_principal_id = ?').get(principalId) !== undefined;
      if (!principalExists) {
        throw new DirectoryError(
          'PRINCIPAL_NOT_FOUND',
          `No ${input.principalType === 'User' ? 'user' : 'service principal'} has the object ID ${principalId}; ` +
            `use a user's object ID or an app's service principal ID (not its client ID).`,
        );
      }
      const resourceAppId = guid(input.resourceAppId, 'resourceAppId');
      const appRoleId = guid(input.appRoleId, 'appRoleId');
      const resource = this.app(resourceAppId);
      if (resource) {
        const role = resource.appRoles.find((r) => r.id.toLowerCase() === appRoleId);
        if (!role) {
          throw new DirectoryError('APP_ROLE_NOT_FOUND', `"${resource.displayName}" defines no app role with ID ${appRoleId}; its roles are: ${resource.appRoles.map((r) => `${r.value} (${r.id})`).join(', ') || 'none'}.`);
        }
        const memberType = input.principalType === 'User' ? 'User' : 'Application';
        if (!role.allowedMemberTypes.includes(memberType)) {
          throw new DirectoryError('APP_ROLE_NOT_ALLOWED', `The app role ${role.value} allows only ${role.allowedMemberTypes.join(' and ')} members, not ${memberType}; add ${memberType} to its allowed member types first.`);
        }
      }
      const assignment: AppRoleAssignment = {
        id: randomUUID(),
        principalId,
        principalType: input.principalType,
        resourceAppId,
        appRoleId,
        createdDateTime: new Date().toISOString(),
      };
      this.#sql(`INSERT INTO app_role_assignments (${ASSIGNMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`).run(
        assignment.id,
        assignment.principalId,
        assignment.principalType,
        assignment.resourceAppId,
        assignment.appRoleId,
        assignment.createdDateTime,
      );
      return assignment;
    });
  }

  unassignAppRole(id: string): boolean {
    return Number(this.#sql('DELETE FROM app_role_assignments WHERE id = ?').run(id).changes) > 0;
  }

  appRoleAssignments(filter: { principalId?: string; resourceAppId?: string }): AppRoleAssignment[] {
    return this.#sql(
      `SELECT ${ASSIGNMENT_COLUMNS} FROM app_role_assignments
       WHERE (?1 IS NULL OR principal_id = ?1) AND (?2 IS NULL OR resource_app_id = ?2)
       ORDER BY created_date_time, rowid`,
    )
      .all(filter.principalId ?? null, filter.resourceAppId ?? null)
      .map(assignmentFromRow);
  }

  /**
   * The `roles` claim: values of the resource's enabled roles assigned to the
   * principal, sorted. `roleDefinitions` stands in for the resource's roles
   * when it is not a stored app (Microsoft Graph).
   */
  roleValues(principalId: string, resourceAppId: string, roleDefinitions?: AppRole[]): string[] {
    const roles = roleDefinitions ?? this.app(resourceAppId)?.appRoles ?? [];
    const assigned = new Set(
      this.#sql('SELECT app_role_id FROM app_role_assignments WHERE principal_id = ? AND resource_app_id = ?')
        .all(principalId, resourceAppId)
        .map((row) => text(row, 'app_role_id').toLowerCase()),
    );
    return sortedUnion(roles.filter((r) => r.isEnabled && assigned.has(r.id.toLowerCase())).map((r) => r.value));
  }

  // ── Delegated permission grants (consent) ────────────────────────────

  /** Records consent; scopes merge into an existing grant for the same client, user and API. */
  grantPermission(g: PermissionGrant): PermissionGrant {
    if (g.consentType !== 'AllPrincipals' && g.consentType !== 'Principal') {
      throw new DirectoryError('INVALID_INPUT', `consentType must be AllPrincipals or Principal; got ${JSON.stringify(g.consentType)}.`);
    }
    if ((g.consentType === 'Principal') !== (typeof g.principalId === 'string' && g.principalId !== '')) {
      throw new DirectoryError('INVALID_INPUT', 'A Principal grant names the user in principalId; an AllPrincipals (admin consent) grant has principalId null.');
    }
    const scopes = stringList(g.scopes, 'scopes').map((s) => s.trim());
    if (scopes.some((s) => s === '' || /\s/.test(s))) {
      throw new DirectoryError('INVALID_INPUT', 'scopes must be single scope values such as User.Read, one per list entry.');
    }
    return this.transaction(() => {
      const client = this.#appOrThrow(g.clientAppId);
      const principalKey = g.principalId === null ? '' : guid(g.principalId, 'principalId');
      if (principalKey !== '' && !this.user(principalKey)) {
        throw new DirectoryError('PRINCIPAL_NOT_FOUND', `No user has the object ID ${principalKey}; consent is granted for a user of the directory.`);
      }
      const resourceAppId = guid(g.resourceAppId, 'resourceAppId');
      const key = [client.appId, g.consentType, principalKey, resourceAppId] as const;
      const existing = this.#sql(
        `SELECT ${GRANT_COLUMNS} FROM permission_grants WHERE client_app_id = ? AND consent_type = ? AND principal_id = ? AND resource_app_id = ?`,
      ).get(...key);
      const merged = sortedUnion(existing ? grantFromRow(existing).scopes : [], scopes);
      this.#sql(
        `INSERT INTO permission_grants (${GRANT_COLUMNS}) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (client_app_id, consent_type, principal_id, resource_app_id) DO UPDATE SET scopes = excluded.scopes`,
      ).run(...key, JSON.stringify(merged));
      return { clientAppId: client.appId, consentType: g.consentType, principalId: g.principalId === null ? null : principalKey, resourceAppId, scopes: merged };
    });
  }

  permissionGrants(filter: { clientAppId?: string; resourceAppId?: string; principalId?: string }): PermissionGrant[] {
    return this.#sql(
      `SELECT ${GRANT_COLUMNS} FROM permission_grants
       WHERE (?1 IS NULL OR client_app_id = ?1) AND (?2 IS NULL OR resource_app_id = ?2) AND (?3 IS NULL OR principal_id = ?3)
       ORDER BY rowid`,
    )
      .all(filter.clientAppId ?? null, filter.resourceAppId ?? null, filter.principalId ?? null)
      .map(grantFromRow);
  }

  /** What the user may be issued without a consent prompt: their own consent plus the tenant-wide admin consent. */
  consentedScopes(clientAppId: string, userId: string, resourceAppId: string): string[] {
    const rows = this.#sql(
      `SELECT scopes FROM permission_grants
       WHERE client_app_id = ? AND resource_app_id = ?
         AND (consent_type = 'AllPrincipals' OR (consent_type = 'Principal' AND principal_id = ?))`,
    ).all(clientAppId, resourceAppId, userId);
    return sortedUnion(...rows.map((row) => json<string[]>(row, 'scopes')));
  }

  /**
   * Revokes consent given to a client: `principalId` null removes the
   * tenant-wide (admin) grants, a user's ID that user's own grants.
   * Returns how many grants were removed.
   */
  revokePermissionGrants(clientAppId: string, principalId: string | null): number {
    const result =
      principalId === null
        ? this.#sql("DELETE FROM permission_grants WHERE client_app_id = ? AND consent_type = 'AllPrincipals'").run(clientAppId)
        : this.#sql("DELETE FROM permission_grants WHERE client_app_id = ? AND consent_type = 'Principal' AND principal_id = ?").run(clientAppId, principalId);
    return Number(result.changes);
  }

  // ── Settings ─────────────────────────────────────────────────────────

  getSetting(name: string): string | undefined {
    this.#checkDataVersion();
    const cached = this.#settingCache.get(name);
    if (cached !== undefined) return cached ?? undefined;
    const row = this.#sql('SELECT value FROM settings WHERE name = ?').get(name);
    const value = row ? text(row, 'value') : undefined;
    this.#settingCache.set(name, value ?? null);
    return value;
  }

  setSetting(name: string, value: string): void {
    this.#sql('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, value);
  }
}
