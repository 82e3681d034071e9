/**
 * The two error types the store throws. Callers (the server's start-up, the
 * admin API, the CLI) switch on `code`; the message is written for the person
 * at the keyboard: what went wrong and what to do about it.
 */

/** Problems with the state file itself: the IdP cannot start on it. */
export type IdpStateErrorCode =
  | 'IDP_STATE_TOO_NEW'
  | 'IDP_STATE_UNREADABLE'
  | 'IDP_STATE_MIGRATION_FAILED'
  | 'IDP_STATE_CORRUPT';

export class IdpStateError extends Error {
  readonly code: IdpStateErrorCode;
  /** The database file, when known. */
  readonly file: string | undefined;

  constructor(code: IdpStateErrorCode, file: string | undefined, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'IdpStateError';
    this.code = code;
    this.file = file;
  }
}

/** Requests the directory refuses: unknown objects, duplicates, invalid input. */
export type DirectoryErrorCode =
  | 'APP_NOT_FOUND'
  | 'APP_EXISTS'
  | 'IDENTIFIER_URI_TAKEN'
  | 'TENANT_NOT_FOUND'
  | 'TENANT_EXISTS'
  | 'USER_NOT_FOUND'
  | 'USER_EXISTS'
  | 'USER_DOMAIN_MISMATCH'
  | 'PRINCIPAL_NOT_FOUND'
  | 'APP_ROLE_NOT_FOUND'
  | 'APP_ROLE_NOT_ALLOWED'
  | 'CLIENT_READ_ONLY'
  | 'CREDENTIAL_EXISTS'
  | 'INVALID_INPUT';

export class DirectoryError extends Error {
  readonly code: DirectoryErrorCode;

  constructor(code: DirectoryErrorCode, message: string) {
    super(message);
    this.name = 'DirectoryError';
    this.code = code;
  }
}

/** The one-line way out of a broken or incompatible state folder. */
export const RESET_HINT = 'run `mcp-lab idp reset` (or delete the IdP data folder) to start over with fresh seed data';
