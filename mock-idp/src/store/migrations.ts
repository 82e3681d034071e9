import type { DatabaseSync } from 'node:sqlite';
import { IdpStateError, RESET_HINT } from './errors.ts';

/**
 * The schema, as an ordered list of migrations. Entry i takes the database
 * from version i to i + 1 (kept in `PRAGMA user_version`). Append only: a
 * released entry is never edited, because learners' state files already ran it.
 *
 * GUID and name columns are `COLLATE NOCASE`: Entra treats IDs, domains and
 * user principal names case-insensitively, and so do comparisons here.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  CREATE TABLE tenants (
    id     TEXT PRIMARY KEY COLLATE NOCASE,
    name   TEXT NOT NULL,
    domain TEXT NOT NULL UNIQUE COLLATE NOCASE,
    home   INTEGER NOT NULL CHECK (home IN (0, 1))
  ) STRICT;

  -- The nested lists of an app registration are JSON: they are always read
  -- and written with the app, and the manifest is JSON anyway.
  CREATE TABLE applications (
    app_id                         TEXT PRIMARY KEY COLLATE NOCASE,
    object_id                      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    service_principal_id           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    tenant_id                      TEXT NOT NULL REFERENCES tenants (id),
    display_name                   TEXT NOT NULL,
    sign_in_audience               TEXT NOT NULL CHECK (sign_in_audience IN ('AzureADMyOrg', 'AzureADMultipleOrgs')),
    is_fallback_public_client      INTEGER NOT NULL CHECK (is_fallback_public_client IN (0, 1)),
    identifier_uris                TEXT NOT NULL CHECK (json_valid(identifier_uris)),
    web_redirect_uris              TEXT NOT NULL CHECK (json_valid(web_redirect_uris)),
    spa_redirect_uris              TEXT NOT NULL CHECK (json_valid(spa_redirect_uris)),
    public_client_redirect_uris    TEXT NOT NULL CHECK (json_valid(public_client_redirect_uris)),
    oauth2_permission_scopes       TEXT NOT NULL CHECK (json_valid(oauth2_permission_scopes)),
    requested_access_token_version INTEGER NOT NULL CHECK (requested_access_token_version IN (1, 2)),
    app_roles                      TEXT NOT NULL CHECK (json_valid(app_roles)),
    required_resource_access       TEXT NOT NULL CHECK (json_valid(required_resource_access)),
    created_date_time              TEXT NOT NULL
  ) STRICT;
  CREATE INDEX applications_tenant ON applications (tenant_id);

  -- Only a keyed hash of each secret (see client-secrets.ts), never the value.
  CREATE TABLE app_secrets (
    key_id          TEXT PRIMARY KEY COLLATE NOCASE,
    app_id          TEXT NOT NULL REFERENCES applications (app_id) ON DELETE CASCADE,
    display_name    TEXT NOT NULL,
    hint            TEXT NOT NULL,
    start_date_time TEXT NOT NULL,
    end_date_time   TEXT NOT NULL,
    secret_hmac     BLOB NOT NULL
  ) STRICT;
  CREATE INDEX app_secrets_app ON app_secrets (app_id);

  -- The seeded confidential apps' secret values, shown by /_lab/info so a
  -- learner can start a lab at once. They open nothing but this mock.
  CREATE TABLE dev_secrets (
    app_id      TEXT PRIMARY KEY COLLATE NOCASE REFERENCES applications (app_id) ON DELETE CASCADE,
    secret_text TEXT NOT NULL
  ) STRICT;

  CREATE TABLE users (
    id                  TEXT PRIMARY KEY COLLATE NOCASE,
    tenant_id           TEXT NOT NULL REFERENCES tenants (id),
    user_principal_name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name        TEXT NOT NULL,
    given_name          TEXT NOT NULL,
    surname             TEXT NOT NULL,
    mail                TEXT NOT NULL,
    job_title           TEXT NOT NULL,
    is_admin            INTEGER NOT NULL CHECK (is_admin IN (0, 1)),
    account_enabled     INTEGER NOT NULL CHECK (account_enabled IN (0, 1)),
    password_hash       TEXT NOT NULL
  ) STRICT;
  CREATE INDEX users_tenant ON users (tenant_id);

  -- No foreign keys: the principal is a user or a service principal, and the
  -- resource may be a built-in API (Microsoft Graph) that is not a row here.
  CREATE TABLE app_role_assignments (
    id                TEXT PRIMARY KEY COLLATE NOCASE,
    principal_id      TEXT NOT NULL COLLATE NOCASE,
    principal_type    TEXT NOT NULL CHECK (principal_type IN ('User', 'ServicePrincipal')),
    resource_app_id   TEXT NOT NULL COLLATE NOCASE,
    app_role_id       TEXT NOT NULL COLLATE NOCASE,
    created_date_time TEXT NOT NULL,
    UNIQUE (principal_id, resource_app_id, app_role_id)
  ) STRICT;
  CREATE INDEX app_role_assignments_resource ON app_role_assignments (resource_app_id);

  -- principal_id is '' for tenant-wide (AllPrincipals) grants rather than
  -- NULL, so that the primary key can tell grants apart (NULLs are distinct).
  CREATE TABLE permission_grants (
    client_app_id   TEXT NOT NULL COLLATE NOCASE REFERENCES applications (app_id) ON DELETE CASCADE,
    consent_type    TEXT NOT NULL CHECK (consent_type IN ('AllPrincipals', 'Principal')),
    principal_id    TEXT NOT NULL COLLATE NOCASE,
    resource_app_id TEXT NOT NULL COLLATE NOCASE,
    scopes          TEXT NOT NULL CHECK (json_valid(scopes)),
    PRIMARY KEY (client_app_id, consent_type, principal_id, resource_app_id),
    CHECK ((consent_type = 'AllPrincipals') = (principal_id = ''))
  ) STRICT;
  CREATE INDEX permission_grants_resource ON permission_grants (resource_app_id);
  CREATE INDEX permission_grants_principal ON permission_grants (principal_id);

  -- oidc-provider's models (sessions, codes, tokens, grants, interactions).
  -- expires_at and rotated_at are epoch milliseconds; consumed is epoch
  -- seconds because it is handed back to oidc-provider as payload.consumed.
  CREATE TABLE oidc_models (
    partition  TEXT NOT NULL,
    model      TEXT NOT NULL,
    id         TEXT NOT NULL,
    payload    TEXT NOT NULL,
    grant_id   TEXT,
    user_code  TEXT,
    uid        TEXT,
    expires_at INTEGER,
    consumed   INTEGER,
    rotated_at INTEGER,
    PRIMARY KEY (partition, model, id)
  ) STRICT;
  CREATE INDEX oidc_models_grant ON oidc_models (partition, grant_id);
  CREATE INDEX oidc_models_user_code ON oidc_models (partition, model, user_code);
  CREATE INDEX oidc_models_uid ON oidc_models (partition, model, uid);
  CREATE INDEX oidc_models_expiry ON oidc_models (expires_at);
  `,
  // 2: requestedAccessTokenVersion may be null, as in Entra (null and 1 both
  // give v1.0 access tokens). SQLite cannot change a column's constraints, so
  // the column is replaced by one without NOT NULL, keeping every value. (A
  // table rebuild would cascade-delete the secrets that reference the table.)
  `
  ALTER TABLE applications ADD COLUMN requested_access_token_version_new INTEGER
    CHECK (requested_access_token_version_new IN (1, 2));
  UPDATE applications SET requested_access_token_version_new = requested_access_token_version;
  ALTER TABLE applications DROP COLUMN requested_access_token_version;
  ALTER TABLE applications RENAME COLUMN requested_access_token_version_new TO requested_access_token_version;
  `,
  // 3: credentials other than secrets. Certificates keep only their public DER
  // (never a private key) and both thumbprints a client assertion may name;
  // federated identity credentials are Graph's federatedIdentityCredential.
  `
  CREATE TABLE key_credentials (
    key_id            TEXT PRIMARY KEY COLLATE NOCASE,
    app_id            TEXT NOT NULL COLLATE NOCASE REFERENCES applications (app_id) ON DELETE CASCADE,
    display_name      TEXT NOT NULL,
    thumbprint_sha1   TEXT NOT NULL,
    thumbprint_sha256 TEXT NOT NULL,
    certificate       BLOB NOT NULL,
    start_date_time   TEXT NOT NULL,
    end_date_time     TEXT NOT NULL,
    UNIQUE (app_id, thumbprint_sha256)
  ) STRICT;
  CREATE INDEX key_credentials_app ON key_credentials (app_id);

  CREATE TABLE federated_credentials (
    id          TEXT PRIMARY KEY COLLATE NOCASE,
    app_id      TEXT NOT NULL COLLATE NOCASE REFERENCES applications (app_id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    issuer      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    audiences   TEXT NOT NULL CHECK (json_valid(audiences)),
    description TEXT NOT NULL,
    UNIQUE (app_id, name),
    UNIQUE (app_id, issuer, subject)
  ) STRICT;
  CREATE INDEX federated_credentials_app ON federated_credentials (app_id);
  `,
  // 4: managed identities are service principals without an app registration
  // (Enterprise applications shows them; App registrations does not).
  `
  ALTER TABLE applications ADD COLUMN service_principal_type TEXT NOT NULL DEFAULT 'Application'
    CHECK (service_principal_type IN ('Application', 'ManagedIdentity'));
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get();
  return Number(row?.user_version ?? 0);
}

function tooNew(file: string, found: number): IdpStateError {
  return new IdpStateError(
    'IDP_STATE_TOO_NEW',
    file,
    `The mock IdP's state in ${file} was written by a newer version of the lab (schema version ${found}; this version knows up to ${SCHEMA_VERSION}). ` +
      `Update the lab (git pull, then npm install), or ${RESET_HINT}.`,
  );
}

/**
 * Brings the database up to SCHEMA_VERSION, one transaction per migration.
 * The version is re-read inside each transaction, so two processes opening a
 * fresh file at once do not both apply the same migration.
 */
export function migrate(db: DatabaseSync, file: string): void {
  const initial = schemaVersion(db);
  if (initial > SCHEMA_VERSION) throw tooNew(file, initial);
  if (initial === SCHEMA_VERSION) return;

  for (;;) {
    db.exec('BEGIN IMMEDIATE');
    let version = -1;
    try {
      version = schemaVersion(db);
      const migration = MIGRATIONS[version];
      if (version > SCHEMA_VERSION) throw tooNew(file, version);
      if (migration === undefined) {
        db.exec('COMMIT');
        return;
      }
      db.exec(migration);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // Already rolled back by SQLite.
      }
      if (error instanceof IdpStateError) throw error;
      throw new IdpStateError(
        'IDP_STATE_MIGRATION_FAILED',
        file,
        `Could not upgrade the mock IdP's state in ${file} from schema version ${version} to ${version + 1}: ${(error as Error).message}. ` +
          `Nothing was changed; ${RESET_HINT}.`,
        error,
      );
    }
  }
}
