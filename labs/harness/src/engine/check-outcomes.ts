import { AssertionError } from 'node:assert';

/** A check's verdict "the submission does not do this": status fail, with a message a learner can act on. */
export class CheckFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailure';
  }
}

/** The check could not run at all (the server did not start, the IdP is down): status error. */
export class CheckCannotRun extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckCannotRun';
  }
}

/** Assertions (node:assert) and CheckFailure mean fail; everything else means the check could not run. */
export function classify(error: unknown): { status: 'fail' | 'error'; message: string } {
  if (error instanceof CheckFailure) return { status: 'fail', message: error.message };
  if (error instanceof AssertionError) return { status: 'fail', message: error.message };
  if (error instanceof CheckCannotRun) return { status: 'error', message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { status: 'error', message: `the check could not run: ${message}` };
}

/**
 * The learner's server could not be brought to where a check can talk to it:
 * it exited, never said it was ready, or never answered the MCP handshake.
 * Status error, like CheckCannotRun; the run uses it to stop starting a
 * server that cannot start (see server-health.ts).
 */
export class ServerDidNotStart extends CheckCannotRun {
  constructor(message: string) {
    super(message);
    this.name = 'ServerDidNotStart';
  }
}
