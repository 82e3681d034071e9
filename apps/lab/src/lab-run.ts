import path from 'node:path';
import { connectLabIdp, idpForRun as harnessIdpForRun, runningLabIdp, type LabIdp } from '@mcp-lab/harness';
import { labHome, startIdp } from '@mcp-lab/mock-idp';
import { idpUrl } from './lab-idp.ts';
import { explainNetworkError } from './network-error.ts';
import { trustLabCa } from './trust-lab-ca.ts';

/** The same IdP, whose network failures name the URL and the likely cause (a bare `fetch failed` helps nobody). */
function explained(idp: LabIdp): LabIdp {
  const rethrow = (url: string, error: unknown): never => {
    throw explainNetworkError(url, error, idp.caCertPath) ?? error;
  };
  return {
    ...idp,
    info: () => idp.info().catch((error: unknown) => rethrow(`${idp.baseUrl}/_lab/info`, error)),
    admin: <T>(method: string, route: string, body?: unknown) => idp.admin<T>(method, route, body).catch((error: unknown) => rethrow(`${idp.baseUrl}/_lab/admin${route}`, error)),
    events: (since: number, clientId?: string) => idp.events(since, clientId).catch((error: unknown) => rethrow(`${idp.baseUrl}/_lab/events`, error)),
    lastEventId: () => idp.lastEventId().catch((error: unknown) => rethrow(`${idp.baseUrl}/_lab/events`, error)),
  };
}

/**
 * The IdP a check run uses (the harness's idpForRun: the learner's own running
 * one, else a private one stopped after the run), with this process made to
 * trust its CA — the one step every verb needs before it talks to it.
 */
export async function idpForRun(options: { private?: boolean } = {}): Promise<LabIdp> {
  const idp = await harnessIdpForRun(options);
  trustLabCa(idp.caCertPath);
  return explained(idp);
}

/**
 * The learner's own IdP, for values that must match it later (`start`'s
 * `.env`: the seeded web app's dev secret is made once per IdP data folder).
 * When it is not running it is started on its own data for a moment, on a
 * free port; `address` is then where `npm start` will serve it.
 */
export async function learnersIdp(): Promise<{ idp: LabIdp; address: string }> {
  const running = runningLabIdp();
  if (running) {
    trustLabCa(running.caCertPath);
    return { idp: explained(running), address: running.baseUrl };
  }
  const home = labHome();
  const started = await startIdp({ port: 0, dataDir: path.join(home, 'idp'), certDir: path.join(home, 'certs') });
  trustLabCa(started.caCertPath);
  const idp = explained(connectLabIdp(started.baseUrl, started.caCertPath, started.adminToken));
  return { idp: { ...idp, close: () => started.close() }, address: idpUrl() };
}
