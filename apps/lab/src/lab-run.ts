import fs from 'node:fs';
import path from 'node:path';
import { connectGradingIdp, startGradingIdp, type GradingIdp } from '@mcp-lab/harness';
import { labHome, runningIdp, startIdp } from '@mcp-lab/mock-idp';
import { idpUrl } from './lab-idp.ts';
import { trustLabCa } from './trust-lab-ca.ts';

/**
 * The IdP a check run uses: the learner's own running one (their lab 01
 * registration lives there), found through its lock file and admin token,
 * or else a private one started for the run and stopped after it — so
 * `check`, `watch` and `grade` need nothing started beforehand (CI).
 */
export async function idpForRun(options: { private?: boolean } = {}): Promise<GradingIdp> {
  const home = labHome();
  const dataDir = path.join(home, 'idp');
  const certDir = path.join(home, 'certs');
  const running = options.private ? undefined : runningIdp(dataDir);
  if (running) {
    const token = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    const caCertPath = path.join(certDir, 'ca.pem');
    trustLabCa(caCertPath);
    return connectGradingIdp(running.baseUrl, caCertPath, token);
  }
  const idp = await startGradingIdp({ certDir });
  trustLabCa(idp.caCertPath);
  return idp;
}

/**
 * The learner's own IdP, for values that must match it later (`start`'s
 * `.env`: the seeded web app's dev secret is made once per IdP data folder).
 * When it is not running it is started on its own data for a moment, on a
 * free port; `address` is then where `npm start` will serve it.
 */
export async function learnersIdp(): Promise<{ idp: GradingIdp; address: string }> {
  const home = labHome();
  const dataDir = path.join(home, 'idp');
  const certDir = path.join(home, 'certs');
  const running = runningIdp(dataDir);
  if (running) {
    const token = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    return { idp: connectGradingIdp(running.baseUrl, path.join(certDir, 'ca.pem'), token), address: running.baseUrl };
  }
  const started = await startIdp({ port: 0, dataDir, certDir });
  trustLabCa(started.caCertPath);
  const idp = connectGradingIdp(started.baseUrl, started.caCertPath, started.adminToken);
  return { idp: { ...idp, close: () => started.close() }, address: idpUrl() };
}
