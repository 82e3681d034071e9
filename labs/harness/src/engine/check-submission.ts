import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import type { LabDefinition } from '../define-lab.ts';
import type { CheckMeta, LabResult } from '../model.ts';
import { stageSubmission } from '../process/index.ts';
import type { LabIdp } from './lab-idp.ts';
import { labEnv } from './lab-env.ts';
import { addRunSecret, cloneAppForJob, type JobApp, type RunSecret } from './job-app.ts';
import { SEED } from '@mcp-lab/mock-idp';
import { HARNESS_VERSION, runLab, type RunLabOptions } from './run-lab.ts';
import { submissionLauncher } from './submission-launcher.ts';
import { allowRedirectUri, startHttpFront, type HttpFront } from './http-front.ts';
import { fastDeviceCodePolling } from './run-faults.ts';
import { warmLauncher } from './warm-launcher.ts';
import { openCheckLanes, type CheckLanes } from './check-lanes.ts';
import { serveCommand } from '../report/wording.ts';
import { RunHealth } from './server-health.ts';
import { holdRegistration, type HeldRegistration } from './learner-registration.ts';
import { productionEnv } from './production-env.ts';

export interface CheckSubmissionOptions {
  idp: LabIdp;
  /** Give this run an app registration of its own (parallel grading jobs; see job-app.ts). */
  isolateApp?: { label: string };
  only?: readonly string[];
  /**
   * The learner's lab 01 manifest (`app-manifest.json`). In an ephemeral IdP a
   * lab with a seeded app runs with this registration instead (imported for
   * the run, removed afterwards); lab 01 itself (`importIt: false`) only holds
   * its app ID, so its own check's import cannot meet another learner's.
   */
  registration?: { file: string; importIt: boolean };
  onCheckStart?: (check: CheckMeta) => void;
  onCheckEnd?: RunLabOptions['onCheckEnd'];
}

/** Where the run's app came from, for the result. A job's copy of the seeded app counts as the seeded app. */
function registrationUse(clientId: string, learnerApp: string | undefined, ownApp: boolean, problem: string | undefined): NonNullable<LabResult['registration']> {
  if (learnerApp) return { appId: clientId, source: 'lab-01-manifest' };
  return { appId: clientId, source: ownApp ? 'dotenv' : 'seeded', ...(problem ? { note: `${problem}; the ${ownApp ? 'app in .env' : "lab's ready-made app"} was used instead` } : {}) };
}

/**
 * One lab against one submission folder: stage a copy (never the learner's
 * folder itself, never `npm install`), work out the lab's environment (the
 * learner's `.env` where the IdP knows their app), run the checks, clean up.
 * A submission that cannot even be staged is an `error` result, not a throw.
 */
