import type { LabEnv, LabManifest } from '../model.ts';
import type { LabIdp } from './lab-idp.ts';
import { cloneAppForJob, type JobApp } from './job-app.ts';
import { fastDeviceCodePolling } from './run-faults.ts';

export interface CheckLanes {
  /** One environment per lane; the first is the run's own. */
  envs: LabEnv[];
  /** Removes the lanes' app registrations and faults; never throws. */
  close(): Promise<void>;
}

/**
 * Environments for checks that run at once (the manifest's `parallelChecks`).
 * Lane 1 keeps the run's app; every other lane signs in with a copy of it, so
 * what a check reads by client ID (trace, pending device codes) and the
 * faults it sets belong to it alone. When the app cannot be copied (an app
 * the IdP does not know: the checks will say so), the run keeps one lane.
 */
export async function openCheckLanes(idp: LabIdp, manifest: LabManifest, env: LabEnv, options: { checks: number; label: string }): Promise<CheckLanes> {
  const wanted = Math.min(manifest.parallelChecks, options.checks);
  const apps: JobApp[] = [];
  const undo: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const step of undo.reverse()) await step().catch(() => undefined);
  };
  const envs: LabEnv[] = [env];
  if (wanted <= 1 || !env.CLIENT_ID) return { envs, close };
  try {
    for (let lane = 2; lane <= wanted; lane++) {
      const app = await cloneAppForJob(idp, env.CLIENT_ID, `${options.label} lane ${lane}`);
      apps.push(app);
      undo.push(() => app.remove());
      if (manifest.env.includes('LAB_AUTH_MODE')) undo.push(await fastDeviceCodePolling(idp, app.clientId));
      envs.push({ ...env, CLIENT_ID: app.clientId, ...(app.secret ? { CLIENT_SECRET: app.secret } : {}) });
    }
  } catch {
    await close();
    return { envs: [env], close: () => Promise.resolve() };
  }
  return { envs, close };
}
