import type { RunMessage } from '../src/lab/run-messages.ts';

/** One message per line on stdout: the site's route streams these lines to the browser as they come. */
export function emit(message: RunMessage): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}