export async function checkSubmission(lab: LabDefinition, sourceDir: string, options: CheckSubmissionOptions): Promise<LabResult> {
  const started = new Date();
  const manifest = lab.manifest;
  let staged: Awaited<ReturnType<typeof stageSubmission>> | undefined;
  let jobApp: JobApp | undefined;
  let front: HttpFront | undefined;
  let removeRedirectUri: (() => Promise<void>) | undefined;
  let normalPolling: (() => Promise<void>) | undefined;
  let warm: ReturnType<typeof warmLauncher> | undefined;
  let runSecret: RunSecret | undefined;
  let lanes: CheckLanes | undefined;
  let registration: HeldRegistration | undefined;
  try {
    if (!fs.existsSync(sourceDir)) throw new Error(`there is no folder ${sourceDir}. Create it with \`npm run lab -- start ${manifest.id}\`.`);
    staged = await stageSubmission(sourceDir, { labId: manifest.id });
    const dotenvFile = path.join(staged.dir, '.env');
    let dotenv = fs.existsSync(dotenvFile) ? parseEnv(fs.readFileSync(dotenvFile, 'utf8')) : undefined;
    const production = productionEnv(manifest, { caCertPath: options.idp.caCertPath, stagedDir: staged.dir, cacheDir: '.lab-cache' });
    if (manifest.transport === 'http') front = await startHttpFront(production.tls ? { tls: production.tls } : {});
    const usesApp = manifest.env.includes('CLIENT_ID');
    if (options.registration) registration = await holdRegistration(options.idp, options.registration.file, { importIt: options.registration.importIt && usesApp });
    const learnerApp = registration?.imported ? registration.appId : undefined;
    if (learnerApp && dotenv) {
      // The registration handed in for lab 01 decides, not an app a .env names.
      const { CLIENT_ID: _id, CLIENT_SECRET: _secret, ...rest } = dotenv;
      dotenv = rest;
    }
    const before = await options.idp.info();
    const own = learnerApp ? before.apps.find((a) => a.clientId === learnerApp) : dotenv?.CLIENT_ID ? before.apps.find((a) => a.clientId.toLowerCase() === dotenv?.CLIENT_ID?.toLowerCase()) : undefined;
    const ownApp = Boolean(own);
    if (learnerApp && manifest.env.includes('CLIENT_SECRET')) {
      // Imports never carry a secret: the run gets one of its own on the learner's registration.
      runSecret = await addRunSecret(options.idp, learnerApp);
    } else if (own && dotenv && options.idp.ephemeral && manifest.env.includes('CLIENT_SECRET')) {
      // The learner's registration in an IdP made for this run (imported from their lab 01
      // manifest, or a seeded app whose dev secret differs per installation): no secret of
      // theirs is valid here, so the run gets one of its own, removed afterwards.
      runSecret = await addRunSecret(options.idp, own.clientId);
      dotenv = { ...dotenv, CLIENT_SECRET: runSecret.secretText };
    }
    if (options.isolateApp && manifest.seededApp && !ownApp) {
      jobApp = await cloneAppForJob(options.idp, SEED.apps[manifest.seededApp].appId, options.isolateApp.label);
    }
    // Read again: the job's own app must be in it.
    const info = jobApp ? await options.idp.info() : before;
    const env = {
      ...production.env,
      ...labEnv(manifest, info, {
      ...(dotenv ? { dotenv } : {}),
      ...(front ? { publicUrl: front.publicUrl } : {}),
      cacheDir: '.lab-cache',
      ...(jobApp ? { app: { clientId: jobApp.clientId, ...(jobApp.secret ? { secret: jobApp.secret } : {}) } } : {}),
      ...(learnerApp ? { app: { clientId: learnerApp, ...(runSecret ? { secret: runSecret.secretText } : {}) } } : {}),
      }),
    };
    const used = usesApp && env.CLIENT_ID ? registrationUse(env.CLIENT_ID, learnerApp, ownApp, registration?.problem) : undefined;
    if (front && env.CLIENT_ID && env.REDIRECT_URI) removeRedirectUri = await allowRedirectUri(options.idp, env.CLIENT_ID, env.REDIRECT_URI);
    if (env.CLIENT_ID && manifest.env.includes('LAB_AUTH_MODE')) normalPolling = await fastDeviceCodePolling(options.idp, env.CLIENT_ID);
    // Watched below the warm launcher, so a spare that dies on its own counts too.
    const health = new RunHealth(serveCommand(manifest));
    const direct = health.watch(manifest.start ? submissionLauncher(manifest, staged, options.idp.caCertPath) : { start: () => Promise.reject(new Error(`${manifest.id} has no server to start`)) }, {
      readyOnStart: manifest.transport === 'http',
    });
    const launcher = front ? (warm = warmLauncher(direct, front.proxy)) : direct;
    const planned = manifest.checks.filter((c) => !options.only || options.only.includes(c.id));
    const lastCheck = planned.at(-1)?.id;
    lanes = await openCheckLanes(options.idp, manifest, env, { checks: planned.length, label: options.isolateApp?.label ?? manifest.id });
    const result = await runLab(lab, {
      dir: staged.dir,
      sourceDir,
      idp: options.idp,
      env,
      lanes: lanes.envs,
      launcher,
      health,
      ...(front ? { proxy: front.proxy } : {}),
      ...(options.only ? { only: options.only } : {}),
      onCheckStart: (meta) => {
        if (meta.id === lastCheck) warm?.noMoreSpares();
        options.onCheckStart?.(meta);
      },
      ...(options.onCheckEnd ? { onCheckEnd: options.onCheckEnd } : {}),
    });
    return used ? { ...result, registration: used } : result;
  } catch (error) {
    return {
      lab: manifest.id,
      status: 'error',
      score: 0,
      maxScore: manifest.checks.reduce((sum, c) => sum + c.points, 0),
      checks: [],
      message: `The lab could not be checked: ${(error as Error).message}`,
      startedAt: started.toISOString(),
      durationMs: Date.now() - started.getTime(),
      submission: sourceDir,
      environment: { node: process.version, platform: process.platform, harness: HARNESS_VERSION },
    };
  } finally {
    await lanes?.close();
    await warm?.close();
    await normalPolling?.();
    await removeRedirectUri?.();
    await front?.close();
    await jobApp?.remove();
    await runSecret?.remove();
    await registration?.release();
    await staged?.cleanup();
  }
}
