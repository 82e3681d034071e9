import type { DatabaseSync } from 'node:sqlite';
import type { AppRegistration, AppRole, AppRoleAssignment, PermissionGrant, SecretCredential, Tenant, User } from '../directory/types.ts';
import { AppStore, type AppPatch, type NewApp } from './app-store.ts';
import { GrantStore } from './grant-store.ts';
import { RoleAssignmentStore, type NewAppRoleAssignment } from './role-assignment-store.ts';
import { SecretStore, type SecretCheck } from './secret-store.ts';
import { SettingStore } from './setting-store.ts';
import { StoreCore } from './store-core.ts';
import { TenantStore } from './tenant-store.ts';
import { UserStore, type NewUser, type UserPatch } from './user-store.ts';

export type { AppPatch, NewApp, NewAppRoleAssignment, NewUser, SecretCheck, UserPatch };

/**
 * The registration model on SQLite: tenants, app registrations, secrets,
 * users, app-role assignments, delegated permission grants and settings.
 *
 * One façade over one store per aggregate (`*-store.ts`), so that callers
 * name one object; the façade adds only what spans stores (deleting an app
 * or a user with everything that points at it). The stores share a
 * `StoreCore`: prepared statements, transactions, and the cache that keeps
 * the token endpoint's reads cheap without ever showing an edit late.
 *
 * Synchronous on purpose: node:sqlite is synchronous, every query is a
 * primary-key or small-index lookup, and the protocol code reads the
 * directory live on each request (an edit applies to the very next token).
 */
export class Directory {
  readonly #core: StoreCore;
  readonly #tenants: TenantStore;
  readonly #apps: AppStore;
  readonly #secrets: SecretStore;
  readonly #users: UserStore;
  readonly #assignments: RoleAssignmentStore;
  readonly #grants: GrantStore;
  readonly #settings: SettingStore;

  /** `options.externalWritesCheckMs`: how often to look for other connections' commits (default 100 ms). */
  constructor(db: DatabaseSync, secretPepper: Buffer, options: { externalWritesCheckMs?: number } = {}) {
    if (secretPepper.length < 32) throw new TypeError('The client-secret pepper must be at least 32 bytes (use loadOrCreatePepper).');
    this.#core = StoreCore.of(db, options);
    this.#tenants = new TenantStore(this.#core);
    this.#apps = new AppStore(this.#core, this.#tenants);
    this.#secrets = new SecretStore(this.#core, this.#apps, secretPepper);
    this.#users = new UserStore(this.#core, this.#tenants);
    this.#assignments = new RoleAssignmentStore(this.#core, this.#apps, this.#users);
    this.#grants = new GrantStore(this.#core, this.#apps, this.#users);
    this.#settings = new SettingStore(this.#core);
  }

  /** Runs `fn` in one transaction (nested calls become savepoints). `fn` must be synchronous. */
  transaction<T>(fn: () => T): T {
    return this.#core.transaction(fn);
  }

  /**
   * A value derived from the directory (e.g. an app's oidc-provider client
   * metadata), computed once and kept until the next write, like the
   * directory's own reads. Shared by every caller: treat it as read-only.
   */
  derived<T>(key: string, load: () => T): T {
    return this.#core.memo(`derived\0${key}`, load);
  }

  // ── Tenants ──────────────────────────────────────────────────────────

  /** Every tenant, the home tenant first. */
  tenants(): Tenant[] {
    return this.#tenants.list();
  }

  /** A tenant by its ID or its domain, either in any letter case. */
  tenant(idOrDomain: string): Tenant | undefined {
    return this.#tenants.get(idOrDomain);
  }

  createTenant(t: Tenant): Tenant {
    return this.#tenants.create(t);
  }

  // ── App registrations ────────────────────────────────────────────────

  /** App registrations in creation order, optionally of one tenant; managed identities only when asked (they have no registration). */
  apps(tenantId?: string, options: { managedIdentities?: boolean } = {}): AppRegistration[] {
    return this.#apps.list(tenantId, options);
  }

  /** An app by its appId. The object is shared with other callers: treat it as read-only (changes go through updateApp). */
  app(appId: string): AppRegistration | undefined {
    return this.#apps.get(appId);
  }

  /** The app that exposes an API under this Application ID URI (compared case-insensitively). */
  appByIdentifierUri(uri: string): AppRegistration | undefined {
    return this.#apps.byIdentifierUri(uri);
  }

  createApp(input: NewApp): AppRegistration {
    return this.#apps.create(input);
  }

  /** Applies `patch` to the app and returns the updated app. */
  updateApp(appId: string, patch: AppPatch): AppRegistration {
    return this.#apps.update(appId, patch);
  }

