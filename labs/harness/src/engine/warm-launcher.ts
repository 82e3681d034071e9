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
 */
export function warmLauncher(inner: ServerLauncher, proxy: RecordingProxy): ServerLauncher & { noMoreSpares(): void; close(): Promise<void> } {
  let spare: { key: string; started: Promise<Started> } | undefined;
  let spares = true;
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
  return {
    async start(env, options = {}) {
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
      const { server, port } = await started;
      proxy.retarget(new URL(`http://127.0.0.1:${port}`));
      if (spares) {
        const next = launch(env, options);
        next.catch(() => undefined);
        spare = { key, started: next };
      }
      return server;
    },
    /** The check about to run is the last: the server it takes is the last one started. */
    noMoreSpares: () => {
      spares = false;
    },
    close: stopSpare,
  };
}
