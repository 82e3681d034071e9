/**
 * What `next build` is doing, in words a learner waiting for their first
 * `npm start` can follow. Next prints its phases on stdout; those lines were
 * kept for the error message only, so the learner saw nothing for a minute.
 */

/** The phase a line of `next build`'s output starts, or undefined for any other line. Pure. */
export function buildPhase(line: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- Next colours its output on a terminal; the escape codes go.
  const text = line.replace(/\u001b\[[0-9;]*m/g, '').trim();
  if (/Creating an optimized production build/.test(text)) return 'compiling the pages and scripts';
  const compiled = /Compiled successfully in ([\d.]+\s*m?s)/.exec(text);
  if (compiled) return `compiled in ${compiled[1]}`;
  if (/Collecting page data/.test(text)) return 'reading the lessons and labs';
  const pages = /Generating static pages[^(]*\((\d+)\/(\d+)\)/.exec(text);
  if (pages) return `writing the pages (${pages[1]} of ${pages[2]})`;
  if (/Finalizing page optimization/.test(text)) return 'finishing';
  return undefined;
}

export interface BuildProgress {
  /** Feed every chunk of `next build`'s output. */
  output(chunk: string): void;
  stop(): void;
}

/**
 * Says each new phase once, with the time since the build started, and —
 * during a long phase (compiling is most of it) — that it is still at it,
 * every `everyMs`, so a silent terminal never looks like a hang.
 */
export function buildProgress(log: (line: string) => void, options: { everyMs?: number; now?: () => number } = {}): BuildProgress {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const seconds = () => `${Math.round((now() - started) / 1000)} s`;
  let phase = 'starting';
  let pending = '';
  const tick = setInterval(() => log(`  … still ${phase} (${seconds()})`), options.everyMs ?? 10_000);
  tick.unref();
  return {
    output(chunk: string) {
      pending += chunk;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const next = buildPhase(line);
        if (!next || next === phase) continue;
        phase = next;
        log(`  ${seconds().padStart(5)}  ${next}`);
      }
    },
    stop() {
      clearInterval(tick);
    },
  };
}
