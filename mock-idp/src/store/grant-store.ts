import type { PermissionGrant } from '../directory/types.ts';
import type { AppStore } from './app-store.ts';
import { DirectoryError } from './errors.ts';
import { json, text, type Row } from './rows.ts';
import type { StoreCore } from './store-core.ts';
import type { UserStore } from './user-store.ts';
import { guid, sortedUnion, stringList } from './validate.ts';

const GRANT_COLUMNS = 'client_app_id, consent_type, principal_id, resource_app_id, scopes';

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

/** Delegated permission grants (consent): a user's own, or the tenant-wide admin consent. */
export class GrantStore {
  readonly #core: StoreCore;
  readonly #apps: AppStore;
  readonly #users: UserStore;

  constructor(core: StoreCore, apps: AppStore, users: UserStore) {
    this.#core = core;
    this.#apps = apps;
    this.#users = users;
  }

  /** Records consent; scopes merge into an existing grant for the same client, user and API. */
  grant(g: PermissionGrant): PermissionGrant {
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
    return this.#core.transaction(() => {
      const client = this.#apps.require(g.clientAppId);
      const principalKey = g.principalId === null ? '' : guid(g.principalId, 'principalId');
      if (principalKey !== '' && !this.#users.get(principalKey)) {
        throw new DirectoryError('PRINCIPAL_NOT_FOUND', `No user has the object ID ${principalKey}; consent is granted for a user of the directory.`);
      }
      const resourceAppId = guid(g.resourceAppId, 'resourceAppId');
      const key = [client.appId, g.consentType, principalKey, resourceAppId] as const;
      const existing = this.#core
        .sql(`SELECT ${GRANT_COLUMNS} FROM permission_grants WHERE client_app_id = ? AND consent_type = ? AND principal_id = ? AND resource_app_id = ?`)
        .get(...key);
      const merged = sortedUnion(existing ? grantFromRow(existing).scopes : [], scopes);
      this.#core
        .sql(
          `INSERT INTO permission_grants (${GRANT_COLUMNS}) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (client_app_id, consent_type, principal_id, resource_app_id) DO UPDATE SET scopes = excluded.scopes`,
        )
        .run(...key, JSON.stringify(merged));
      return { clientAppId: client.appId, consentType: g.consentType, principalId: g.principalId === null ? null : principalKey, resourceAppId, scopes: merged };
    });
  }

  list(filter: { clientAppId?: string; resourceAppId?: string; principalId?: string }): PermissionGrant[] {
    return this.#core
      .sql(
        `SELECT ${GRANT_COLUMNS} FROM permission_grants
         WHERE (?1 IS NULL OR client_app_id = ?1) AND (?2 IS NULL OR resource_app_id = ?2) AND (?3 IS NULL OR principal_id = ?3)
         ORDER BY rowid`,
      )
      .all(filter.clientAppId ?? null, filter.resourceAppId ?? null, filter.principalId ?? null)
      .map(grantFromRow);
  }

  /** What the user may be issued without a consent prompt: their own consent plus the tenant-wide admin consent. */
  consentedScopes(clientAppId: string, userId: string, resourceAppId: string): string[] {
    const rows = this.#core
      .sql(
        `SELECT scopes FROM permission_grants
         WHERE client_app_id = ? AND resource_app_id = ?
           AND (consent_type = 'AllPrincipals' OR (consent_type = 'Principal' AND principal_id = ?))`,
      )
      .all(clientAppId, resourceAppId, userId);
    return sortedUnion(...rows.map((row) => json<string[]>(row, 'scopes')));
  }

  /**
   * Revokes consent given to a client: `principalId` null removes the
   * tenant-wide (admin) grants, a user's ID that user's own grants.
   * Returns how many grants were removed.
   */
  revoke(clientAppId: string, principalId: string | null): number {
    const result =
      principalId === null
        ? this.#core.sql("DELETE FROM permission_grants WHERE client_app_id = ? AND consent_type = 'AllPrincipals'").run(clientAppId)
        : this.#core.sql("DELETE FROM permission_grants WHERE client_app_id = ? AND consent_type = 'Principal' AND principal_id = ?").run(clientAppId, principalId);
    return Number(result.changes);
  }

  /** Removes a user's own grants (the user is being deleted). */
  deleteForUser(userId: string): void {
    this.#core.sql("DELETE FROM permission_grants WHERE consent_type = 'Principal' AND principal_id = ?").run(userId);
  }

  /** Removes grants where the app is the client or the API (the app is being deleted). */
  deleteForApp(appId: string): void {
    this.#core.sql('DELETE FROM permission_grants WHERE client_app_id = ?1 OR resource_app_id = ?1').run(appId);
  }
}
