import path from 'node:path';
import { connectGradingIdp, startGradingIdp, type GradingIdp } from '@mcp-lab/harness';
import { idpBaseUrl, runningIdpAdminToken } from '../src/lab/idp.ts';
import { labHome } from '../src/content/paths.ts';

/**
 * The IdP a run from the site uses, found the way `mcp-lab check` finds it:
 * the learner's running one (`npm start`: its lock file and admin token in
 * `.lab/idp/`), else — for checks only — a private one on a free port with
 * the lab's CA, stopped after the run. A live flow needs the running one:
 * the learner signs in there, in their browser.
 */
export async function idpForSiteRun(options: { allowPrivate: boolean }): Promise<{ idp: GradingIdp; private: boolean } | undefined> {
  const baseUrl = idpBaseUrl();
  const token = runningIdpAdminToken(baseUrl);
  const caCertPath = path.join(labHome(), 'certs', 'ca.pem');
  if (token) return { idp: connectGradingIdp(baseUrl, caCertPath, token), private: false };
  if (!options.allowPrivate) return undefined;
  return { idp: await startGradingIdp({ certDir: path.join(labHome(), 'certs') }), private: true };
}
