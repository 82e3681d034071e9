import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startIdp, type LabInfo, type TraceEvent } from '@mcp-lab/mock-idp';
import { AdminClient } from './admin-client.ts';

/** The identity provider a check run talks to: the learner's running one, or one the harness started for itself. */
export interface LabIdp {
  baseUrl: string;
  caCertPath: string;
  /**
   * True for an IdP started for this run with temporary data (CI, `grade`, a
   * `check` with nothing running): whatever a check registers there is thrown
   * away afterwards. False for the learner's own running IdP, whose state a
   * check must leave as it found it.
   */
  ephemeral: boolean;
  info(): Promise<LabInfo>;
  /** The admin API (device codes, faults, test tokens, registrations); a refusal throws an AdminRequestError. */
  admin<T>(method: string, route: string, body?: unknown): Promise<T>;
  /** Trace events after `since` (an event id), optionally for one app. */
  events(since: number, clientId?: string): Promise<TraceEvent[]>;
  /** The id of the newest trace event (0 when none). */
  lastEventId(): Promise<number>;
  close(): Promise<void>;
}

function client(baseUrl: string, caCertPath: string, adminToken: string, ephemeral: boolean, close: () => Promise<void>): LabIdp {
  const adminApi = new AdminClient(baseUrl, adminToken);
  const admin = <T>(method: string, route: string, body?: unknown): Promise<T> => adminApi.call<T>(method, route, body);
  const events = async (since: number, clientId?: string): Promise<TraceEvent[]> => {
    const query = new URLSearchParams({ since: String(since), ...(clientId ? { client: clientId } : {}) });
    const response = await fetch(`${baseUrl}/_lab/events?${query.toString()}`, { headers: { accept: 'application/json' } });
    return ((await response.json()) as { value: TraceEvent[] }).value;
  };
  return {
    baseUrl,
    caCertPath,
    ephemeral,
    info: async () => (await (await fetch(`${baseUrl}/_lab/info`)).json()) as LabInfo,
    admin,
    events,
    lastEventId: async () => {
      const response = await fetch(`${baseUrl}/_lab/events?tail=1`, { headers: { accept: 'application/json' } });
      return ((await response.json()) as { value: TraceEvent[] }).value.at(-1)?.id ?? 0;
    },
    close,
  };
}

/**
 * Starts a private IdP for a check run (temporary data on a free port),
 * as `check`, `watch` and `grade` do when none is running: nothing has to be
 * started beforehand, and a run never disturbs the learner's own IdP state.
 * Its CA is the lab's, so the harness process must trust it (the CLI does).
 */
export async function startLabIdp(options: { certDir?: string } = {}): Promise<LabIdp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-grading-idp-'));
  const idp = await startIdp({ port: 0, dataDir, ...(options.certDir ? { certDir: options.certDir } : {}) });
  return client(idp.baseUrl, idp.caCertPath, idp.adminToken, true, async () => {
    await idp.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
}

/** A running IdP (the learner's `npm start`), used through its admin token. */
export function connectLabIdp(baseUrl: string, caCertPath: string, adminToken: string): LabIdp {
  return client(baseUrl, caCertPath, adminToken, false, () => Promise.resolve());
}
