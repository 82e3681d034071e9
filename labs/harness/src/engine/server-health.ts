import type { CheckMeta, CheckResult, LabEnv } from '../model.ts';
import type { ServerLauncher } from './check-context.ts';
import { ServerDidNotStart } from './check-outcomes.ts';
import type { Exchange } from '../mcp/recording-proxy.ts';

/** Why the rest of a run is not run: its server cannot start, or dies as soon as it does. */
export interface BrokenServer {
  /** The check whose result shows the server's output. */
  checkId: string;
  /** One sentence: what the server did. */
  cause: string;
}

/** What one check did with servers: how many it started, and how many got to where it could talk to them. */
export interface CheckServers {
  started: number;
  answered: number;
  /** stdio: servers whose output ended before the harness stopped them. */
  endedOnTheirOwn: number;
}

/** Checks in a row, from the run's start, whose server was gone before the check could use it: a crash loop. */
const CRASH_LOOP_CHECKS = 2;

/** What the proxy writes when the server did not answer (recording-proxy.ts). */
const NO_ANSWER = 'the server did not answer';

/**
 * Whether a check that did not pass lost its server(s): every stdio server it
 * started closed its output on its own, or (HTTP) the server it started
 * answered none of the requests that reached the proxy. Undefined when not.
 */
function lostServer(servers: CheckServers, exchanges: readonly Exchange[]): string | undefined {
  if (servers.started === 0) return undefined;
  if (servers.endedOnTheirOwn >= servers.started) return 'the server ended on its own while the check used it';
  if (exchanges.length > 0 && exchanges.every((e) => e.status === 502 && e.responseBody.startsWith(NO_ANSWER))) return 'the server said it was ready, then answered no request';
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.trim();
}

/**
 * Watches the servers of one run so that a submission whose server cannot
 * start costs one start budget, not one per check. A run is broken when no
 * check has passed yet and either
 *
 * - no server of the run ever became usable (said it was ready, or answered
 *   the MCP handshake), and a check ended because its server did not start
 *   (`ServerDidNotStart`: it exited, never said it was ready, never answered
 *   `initialize`) or ran out of time with a server that never answered; or
 * - {@link CRASH_LOOP_CHECKS} checks in a row lost their server: it started,
 *   then ended on its own (stdio) or answered no request (HTTP) — a crash
 *   loop. Told by what the check saw, not by timing the exit, because a
 *   check that fails fast can end before a dying server's exit is seen.
 *
 * Once broken, the run's remaining checks are reported at once as errors that
 * name the cause and point at the check that shows the server's output.
 * A server that worked once is never cut short: a later failure is that
 * check's own.
 */
export class RunHealth {
  #starts = 0;
  #usable = 0;
  #lostInARow = 0;
  #lastLoss = '';
  #passed = false;
  #broken: BrokenServer | undefined;
  readonly #startCommand: string;

  /** `startCommand`: how the learner starts the server by hand (the lab's serve command), for the message that tells them to try it. */
  constructor(startCommand?: string) {
    this.#startCommand = startCommand ? `\`${startCommand}\`` : 'your server';
  }

  /** Servers started in this run (spares included). */
  get starts(): number {
    return this.#starts;
  }

  get broken(): BrokenServer | undefined {
    return this.#broken;
  }

  /**
   * The run's launcher, watched: every start is counted. `readyOnStart`: a
   * started server is usable (HTTP labs wait for the ready line in `start`);
   * stdio servers are usable once they answer the handshake ({@link forCheck}).
   */
  watch(inner: ServerLauncher, options: { readyOnStart: boolean }): ServerLauncher {
    return {
      start: async (env, launch) => {
        this.#starts++;
        const server = await inner.start(env, launch);
        if (options.readyOnStart) this.#usable++;
        return server;
      },
    };
  }

