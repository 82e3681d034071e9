import { freePort } from '../process/index.ts';
import type { RecordingProxy } from '../mcp/recording-proxy.ts';
import type { LabEnv } from '../model.ts';
import type { LaunchOptions, ServerLauncher, ServerProcess } from './check-context.ts';

interface Started {
  server: ServerProcess;
  port: number;
}

/**
 * HTTP labs: every check gets a fresh server, but starting one (Node under
 * the permission model, Express, the MCP SDK, MSAL) takes about half a
 * second. While a check runs, the next check's server is already starting
 * on a port of its own; when that check asks for a server with the same
 * environment it gets this spare, and the recording proxy — the address
 * clients know — is pointed at it. A check sees nothing different but a
 * shorter wait, and each server still serves one check only.
 *
 * Unless checks ask to share (startShared, ctx.sharedServer(group)): checks
 * that run one after another and ask to share within the same group get the
 * same server, as long as it runs. It is stopped when a check wants another
 * server (its own, or another group's), or when the run ends. A group keeps
 * what the server is put through small (rate limits count per server). That saves a server start (half a second of
 * CPU) per check, which counts when a lab has twenty checks and the
 * machine two cores.
 */
export function warmLauncher(inner: ServerLauncher, proxy: RecordingProxy): Required<ServerLauncher> & { noMoreSpares(): void; close(): Promise<void> } {
  let spare: { key: string; started: Promise<Started> } | undefined;
  let spares = true;
  let shared: { key: string; started: Started; running: boolean } | undefined;
  const stopping: Promise<unknown>[] = [];
  const keyOf = (env: LabEnv, options: LaunchOptions) => JSON.stringify([Object.entries(env).filter(([name]) => name !== 'PORT').sort(), options.trustIdp !== false]);
  const launch = async (env: LabEnv, options: LaunchOptions): Promise<Started> => {
    const port = await freePort();
    return { server: await inner.start({ ...env, PORT: String(port) }, options), port };
  };
  const stopSpare = async () => {
    const old = spare;
    spare = undefined;
    if (old) await old.started.then(({ server }) => server.stop(), () => undefined);
  };
  /** The shared server's checks are over: it stops in the background (close() waits for it). */
  const endShared = () => {
    const old = shared;
    shared = undefined;
    if (old) stopping.push(old.started.server.stop().catch(() => undefined));
  };
  /** A server for `env`: the spare when it fits, else a fresh one; then the next spare starts. */
  const take = async (env: LabEnv, options: LaunchOptions): Promise<Started> => {
    const key = keyOf(env, options);
    let started: Promise<Started>;
    if (spare?.key === key) {
      started = spare.started;
      spare = undefined;
    } else {
      await stopSpare();
      started = launch(env, options);
    }
    // A spare that failed to start fails this check, exactly as a fresh start would have.
    const taken = await started;
    if (spares) {
      const next = launch(env, options);
      next.catch(() => undefined);
      spare = { key, started: next };
    }
    return taken;
  };
  const handOut = ({ server, port }: Started): ServerProcess => {
    proxy.retarget(new URL(`http://127.0.0.1:${port}`));
    return server;
  };
  return {
    async start(env, options = {}) {
      endShared();
      return handOut(await take(env, options));
    },
    async startShared(env, group) {
      const key = `${group}\n${keyOf(env, {})}`;
      if (shared?.key === key && shared.running) return handOut(shared.started);
      endShared();
      const entry = { key, started: await take(env, {}), running: true };
      // A server that ended (a crash in the check before) is not handed on: the next check gets a fresh one.
      void entry.started.server.exited.then(() => {
        entry.running = false;
      });
      shared = entry;
      return handOut(entry.started);
    },
    /** The check about to run is the last: the server it takes is the last one started. */
    noMoreSpares: () => {
      spares = false;
    },
    close: async () => {
      await stopSpare();
      endShared();
      await Promise.all(stopping);
    },
  };
}
