import fs from 'node:fs';
import path from 'node:path';
import { connectGradingIdp, startGradingIdp, type GradingIdp } from '@mcp-lab/harness';
import { labHome, runningIdp } from '@mcp-lab/mock-idp';
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
