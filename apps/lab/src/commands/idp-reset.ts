import fs from 'node:fs';
import path from 'node:path';
import { labHome, runningIdp } from '@mcp-lab/mock-idp';
import { CliError, EXIT } from '../cli-error.ts';
import { confirm } from '../confirm.ts';

/**
 * `mcp-lab idp reset`: wipe the IdP's state (registrations, users, consent,
 * sessions, keys, faults) so the next start seeds it afresh. The dev CA in
 * `.lab/certs` is kept: browsers and the OS already trust it.
 */
export async function runIdpReset(o: { data?: string; yes?: boolean }): Promise<number> {
  const dataDir = path.resolve(o.data ?? path.join(labHome(), 'idp'));
  const running = runningIdp(dataDir);
  if (running) {
    throw new CliError('IDP_RUNNING', `The IdP at ${running.baseUrl} (process ${running.pid}) is using ${dataDir}.`, 'Stop it first (Ctrl-C in its terminal), then run the reset again.');
  }
  if (!fs.existsSync(dataDir)) {
    process.stdout.write(`Nothing to reset: ${dataDir} does not exist.\n`);
    return EXIT.ok;
  }
  const question = `This deletes ${dataDir}: every app registration, user, consent, session and fault you made. The seeded apps and users come back on the next start, with new dev secrets. Continue?`;
  if (!(await confirm(question, o.yes))) {
    process.stdout.write('Nothing was changed.\n');
    return EXIT.ok;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(`Deleted ${dataDir}. The next \`npm start\` seeds a fresh IdP.\n`);
  return EXIT.ok;
}
