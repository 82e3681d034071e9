/**
 * The one error type the certificate store throws. Callers (the mock IdP's
 * start-up, `mcp-lab doctor`) switch on `code`, and the message is written for
 * the learner: which path, what went wrong, what to do about it.
 */

export type CertificateErrorCode = 'CERTS_UNWRITABLE' | 'CERTS_UNREADABLE';

export class CertificateStoreError extends Error {
  readonly code: CertificateErrorCode;
  readonly path: string;

  constructor(code: CertificateErrorCode, path: string, message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'CertificateStoreError';
    this.code = code;
    this.path = path;
  }
}

// Raw errno codes mean little to a learner; say what they usually mean here.
const ERRNO_EXPLANATIONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'part of the path is a file, not a folder',
  EISDIR: 'a folder is in the way where a file should be',
  ENOSPC: 'the disk is full',
  EEXIST: 'something is already in the way at this path',
  EBUSY: 'the file is locked by another program',
};

export function explainFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined) return `${ERRNO_EXPLANATIONS[code] ?? 'file system error'} (${code})`;
  return error instanceof Error ? error.message : String(error);
}
