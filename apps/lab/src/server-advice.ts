import { listLabs, readLabManifest, serveCommand, type LabProgress } from '@mcp-lab/harness';
import { learnerProgress } from './commands/labs.ts';

export interface ServerLab {
  id: string;
  /** `npm run lab -- serve <lab>`: the one way the lab pages start a server by hand. */
  command: string;
  progress: LabProgress | undefined;
}

/** The lab whose server is an HTTP server (lab 03), with the learner's last recorded result. */
export function httpServerLab(): ServerLab | undefined {
  for (const folder of listLabs()) {
    const manifest = readLabManifest(folder);
    const command = serveCommand(manifest);
    if (manifest.transport === 'http' && command) return { id: manifest.id, command, progress: learnerProgress().labs[folder.id] };
  }
  return undefined;
}

/** Every visible check passed in the last full run (hidden ones do not change what the learner can do next). */
function allChecksPass(progress: LabProgress | undefined): boolean {
  return progress !== undefined && progress.status !== 'error' && Object.keys(progress.checks).length > 0 && Object.values(progress.checks).every((s) => s === 'pass');
}

/**
 * What to do when signing in to the learner's running server fails. "Run the
 * checks" only helps while a check fails: when they all pass the code is
 * right, and what differs from the checks is the `.env` the server was
 * started with (the checks fill in settings of their own).
 */
export function signInFailedFix(lab: ServerLab | undefined): string {
  if (!lab) return 'Look at the server’s output: it says what it did.';
  const output = `the server’s output (where \`${lab.command}\` runs) says what the IdP refused`;
  if (allChecksPass(lab.progress)) {
    return `All visible checks of ${lab.id} pass, so your code does this right; what differs is the .env your server runs with, which the checks do not use. \`npm run lab -- doctor\` checks it, and ${output}.`;
  }
  return `Run the lab’s checks (\`npm run lab -- check ${lab.id}\`): they say which step fails. Meanwhile ${output}.`;
}
