/**
 * The course site's lab runner: a child process the site's server routes
 * start for every check run or live flow, so the check engine (its
 * process runner, sandbox and signal handlers) never runs inside the web
 * server. Node runs this TypeScript file directly. Output: one JSON message
 * per line on stdout (src/lab/run-messages.ts); diagnostics on stderr.
 *
 *   node apps/course/server/lab-runner.ts check <lab> [--only id,id]
 *   node apps/course/server/lab-runner.ts live <lab> [--source solution|work]
 */
import { UnknownLabError } from '@mcp-lab/harness';
import { emit } from './emit.ts';
import { runChecks } from './run-checks.ts';
import { runLive } from './run-live.ts';

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

async function main(args: string[]): Promise<number> {
  const [verb, lab] = args;
  if (verb === 'check' && lab) return runChecks(lab, option(args, '--only')?.split(',').filter(Boolean));
  if (verb === 'live' && lab) return runLive(lab, option(args, '--source') === 'work' ? 'work' : 'solution');
  process.stderr.write('usage: lab-runner.ts check <lab> [--only a,b] | live <lab> [--source solution|work]\n');
  return 64;
}

/**
 * Ends the process once everything is written: the harness has stopped what it started by then, and an idle
 * keep-alive connection (to the IdP, to the lab's server) must not hold the site's stream open until it times out.
 */
function finish(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

main(process.argv.slice(2)).then(finish, (error: unknown) => {
  if (error instanceof UnknownLabError) emit({ type: 'problem', code: error.code, message: error.message, fix: error.fix });
  else emit({ type: 'problem', code: 'RUNNER_FAILED', message: (error as Error).message, fix: 'See the site’s server output for the details, and try again.' });
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  finish(2);
});