  /**
   * A launcher for one check: counts what this check started, how much of it
   * answered, and (stdio) which servers closed their stdout — ended — before
   * the harness stopped them.
   */
  forCheck(launcher: ServerLauncher, http: boolean): { launcher: ServerLauncher; servers: CheckServers; answered: () => void } {
    const servers: CheckServers = { started: 0, answered: 0, endedOnTheirOwn: 0 };
    return {
      servers,
      launcher: {
        start: async (env, launch) => {
          servers.started++;
          const server = await launcher.start(env, launch);
          if (http) {
            servers.answered++;
            return server;
          }
          let stopping = false;
          // Listening for 'end' does not start the stream flowing: the MCP transport still reads it all.
          server.stdout.once('end', () => {
            if (!stopping) servers.endedOnTheirOwn++;
          });
          // Everything the launcher gave (home, probe verbs…) passes through; only stopping is watched.
          const mark = () => {
            stopping = true;
          };
          return {
            ...server,
            stop: () => {
              mark();
              return server.stop();
            },
            ...(server.stopProcess
              ? {
                  stopProcess: () => {
                    mark();
                    return server.stopProcess!();
                  },
                }
              : {}),
          };
        },
        // Shared servers (HTTP labs) are counted as answered when handed out, like any HTTP server.
        ...(launcher.startShared
          ? {
              startShared: async (env: LabEnv, group: string) => {
                servers.started++;
                const server = await launcher.startShared!(env, group);
                servers.answered++;
                return server;
              },
            }
          : {}),
      },
      answered: () => {
        servers.answered++;
        this.#usable++;
      },
    };
  }

  /**
   * After each check: its result, the error it ended with (if any), whether it
   * ran out of time, what it did with servers and (HTTP) what the recording
   * proxy saw.
   */
  afterCheck(result: CheckResult, outcome: { error: unknown; timedOut: boolean; servers: CheckServers; exchanges: readonly Exchange[] }): void {
    if (result.status === 'pass') this.#passed = true;
    if (this.#broken || this.#passed) return;
    const { error, timedOut, servers, exchanges } = outcome;
    const neverUsable = this.#usable === 0;
    if (neverUsable && error instanceof ServerDidNotStart) {
      this.#broken = { checkId: result.id, cause: firstLine(error.message) };
      return;
    }
    if (neverUsable && timedOut && servers.started > 0 && servers.answered === 0) {
      this.#broken = { checkId: result.id, cause: `the server never answered the MCP handshake (initialize) before the check's time limit` };
      return;
    }
    const loss = lostServer(servers, exchanges);
    this.#lostInARow = loss ? this.#lostInARow + 1 : 0;
    if (loss) this.#lastLoss = loss;
    if (this.#lostInARow >= CRASH_LOOP_CHECKS) {
      this.#broken = { checkId: result.id, cause: `${this.#lastLoss}, in ${this.#lostInARow} checks in a row: a crash loop (it starts, then dies)` };
    }
  }

  /** The run's message when it is broken: the lab could not be checked, and why. */
  summary(): string | undefined {
    const broken = this.#broken;
    if (!broken) return undefined;
    return `The server cannot start: in check '${broken.checkId}' ${broken.cause}. The remaining checks were not run. Start it yourself (${this.#startCommand}) and fix what it prints, then check again.`;
  }

  /** A remaining check's result once the run is broken: an error naming the cause, without output (shown once, with the first check). */
  notRun(meta: CheckMeta): CheckResult {
    const broken = this.#broken!;
    return {
      id: meta.id,
      title: meta.title,
      status: 'error',
      points: 0,
      maxPoints: meta.points,
      visibility: meta.visibility,
      message: `not run: the server cannot start, so this check could not talk to it. In check '${broken.checkId}' ${broken.cause} (its output is shown with that check). Start it yourself (${this.#startCommand}) and fix what it prints, then check again.`,
      hint: meta.hint,
      lessonStep: meta.lessonStep,
      testCode: meta.testCode,
      ...(meta.taskId ? { taskId: meta.taskId } : {}),
      durationMs: 0,
    };
  }
}
