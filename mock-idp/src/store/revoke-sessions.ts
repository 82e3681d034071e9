import type { DatabaseSync } from 'node:sqlite';

/**
 * Entra's "Revoke sessions" for one user: every browser session, grant,
 * refresh token, pending code and device code ends, in every tenant.
 * Access tokens already issued stay valid until they expire (they are
 * self-contained JWTs) — which is why they are short-lived.
 */
export function revokeUserSessions(db: DatabaseSync, userId: string): number {
  const result = db.prepare(`DELETE FROM oidc_models WHERE json_extract(payload, '$.accountId') = ?`).run(userId);
  return Number(result.changes);
}
