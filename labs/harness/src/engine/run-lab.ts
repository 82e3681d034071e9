import type { LabDefinition } from '../define-lab.ts';
import type { CheckMeta, CheckResult, LabEnv, LabResult } from '../model.ts';
import { CheckContext, type ServerLauncher } from './check-context.ts';
import { CheckCannotRun, classify } from './check-outcomes.ts';
import type { LabIdp } from './lab-idp.ts';
import type { Exchange, RecordingProxy } from '../mcp/recording-proxy.ts';
import { serveCommand } from '../report/wording.ts';
import { RunHealth, type CheckServers } from './server-health.ts';
import { recordCheckFlow } from './check-flow.ts';

/** What a check left behind besides its result: the HTTP exchanges with the server (for replays). */
export interface CheckRecording {
  exchanges: Exchange[];
}

export const HARNESS_VERSION = '0.1.0';
const OUTPUT_LIMIT = 8_000;

export interface RunLabOptions {
  /** The (staged) submission folder. */
  dir: string;
  /** The folder `dir` was staged from (the checks' `ctx.sourceDir`); default `dir`. */
  sourceDir?: string;
  idp: LabIdp;
  env: LabEnv;
  /**
   * Environments for checks that run at the same time (the manifest's
   * `parallelChecks`): each lane runs its checks one after another with its
   * own environment. Default: one lane with `env`.
   */
  lanes?: readonly LabEnv[];
  launcher: ServerLauncher;
  /** HTTP labs: the recording proxy in front of the server (its origin is the server's PUBLIC_URL). */
  proxy?: RecordingProxy;
  /** Only these checks (by id); default all. */
  only?: readonly string[];
  onCheckStart?: (check: CheckMeta) => void;
  /** After each check: its result, and what the recording proxy saw during it (HTTP labs; empty otherwise). */
  onCheckEnd?: (result: CheckResult, recorded: CheckRecording) => void;
  /**
   * Watches the run's servers (server-health.ts), its launcher already
   * wrapped with `health.watch` below any warm launcher. Default: a new one
   * around `launcher`.
   */
  health?: RunHealth;
}

/** A check that ran out of its time (told apart from other errors for the run's health). */
class CheckTimedOut extends CheckCannotRun {}

function capped(text: string): string {
  return text.length <= OUTPUT_LIMIT ? text : `${text.slice(0, OUTPUT_LIMIT / 2)}\n… [${text.length - OUTPUT_LIMIT} characters cut] …\n${text.slice(-OUTPUT_LIMIT / 2)}`;
}

function timeout(ms: number, signal: AbortSignal, what: string): Promise<never> {
  return new Promise((_resolve, reject) => {
    const timer = setTimeout(() => reject(new CheckTimedOut(`${what} did not finish within ${Math.round(ms / 1000)} s; the server was stopped. Does it hang (waiting for input, or a sign-in that never comes)?`)), ms);
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  });
}

interface CheckOutcome {
  result: CheckResult;
  recorded: CheckRecording;
  error?: unknown;
  servers: CheckServers;
}

