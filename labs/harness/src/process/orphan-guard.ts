/**
 * A preload for every `node` the runner starts: the server ends itself
 * within `intervalMs` of losing its parent. It covers what no handler in the
 * grader can: a grader killed with SIGKILL (a CI timeout, the OOM killer)
 * runs no 'exit' handler, and its servers would keep their ports.
 *
 * A `data:` URL, so the sandbox needs no grant for it. The parent is gone
 * when `process.ppid` changes (POSIX re-parents orphans) or when signal 0
 * to it fails (Windows keeps the old ppid). `kill` is captured before the
 * learner's code runs; the timer is unref'd and never keeps it alive.
 */
export function orphanGuardFlag(intervalMs = 500): string {
  const source = [
    'const parent = process.ppid;',
    'const kill = process.kill.bind(process);',
    'setInterval(() => {',
    '  let gone = process.ppid !== parent;',
    '  try { kill(parent, 0); } catch (error) { if (error.code === "ESRCH") gone = true; }',
    '  if (gone) kill(process.pid, "SIGKILL");',
    `}, ${Math.max(50, Math.floor(intervalMs))}).unref();`,
  ].join('\n');
  return `--import=data:text/javascript,${encodeURIComponent(source)}`;
}
