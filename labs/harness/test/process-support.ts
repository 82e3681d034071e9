import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  freePort,
  stageSubmission,
  startSubmission,
  submissionEnv,
  tempHome,
  type StagedSubmission,
  type StartOptions,
  type SubmissionProcess,
  type TempHome,
} from '../src/process/index.ts';

/** The fixture submissions, one folder per outcome. */
export const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'submissions');

export interface Launched {
  proc: SubmissionProcess;
  staged: StagedSubmission;
  home: TempHome;
  port: number;
}

/** Everything launched in a test file, torn down by `cleanupLaunched()` (afterEach). */
const launched: Launched[] = [];

/** Stages a fixture, gives it a home, a port and an environment, and starts it (sandboxed unless said otherwise). */
export async function launch(
  fixture: string,
  options: { entry?: string; sandbox?: boolean; extra?: Record<string, string>; port?: number; beforeStart?: (staged: StagedSubmission) => void } & Partial<
    Pick<StartOptions, 'protocol' | 'outputLimitBytes' | 'floodLimitBytes' | 'stopGraceMs' | 'ports' | 'orphanGuard' | 'umask' | 'probe'>
  > = {},
): Promise<Launched> {
  const staged = await stageSubmission(path.join(FIXTURES, fixture), { labId: `00-${fixture}` });
  const home = await tempHome();
  const port = options.port ?? (await freePort());
  options.beforeStart?.(staged);
  const env = submissionEnv({ PORT: String(port) }, { home, ...(options.extra ? { extra: options.extra } : {}) });
  const entry = options.entry ?? (fs.existsSync(path.join(staged.dir, 'server.mjs')) ? 'server.mjs' : fs.existsSync(path.join(staged.dir, 'server.js')) ? 'server.js' : 'server.ts');
  try {
    const proc = await startSubmission({
      command: ['node', entry],
      cwd: staged.dir,
      env,
      protocol: options.protocol ?? 'http',
      sandbox: options.sandbox === false ? false : { submission: staged, home },
      ...(options.outputLimitBytes ? { outputLimitBytes: options.outputLimitBytes } : {}),
      ...(options.floodLimitBytes ? { floodLimitBytes: options.floodLimitBytes } : {}),
      stopGraceMs: options.stopGraceMs ?? 500,
      ...(options.ports ? { ports: options.ports } : {}),
      ...(options.orphanGuard === undefined ? {} : { orphanGuard: options.orphanGuard }),
      ...(options.umask === undefined ? {} : { umask: options.umask }),
      ...(options.probe === undefined ? {} : { probe: options.probe }),
    });
    const run = { proc, staged, home, port };
    launched.push(run);
    return run;
  } catch (error) {
    await home.cleanup();
    await staged.cleanup();
    throw error;
  }
}

export async function cleanupLaunched(): Promise<void> {
  for (const run of launched.splice(0)) {
    await run.proc.stop().catch(() => undefined);
    await run.home.cleanup();
    await run.staged.cleanup();
  }
}

export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Asserts every pid is gone: `process.kill(pid, 0)` throws ESRCH. Polls,
 * because a killed orphan stays a zombie until init reaps it.
 */
export async function expectGone(pids: readonly number[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter((pid) => !isGone(pid));
    if (alive.length === 0) return;
    if (Date.now() > deadline) throw new Error(`still alive after ${timeoutMs} ms: ${alive.join(', ')}`);
    await sleep(50);
  }
}

/** Runs `fn`, returning its rejection (failing if it resolves) and how long it took. */
export async function rejection(fn: () => Promise<unknown>): Promise<{ error: Error & { code?: string }; ms: number }> {
  const started = Date.now();
  try {
    await fn();
  } catch (error) {
    return { error: error as Error & { code?: string }, ms: Date.now() - started };
  }
  throw new Error('expected a rejection, but it resolved');
}
