import { ServerProbeError, type ListenAddress, type ServerProbe } from '../process/server-probe.ts';
import { CheckCannotRun } from './check-outcomes.ts';

/**
 * The server probe (process/server-probe.ts) as verbs a check uses: on the
 * server, `listeningAddresses()` and `advanceClock(seconds)`; on the check
 * context, `advanceServerClock(seconds)` for every server of the check. A probe that cannot answer makes
 * the check an error (the grader could not look), never a fail.
 */

const LISTEN_REPORT_MS = 2_000;

const cannotRun = (error: unknown): never => {
  if (error instanceof ServerProbeError) throw new CheckCannotRun(`${error.message} [${error.code}]`);
  throw error;
};

/** The probe's verbs for a ServerProcess; none when the server runs without the probe (stdio labs). */
export function probeVerbs(probe: ServerProbe | undefined): { listeningAddresses?: () => Promise<ListenAddress[]>; advanceClock?: (seconds: number) => Promise<void> } {
  if (!probe) return {};
  return {
    listeningAddresses: async () => {
      const addresses = await probe.waitForListening(LISTEN_REPORT_MS);
      if (addresses.length === 0) {
        throw new CheckCannotRun(
          probe.attached
            ? `the server reported no listening socket within ${LISTEN_REPORT_MS / 1000} s, although it said it was ready`
            : 'the grader could not see where the server listens: its probe never reported (the server was not started with `node …`, or it ended)',
        );
      }
      return addresses;
    },
    advanceClock: (seconds) => probe.setClockOffset(probe.clockOffsetMs + seconds * 1000).catch(cannotRun),
  };
}

/** Moves each server's clock `seconds` further ahead (clocks only move forward). */
export async function advanceClocks(servers: readonly { advanceClock?(seconds: number): Promise<void> }[], seconds: number): Promise<void> {
  if (!Number.isFinite(seconds) || seconds < 0) throw new CheckCannotRun(`a server's clock only moves forward, by a finite number of seconds (not ${seconds})`);
  if (servers.length === 0) throw new CheckCannotRun('there is no server to move the clock of: start it first (ctx.startServer())');
  await Promise.all(
    servers.map(async (server) => {
      if (!server.advanceClock) throw new CheckCannotRun("this lab's servers run without the probe that moves their clock (only HTTP labs have it)");
      await server.advanceClock(seconds);
    }),
  );
}
