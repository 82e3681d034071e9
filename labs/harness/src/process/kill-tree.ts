import { spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { SubmissionError } from './errors.ts';
import { isAlive, listProcesses, processesMarked, treeOf } from './process-table.ts';

/** One started server, as far as killing it is concerned. */
export interface KillTarget {
  /** The root process; on POSIX also its process group id (it is started detached, as a group leader). */
  pid: number;
  /** True until the root has exited: after that its pid may be reused, so its "descendants" are no longer ours. */
  rootRunning(): boolean;
  /** The variable every process of the run inherits (see start.ts). */
  marker: { name: string; value: string };
}

/** Windows has no process groups to signal; taskkill walks the parent links itself (/T) and does not ask (/F). Pure. */
export function windowsKillCommand(pid: number): { file: string; args: string[] } {
  return { file: 'taskkill', args: ['/pid', String(pid), '/T', '/F'] };
}

/** Everything of the run that is alive now (POSIX). */
function collectTree(target: KillTarget, platform: NodeJS.Platform = process.platform): number[] {
  const running = target.rootRunning();
  const pids = new Set(treeOf(listProcesses(platform), target.pid, running ? target.pid : undefined));
  for (const pid of processesMarked(target.marker.name, target.marker.value, platform)) pids.add(pid);
  if (running) pids.add(target.pid);
  return [...pids].filter((pid) => pid !== process.pid);
}

function signalAll(target: KillTarget, pids: Iterable<number>, signal: NodeJS.Signals): void {
  try {
    // The whole group in one call: also reaches members forked since the table was read.
    process.kill(-target.pid, signal);
  } catch {
    // ESRCH: the group is empty.
  }
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone meanwhile.
    }
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= deadline) return false;
    await sleep(25);
  }
  return true;
}

/**
 * Ends the run's whole process tree. POSIX: SIGTERM to the group and every
 * process found, `graceMs` to exit cleanly, then SIGKILL — repeated while
 * new processes appear (a fork racing the kill). Windows: taskkill /T /F.
 * Throws KILL_FAILED naming any survivor: a leak is reported, never hidden.
 */
export async function killTree(target: KillTarget, options: { graceMs: number; platform?: NodeJS.Platform }): Promise<void> {
  const platform = options.platform ?? process.platform;
  if (platform === 'win32') {
    await runTaskkill(target.pid);
    if (!(await waitUntil(() => !isAlive(target.pid, platform), 5_000))) throw killFailed([target.pid]);
    return;
  }
  const known = new Set(collectTree(target, platform));
  signalAll(target, known, 'SIGTERM');
  const allGone = () => [...known].every((pid) => !isAlive(pid, platform));
  if (await waitUntil(allGone, options.graceMs)) {
    // Quick exits can leave a child forked during the grace period.
    const late = collectTree(target, platform);
    if (late.length === 0) return;
    for (const pid of late) known.add(pid);
  }
  for (let round = 0; round < 3; round += 1) {
    for (const pid of collectTree(target, platform)) known.add(pid);
    const alive = [...known].filter((pid) => isAlive(pid, platform));
    if (alive.length === 0) return;
    signalAll(target, alive, 'SIGKILL');
    await waitUntil(allGone, 2_000);
  }
  const survivors = [...known].filter((pid) => isAlive(pid, platform));
  if (survivors.length > 0) throw killFailed(survivors);
}

/** For the grader's own exit: SIGKILL everything at once, synchronously (an 'exit' handler cannot wait). */
export function killTreeNow(target: KillTarget, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') {
    const { file, args } = windowsKillCommand(target.pid);
    spawnSync(file, args, { windowsHide: true, stdio: 'ignore', timeout: 5_000 });
    return;
  }
  signalAll(target, collectTree(target, platform), 'SIGKILL');
}

function runTaskkill(pid: number): Promise<void> {
  const { file, args } = windowsKillCommand(pid);
  return new Promise((resolve) => {
    // Exit code 128 (no such process) is fine: the tree is gone either way.
    const child = spawn(file, args, { windowsHide: true, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill(), 10_000);
    child.once('error', () => resolve());
    child.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function killFailed(pids: number[]): SubmissionError {
  return new SubmissionError(
    'KILL_FAILED',
    `process${pids.length > 1 ? 'es' : ''} ${pids.join(', ')} of the submission could not be ended and may still be running: end ${pids.length > 1 ? 'them' : 'it'} by hand (kill -9 / Task Manager).`,
  );
}
