import readline from 'node:readline/promises';
import { CliError, EXIT } from './cli-error.ts';

/**
 * Asks y/N before a destructive step. `--yes` answers for the user; without a
 * terminal to ask on (CI, a pipe) and without `--yes`, it refuses rather than guess.
 */
export async function confirm(question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) {
    throw new CliError('CONFIRMATION_NEEDED', 'This changes or deletes lab state, and there is no terminal to ask for confirmation.', 'Run it again with --yes.', EXIT.usage);
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
