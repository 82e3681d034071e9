import type { LabManifest } from '../model.ts';
import { startSubmission, submissionEnv, tempHome } from '../process/index.ts';
import type { ServerLauncher, ServerProcess } from './check-context.ts';
import { CheckCannotRun, ServerDidNotStart } from './check-outcomes.ts';
import { probeVerbs } from './server-probe-verbs.ts';

/** How long a server may take to say it is ready: the start budget of a check. */
const READY_TIMEOUT_MS = 15_000;

/**
 * Starts the learner's server from the staged copy, sandboxed, with a home of
 * its own and only the lab's variables, and waits until it says it is ready
 * (HTTP labs) — everything a check needs before it can talk to it.
 */
export function submissionLauncher(lab: LabManifest, staged: { dir: string; root: string }, caFile: string): ServerLauncher {
  const start = lab.start;
  if (!start) throw new Error(`${lab.id} has no start command`);
  return {
    async start(env, options = {}): Promise<ServerProcess> {
      const home = await tempHome();
      try {
        const process = await startSubmission({
          command: start.command,
          cwd: staged.dir,
          env: submissionEnv(env, { home, caFile: options.trustIdp === false ? null : caFile }),
          protocol: lab.transport === 'stdio' ? 'stdio' : 'http',
          sandbox: { submission: staged, home },
          // HTTP labs: checks may ask where the server listens and move its clock.
          probe: lab.transport === 'http',
          ...(env.PORT ? { ports: [Number(env.PORT)] } : {}),
        });
        const stop = async () => {
          await process.stop();
          await home.cleanup();
        };
        if (start.ready) {
          try {
            await process.waitForOutput(new RegExp(start.ready), READY_TIMEOUT_MS);
          } catch (error) {
            await stop();
            throw new ServerDidNotStart(`the server did not say it was ready (${start.ready}) within ${READY_TIMEOUT_MS / 1000} s: ${process.diagnosis() ?? (error as Error).message}\n${process.output().slice(-2000)}`);
          }
        }
        return {
          stdin: process.stdin,
          stdout: process.stdout,
          output: () => process.output(),
          waitForOutput: async (pattern, timeoutMs) => {
            await process.waitForOutput(pattern, timeoutMs);
          },
          exited: process.exited.then(({ code, signal }) => ({ code, signal })),
          stop,
          home: home.dir,
          stopProcess: () => process.stop(),
          ...probeVerbs(process.probe),
        };
      } catch (error) {
        await home.cleanup();
        if (error instanceof CheckCannotRun) throw error;
        throw new CheckCannotRun(`the server could not be started: ${(error as Error).message}`);
      }
    },
  };
}
