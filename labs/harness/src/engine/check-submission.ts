import fs from 'node:fs';
import path from 'node:path';
import type { LabDefinition } from '../define-lab.ts';
import type { CheckMeta, CheckResult, LabResult } from '../model.ts';
import { freePort, stageSubmission } from '../process/index.ts';
import type { GradingIdp } from './grading-idp.ts';
import { labEnv, parseDotenv } from './lab-env.ts';
import { cloneAppForJob, type JobApp } from './job-app.ts';
import { SEED } from '@mcp-lab/mock-idp';
import { HARNESS_VERSION, runLab } from './run-lab.ts';
import { submissionLauncher } from './submission-launcher.ts';

export interface CheckSubmissionOptions {
  idp: GradingIdp;
  /** Give this run an app registration of its own (parallel grading jobs; see job-app.ts). */
  isolateApp?: { label: string };
  only?: readonly string[];
  onCheckStart?: (check: CheckMeta) => void;
  onCheckEnd?: (result: CheckResult) => void;
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
  try {
    if (!fs.existsSync(sourceDir)) throw new Error(`there is no folder ${sourceDir}. Create it with \`npm run lab -- start ${manifest.id}\`.`);
    staged = await stageSubmission(sourceDir, { labId: manifest.id });
    const dotenvFile = path.join(staged.dir, '.env');
    const dotenv = fs.existsSync(dotenvFile) ? parseDotenv(fs.readFileSync(dotenvFile, 'utf8')) : undefined;
    const port = manifest.transport === 'http' ? await freePort() : undefined;
    const before = await options.idp.info();
    const ownApp = Boolean(dotenv?.CLIENT_ID && before.apps.some((a) => a.clientId.toLowerCase() === dotenv.CLIENT_ID?.toLowerCase()));
    if (options.isolateApp && manifest.seededApp && !ownApp) {
      jobApp = await cloneAppForJob(options.idp, SEED.apps[manifest.seededApp].appId, options.isolateApp.label);
    }
    // Read again: the job's own app must be in it.
    const info = jobApp ? await options.idp.info() : before;
    const env = labEnv(manifest, info, {
      ...(dotenv ? { dotenv } : {}),
      ...(port !== undefined ? { port } : {}),
      cacheDir: '.lab-cache',
      ...(jobApp ? { app: { clientId: jobApp.clientId, ...(jobApp.secret ? { secret: jobApp.secret } : {}) } } : {}),
    });
    const launcher = manifest.start ? submissionLauncher(manifest, staged, options.idp.caCertPath) : { start: () => Promise.reject(new Error(`${manifest.id} has no server to start`)) };
    return await runLab(lab, {
      dir: staged.dir,
      idp: options.idp,
      env,
      launcher,
      ...(options.only ? { only: options.only } : {}),
      ...(options.onCheckStart ? { onCheckStart: options.onCheckStart } : {}),
      ...(options.onCheckEnd ? { onCheckEnd: options.onCheckEnd } : {}),
    });
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
    await jobApp?.remove();
    await staged?.cleanup();
  }
}
