import { randomUUID } from 'node:crypto';
import type { AppRole, AppRoleAssignment } from '../directory/types.ts';
import type { AppStore } from './app-store.ts';
import { DirectoryError } from './errors.ts';
import { text, type Row } from './rows.ts';
import type { StoreCore } from './store-core.ts';
import type { UserStore } from './user-store.ts';
import { guid, sortedUnion } from './validate.ts';

export type NewAppRoleAssignment = Pick<AppRoleAssignment, 'principalId' | 'principalType' | 'resourceAppId' | 'appRoleId'>;

const ASSIGNMENT_COLUMNS = 'id, principal_id, principal_type, resource_app_id, app_role_id, created_date_time';

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

/** App role assignments to users and service principals; the `roles` claim reads them on every token, so cached. */
export class RoleAssignmentStore {
  readonly #core: StoreCore;
  readonly #apps: AppStore;
  readonly #users: UserStore;

  constructor(core: StoreCore, apps: AppStore, users: UserStore) {
    this.#core = core;
    this.#apps = apps;
    this.#users = users;
  }

  /**
   * Assigns an app role. Assigning the same role again returns the existing
   * assignment. When the resource is a stored app, the role must exist and
   * allow this kind of principal; a built-in resource (Graph) is not stored,
   * so its roles are the caller's to check.
   */
  assign(input: NewAppRoleAssignment): AppRoleAssignment {
    return this.#core.transaction(() => {
      const existing = this.#core
        .sql(`SELECT ${ASSIGNMENT_COLUMNS} FROM app_role_assignments WHERE principal_id = ? AND resource_app_id = ? AND app_role_id = ?`)
        .get(input.principalId, input.resourceAppId, input.appRoleId);
      if (existing) return assignmentFromRow(existing);

      const principalId = guid(input.principalId, 'principalId');
      if (input.principalType !== 'User' && input.principalType !== 'ServicePrincipal') {
        throw new DirectoryError('INVALID_INPUT', `principalType must be User or ServicePrincipal; got ${JSON.stringify(input.principalType)}.`);
      }
      const principalExists = input.principalType === 'User' ? this.#users.get(principalId) !== undefined : this.#apps.hasServicePrincipal(principalId);
      if (!principalExists) {
        throw new DirectoryError(
          'PRINCIPAL_NOT_FOUND',
          `No ${input.principalType === 'User' ? 'user' : 'service principal'} has the object ID ${principalId}; ` +
            `use a user's object ID or an app's service principal ID (not its client ID).`,
        );
      }
      const resourceAppId = guid(input.resourceAppId, 'resourceAppId');
      const appRoleId = guid(input.appRoleId, 'appRoleId');
      const resource = this.#apps.get(resourceAppId);
      if (resource) {
        const role = resource.appRoles.find((r) => r.id.toLowerCase() === appRoleId);
        if (!role) {
          throw new DirectoryError(
            'APP_ROLE_NOT_FOUND',
            `"${resource.displayName}" defines no app role with ID ${appRoleId}; its roles are: ${resource.appRoles.map((r) => `${r.value} (${r.id})`).join(', ') || 'none'}.`,
          );
        }
        const memberType = input.principalType === 'User' ? 'User' : 'Application';
        if (!role.allowedMemberTypes.includes(memberType)) {
          throw new DirectoryError(
            'APP_ROLE_NOT_ALLOWED',
            `The app role ${role.value} allows only ${role.allowedMemberTypes.join(' and ')} members, not ${memberType}; add ${memberType} to its allowed member types first.`,
          );
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
      this.#core
        .sql(`INSERT INTO app_role_assignments (${ASSIGNMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(assignment.id, assignment.principalId, assignment.principalType, assignment.resourceAppId, assignment.appRoleId, assignment.createdDateTime);
      return assignment;
    });
  }

  unassign(id: string): boolean {
    return Number(this.#core.sql('DELETE FROM app_role_assignments WHERE id = ?').run(id).changes) > 0;
  }

  list(filter: { principalId?: string; resourceAppId?: string }): AppRoleAssignment[] {
    return this.#core
      .sql(
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
    const roles = roleDefinitions ?? this.#apps.get(resourceAppId)?.appRoles ?? [];
    const assigned = this.#core.memo(
      `assigned-roles\0${principalId}\0${resourceAppId}`,
      () =>
        new Set(
          this.#core
            .sql('SELECT app_role_id FROM app_role_assignments WHERE principal_id = ? AND resource_app_id = ?')
            .all(principalId, resourceAppId)
            .map((row) => text(row, 'app_role_id').toLowerCase()),
        ),
    );
    return sortedUnion(roles.filter((r) => r.isEnabled && assigned.has(r.id.toLowerCase())).map((r) => r.value));
  }

  /** Removes a user's assignments (the user is being deleted). */
  deleteForUser(userId: string): void {
    this.#core.sql("DELETE FROM app_role_assignments WHERE principal_id = ? AND principal_type = 'User'").run(userId);
  }

  /** Removes assignments held by the app's service principal or defined by the app (the app is being deleted). */
  deleteForApp(servicePrincipalId: string, appId: string): void {
    this.#core.sql('DELETE FROM app_role_assignments WHERE principal_id = ? OR resource_app_id = ?').run(servicePrincipalId, appId);
  }
}
