import type { DatabaseSync } from 'node:sqlite';

export interface PendingDeviceCode {
  tenantId: string;
  clientId: string;
  userCode: string;
  scope: string;
  /** ISO 8601 */
  expiresAt: string;
}

/**
 * Device codes nobody has approved or declined yet, so tooling (the grader,
 * tests) can complete a sign-in without reading a learner's program output.
 */
export function pendingDeviceCodes(db: DatabaseSync, filter: { tenantId?: string; clientId?: string } = {}, now = Date.now()): PendingDeviceCode[] {
  const rows = db
    .prepare(`SELECT partition, payload, expires_at FROM oidc_models WHERE model = 'DeviceCode' AND consumed IS NULL AND expires_at > ? ORDER BY expires_at`)
    .all(now) as { partition: string; payload: string; expires_at: number }[];
  const out: PendingDeviceCode[] = [];
  for (const row of rows) {
    const payload = JSON.parse(row.payload) as { clientId?: string; userCode?: string; scope?: string; accountId?: string; error?: string; params?: { scope?: string } };
    if (payload.accountId || payload.error || !payload.userCode || !payload.clientId) continue;
    if (filter.tenantId && filter.tenantId !== row.partition) continue;
    if (filter.clientId && filter.clientId.toLowerCase() !== payload.clientId.toLowerCase()) continue;
    out.push({
      tenantId: row.partition,
      clientId: payload.clientId,
      userCode: payload.userCode,
      scope: payload.params?.scope ?? payload.scope ?? '',
      expiresAt: new Date(row.expires_at).toISOString(),
    });
  }
  return out;
}
