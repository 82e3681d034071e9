/**
 * The innermost error code of a failed request. Node's fetch throws a bare
 * `TypeError: fetch failed` and hides what happened in `cause` (and, for a
 * host with several addresses, in `cause.errors`).
 */
export function networkCause(error: unknown, depth = 0): { code: string; message: string } | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown[] };
  const inner = networkCause(e.cause, depth + 1) ?? (e.errors ?? []).map((x) => networkCause(x, depth + 1)).find(Boolean);
  if (inner) return inner;
  return typeof e.code === 'string' ? { code: e.code, message: typeof e.message === 'string' ? e.message : e.code } : undefined;
}

/** TLS verification failures, as opposed to "nobody answers". */
export function isCertificateError(code: string): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME/.test(code);
}