async function runOneCheck(lab: LabDefinition, meta: CheckMeta, options: RunLabOptions & { health: RunHealth }, deadline: number): Promise<CheckOutcome> {
  const started = Date.now();
  const base = {
    id: meta.id,
    title: meta.title,
    maxPoints: meta.points,
    visibility: meta.visibility,
    hint: meta.hint,
    lessonStep: meta.lessonStep,
    testCode: meta.testCode,
    ...(meta.taskId ? { taskId: meta.taskId } : {}),
  };
  const budget = Math.min(lab.manifest.timeouts.checkMs, deadline - started);
  if (budget <= 0) {
    return { result: { ...base, status: 'error', points: 0, message: 'not run: the lab’s time limit was reached by the checks before it', durationMs: 0 }, recorded: { exchanges: [] }, servers: { started: 0, answered: 0, endedOnTheirOwn: 0 } };
  }
  const run = lab.runs.get(meta.id);
  const controller = new AbortController();
  const info = await options.idp.info();
  const watched = options.health.forCheck(options.launcher, lab.manifest.transport === 'http');
  const startEventId = await options.idp.lastEventId();
  const ctx = new CheckContext({
    lab: lab.manifest,
    dir: options.dir,
    ...(options.sourceDir ? { sourceDir: options.sourceDir } : {}),
    env: options.env,
    idp: options.idp,
    info,
    signal: controller.signal,
    launcher: watched.launcher,
    onHandshake: watched.answered,
    ...(options.proxy ? { proxy: options.proxy } : {}),
    startEventId,
  });
  try {
    if (!run) throw new CheckCannotRun(`the lab declares check '${meta.id}' but has no code for it`);
    await Promise.race([run(ctx), timeout(budget, controller.signal, `The check '${meta.id}'`)]);
    return { result: { ...base, status: 'pass', points: meta.points, durationMs: Date.now() - started }, recorded: { exchanges: ctx.exchanges() }, servers: watched.servers };
  } catch (error) {
    const { status, message } = classify(error);
    const output = ctx.output();
    const flow = await recordCheckFlow(lab.manifest.id, options.idp, startEventId, options.env.CLIENT_ID, ctx.exchanges());
    return { result: { ...base, status, points: 0, message, ...(output ? { output: capped(output) } : {}), ...(flow ? { flow } : {}), durationMs: Date.now() - started }, recorded: { exchanges: ctx.exchanges() }, error, servers: watched.servers };
  } finally {
    controller.abort();
    await ctx.dispose();
  }
}

/**
 * Runs a lab's checks against one submission, each with its own time limit
 * and its own servers (stopped afterwards, whatever happened). Checks start
 * in manifest order, one lane at a time; results come back in manifest order
 * whatever order they finished in. A check that cannot run is an `error`
 * result, never a crash.
 */
export async function runLab(lab: LabDefinition, options: RunLabOptions): Promise<LabResult> {
  const startedAt = new Date();
  const deadline = startedAt.getTime() + lab.manifest.timeouts.labMs;
  const planned = lab.manifest.checks.filter((meta) => !options.only || options.only.includes(meta.id));
  const results: CheckResult[] = new Array<CheckResult>(planned.length);
  const lanes = options.lanes?.length ? options.lanes : [options.env];
  const health = options.health ?? new RunHealth(serveCommand(lab.manifest));
  const launcher = options.health ? options.launcher : health.watch(options.launcher, { readyOnStart: lab.manifest.transport === 'http' });
  let next = 0;
  await Promise.all(
    lanes.map(async (env) => {
      // Single-threaded: taking `next` and moving it on cannot interleave with another lane.
      for (let i = next++; i < planned.length; i = next++) {
        const meta = planned[i]!;
        if (health.broken) {
          // Never started: the server cannot start, and the check that found out says why.
          const skipped = health.notRun(meta);
          results[i] = skipped;
          options.onCheckEnd?.(skipped, { exchanges: [] });
          continue;
        }
        options.onCheckStart?.(meta);
        const outcome = await runOneCheck(lab, meta, { ...options, env, launcher, health }, deadline);
        health.afterCheck(outcome.result, { error: outcome.error, timedOut: outcome.error instanceof CheckTimedOut, servers: outcome.servers, exchanges: outcome.recorded.exchanges });
        results[i] = outcome.result;
        options.onCheckEnd?.(outcome.result, outcome.recorded);
      }
    }),
  );
  const checks = results;
  const score = checks.reduce((sum, c) => sum + c.points, 0);
  const broken = health.summary();
  return {
    lab: lab.manifest.id,
    // A server that cannot start is the run's error (Exercism's top-level error, a JUnit error per check).
    status: broken ? 'error' : checks.every((c) => c.status === 'pass') ? 'pass' : 'fail',
    ...(broken ? { message: broken } : {}),
    score,
    maxScore: checks.reduce((sum, c) => sum + c.maxPoints, 0),
    checks,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    submission: options.dir,
    environment: { node: process.version, platform: process.platform, harness: HARNESS_VERSION },
  };
}
