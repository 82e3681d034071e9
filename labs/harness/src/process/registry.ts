/**
 * Every server this process started and has not yet seen the end of, so
 * that a grader that crashes, is interrupted (Ctrl-C) or is terminated
 * takes its submissions with it instead of leaving them running. Handlers
 * are installed only while something is registered, and a signal is
 * re-raised after the kill when nothing else listens for it, so the
 * grader's own behaviour on that signal is unchanged.
 */
type KillNow = () => void;

const live = new Set<KillNow>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function killAll(): void {
  for (const kill of [...live]) {
    try {
      kill();
    } catch {
      // Best effort while exiting: one failure must not spare the others.
    }
  }
  live.clear();
}

const onExit = (): void => killAll();

const onSignal = (signal: NodeJS.Signals): void => {
  killAll();
  const othersListen = process.listenerCount(signal) > 1;
  uninstall();
  if (!othersListen) process.kill(process.pid, signal);
};

function install(): void {
  process.on('exit', onExit);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  process.off('exit', onExit);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** Registers a started server's synchronous hard kill; returns the function that unregisters it (call it once the tree is gone). */
export function trackSubmission(killNow: KillNow): () => void {
  if (live.size === 0) install();
  live.add(killNow);
  return () => {
    if (live.delete(killNow) && live.size === 0) uninstall();
  };
}

/** How many started servers are not yet known to be gone (for tests and diagnostics). */
export function liveSubmissionCount(): number {
  return live.size;
}

/** Kills every registered server's process tree now, synchronously. */
export function killAllSubmissionsNow(): void {
  killAll();
  uninstall();
}