  /**
   * Deletes the app with everything that points at it: its secrets, its dev
   * secret, grants where it is the client or the API, and role assignments
   * held by its service principal or defined by it.
   */
  deleteApp(appId: string): boolean {
    return this.#core.transaction(() => {
      const app = this.#apps.get(appId);
      if (!app) return false;
      this.#secrets.deleteForApp(app.appId);
      this.#grants.deleteForApp(app.appId);
      this.#assignments.deleteForApp(app.servicePrincipalId, app.appId);
      this.#apps.deleteRow(app.appId);
      return true;
    });
  }

  // ── Client secrets ───────────────────────────────────────────────────

  /** Creates a secret; its value is returned once and never stored. */
  addSecret(appId: string, options: { displayName: string; endDateTime?: string }): { credential: SecretCredential; secretText: string } {
    return this.#secrets.add(appId, options);
  }

  secrets(appId: string): SecretCredential[] {
    return this.#secrets.list(appId);
  }

  /** Deletes a secret; when it was the seeded dev secret, /_lab/info stops showing that (now useless) value too. */
  deleteSecret(appId: string, keyId: string): boolean {
    return this.#secrets.delete(appId, keyId);
  }

  /**
   * Checks a presented secret against every secret of the app (no early exit,
   * constant-time comparisons). `expired` lets the caller answer as Entra
   * does (AADSTS7000222) instead of a generic "invalid secret".
   */
  verifySecret(appId: string, secretText: string, now: Date = new Date()): SecretCheck {
    return this.#secrets.verify(appId, secretText, now);
  }

  setDevSecret(appId: string, secretText: string): void {
    this.#secrets.setDevSecret(appId, secretText);
  }

  devSecret(appId: string): string | undefined {
    return this.#secrets.devSecret(appId);
  }

  // ── Users ────────────────────────────────────────────────────────────

  users(tenantId?: string): User[] {
    return this.#users.list(tenantId);
  }

  user(id: string): User | undefined {
    return this.#users.get(id);
  }

  userByName(userPrincipalName: string): User | undefined {
    return this.#users.byName(userPrincipalName);
  }

  createUser(input: NewUser): User {
    return this.#users.create(input);
  }

  updateUser(id: string, patch: UserPatch): User {
    return this.#users.update(id, patch);
  }

  setPassword(id: string, password: string): void {
    this.#users.setPassword(id, password);
  }

  /**
   * The user, when the password is right. Disabled accounts verify too: the
   * sign-in page decides what to tell them (Entra says AADSTS50057 only after
   * a correct password).
   */
  verifyPassword(userPrincipalName: string, password: string): User | undefined {
    return this.#users.verifyPassword(userPrincipalName, password);
  }

  /** Deletes a user with its role assignments and personal consent grants. */
  deleteUser(id: string): boolean {
    return this.#core.transaction(() => {
      const user = this.#users.get(id);
      if (!user) return false;
      this.#assignments.deleteForUser(user.id);
      this.#grants.deleteForUser(user.id);
      this.#users.deleteRow(user.id);
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
    return this.#assignments.assign(input);
  }

  unassignAppRole(id: string): boolean {
    return this.#assignments.unassign(id);
  }

  appRoleAssignments(filter: { principalId?: string; resourceAppId?: string }): AppRoleAssignment[] {
    return this.#assignments.list(filter);
  }

  /**
   * The `roles` claim: values of the resource's enabled roles assigned to the
   * principal, sorted. `roleDefinitions` stands in for the resource's roles
   * when it is not a stored app (Microsoft Graph).
   */
  roleValues(principalId: string, resourceAppId: string, roleDefinitions?: AppRole[]): string[] {
    return this.#assignments.roleValues(principalId, resourceAppId, roleDefinitions);
  }

  // ── Delegated permission grants (consent) ────────────────────────────

  /** Records consent; scopes merge into an existing grant for the same client, user and API. */
  grantPermission(g: PermissionGrant): PermissionGrant {
    return this.#grants.grant(g);
  }

  permissionGrants(filter: { clientAppId?: string; resourceAppId?: string; principalId?: string }): PermissionGrant[] {
    return this.#grants.list(filter);
  }

  /** What the user may be issued without a consent prompt: their own consent plus the tenant-wide admin consent. */
  consentedScopes(clientAppId: string, userId: string, resourceAppId: string): string[] {
    return this.#grants.consentedScopes(clientAppId, userId, resourceAppId);
  }

  /**
   * Revokes consent given to a client: `principalId` null removes the
   * tenant-wide (admin) grants, a user's ID that user's own grants.
   * Returns how many grants were removed.
   */
  revokePermissionGrants(clientAppId: string, principalId: string | null): number {
    return this.#grants.revoke(clientAppId, principalId);
  }

  // ── Settings ─────────────────────────────────────────────────────────

  getSetting(name: string): string | undefined {
    return this.#settings.get(name);
  }

  setSetting(name: string, value: string): void {
    this.#settings.set(name, value);
  }
}
