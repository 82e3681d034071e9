import { randomUUID } from 'node:crypto';
import type { Tenant, User } from '../directory/types.ts';
import { DirectoryError } from './errors.ts';
import { hashPassword, spendPasswordCheck, verifyPasswordHash } from './passwords.ts';
import { bool, text, type Row } from './rows.ts';
import type { StoreCore } from './store-core.ts';
import type { TenantStore } from './tenant-store.ts';
import { guid, nonEmpty } from './validate.ts';

/** A new user with its initial password. Profile fields default to empty, `mail` to the UPN. */
export type NewUser = Pick<User, 'tenantId' | 'userPrincipalName' | 'displayName'> &
  Partial<Omit<User, 'tenantId' | 'userPrincipalName' | 'displayName'>> & { password: string };

export type UserPatch = Partial<Omit<User, 'id' | 'tenantId'>>;

const USER_COLUMNS = `id, tenant_id, user_principal_name, display_name, given_name, surname, mail, job_title, is_admin, account_enabled`;

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

function domainOf(userPrincipalName: string): string {
  return userPrincipalName.slice(userPrincipalName.lastIndexOf('@') + 1);
}

/** Users and their password hashes (scrypt). Not cached: no user is read on the client-credentials path. */
export class UserStore {
  readonly #core: StoreCore;
  readonly #tenants: TenantStore;

  constructor(core: StoreCore, tenants: TenantStore) {
    this.#core = core;
    this.#tenants = tenants;
  }

  list(tenantId?: string): User[] {
    return this.#core
      .sql(`SELECT ${USER_COLUMNS} FROM users WHERE (?1 IS NULL OR tenant_id = ?1) ORDER BY rowid`)
      .all(tenantId ?? null)
      .map(userFromRow);
  }

  get(id: string): User | undefined {
    const row = this.#core.sql(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).get(id);
    return row ? userFromRow(row) : undefined;
  }

  byName(userPrincipalName: string): User | undefined {
    const row = this.#core.sql(`SELECT ${USER_COLUMNS} FROM users WHERE user_principal_name = ?`).get(userPrincipalName);
    return row ? userFromRow(row) : undefined;
  }

  require(id: string): User {
    const user = typeof id === 'string' ? this.get(id) : undefined;
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
    const clash = this.byName(upn);
    if (clash && clash.id !== ownId) throw new DirectoryError('USER_EXISTS', `A user named ${clash.userPrincipalName} already exists (${clash.id}); pick another name.`);
    return upn;
  }

  create(input: NewUser): User {
    return this.#core.transaction(() => {
      const tenant = this.#tenants.require(input.tenantId);
      const id = guid(input.id ?? randomUUID(), 'id');
      if (this.get(id)) throw new DirectoryError('USER_EXISTS', `A user with the object ID ${id} already exists; leave id out to get a random one.`);
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
      this.#core
        .sql(`INSERT INTO users (${USER_COLUMNS}, password_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(
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

  update(id: string, patch: UserPatch): User {
    return this.#core.transaction(() => {
      const current = this.require(id);
      const tenant = this.#tenants.require(current.tenantId);
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
      this.#core
        .sql(
          `UPDATE users SET user_principal_name = ?, display_name = ?, given_name = ?, surname = ?, mail = ?, job_title = ?,
           is_admin = ?, account_enabled = ? WHERE id = ?`,
        )
        .run(
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
    const user = this.require(id);
    this.#core.sql('UPDATE users SET password_hash = ? WHERE id = ?').run(hashPassword(nonEmpty(password, 'password')), user.id);
  }

  /**
   * The user, when the password is right. Disabled accounts verify too: the
   * sign-in page decides what to tell them (Entra says AADSTS50057 only after
   * a correct password).
   */
  verifyPassword(userPrincipalName: string, password: string): User | undefined {
    const row = this.#core.sql(`SELECT ${USER_COLUMNS}, password_hash FROM users WHERE user_principal_name = ?`).get(userPrincipalName);
    if (!row) {
      spendPasswordCheck(String(password));
      return undefined;
    }
    return verifyPasswordHash(String(password), text(row, 'password_hash')) ? userFromRow(row) : undefined;
  }

  /** Deletes the row only; the Directory removes what points at it first. */
  deleteRow(id: string): void {
    this.#core.sql('DELETE FROM users WHERE id = ?').run(id);
  }
}
