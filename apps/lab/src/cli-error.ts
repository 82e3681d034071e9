import { AdminRequestError } from '@mcp-lab/harness';
import { networkCause } from './network-cause.ts';

/** Exit codes of every `mcp-lab` verb (docs/design.md §3). */
export const EXIT = {
  ok: 0,
  /** A check failed (check/grade). */
  failed: 1,
  /** Could not run: the IdP is down, a port is busy, a file is unreadable. */
  couldNotRun: 2,
  /** Usage error (sysexits EX_USAGE). */
  usage: 64,
} as const;

/** An error the learner can act on: what happened, and what to do. */
export class CliError extends Error {
  readonly code: string;
  readonly fix: string;
  readonly exitCode: number;
  constructor(code: string, message: string, fix: string, exitCode: number = EXIT.couldNotRun) {
    super(message);
    this.name = 'CliError';
    this.code = code;
    this.fix = fix;
    this.exitCode = exitCode;
  }
}

/** The IdP's admin API refused: a request it cannot take (400, 404, 409) is a usage error, anything else could not run. */
export function exitCodeOfRefusal(error: AdminRequestError): number {
  return error.status === 400 || error.status === 404 || error.status === 409 ? EXIT.usage : EXIT.couldNotRun;
}

/** Prints an error as `error CODE: message` + `fix: …` on stderr and returns the exit code. */
export function reportError(error: unknown): number {
  if (error instanceof CliError) {
    process.stderr.write(`error ${error.code}: ${error.message}\nfix: ${error.fix}\n`);
    return error.exitCode;
  }
  if (error instanceof AdminRequestError) {
    process.stderr.write(`error ${error.code}: ${error.message}\nfix: ${error.fix}\n`);
    return exitCodeOfRefusal(error);
  }
  const coded = error as { code?: unknown; message?: unknown; fix?: unknown };
  if (typeof coded.code === 'string' && typeof coded.message === 'string' && /^[A-Z_]+$/.test(coded.code)) {
    // Coded errors of the harness (a lab that cannot load) carry their fix; the IdP's own modules say it in the message.
    process.stderr.write(`error ${coded.code}: ${coded.message}\n${typeof coded.fix === 'string' ? `fix: ${coded.fix}\n` : ''}`);
    return EXIT.couldNotRun;
  }
  const cause = networkCause(error);
  if (cause) {
    // A failed request that no verb explained: at least say what failed underneath, and where to look.
    process.stderr.write(`error NETWORK: a request failed: ${cause.message} (${cause.code}).\nfix: \`npm run lab -- doctor\` checks the IdP, its certificate and the ports.\n`);
    return EXIT.couldNotRun;
  }
  process.stderr.write(`error UNEXPECTED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT.couldNotRun;
}
