import fs from 'node:fs';
import path from 'node:path';
import { labHome, runningIdp } from '@mcp-lab/mock-idp';
import { connectLabIdp, startLabIdp, type LabIdp } from './lab-idp.ts';

export interface RunIdpOptions {
  /** The lab home (`.lab/`): the learner's IdP keeps its lock file and admin token in `idp/`, its CA in `certs/`. */
  home?: string;
  /**
   * Only a running IdP at this URL counts. The site passes the one `npm start`
   * told it about (MCP_LAB_IDP): a lock file naming another IdP is not the
   * IdP its pages show.
   */
  at?: string;
}

const trimmed = (url: string) => url.replace(/\/+$/, '');

/**
 * The learner's own running IdP (`npm start`, `mcp-lab idp`): its lock file
 * names a process that is alive (a lock left behind by a crash does not
 * count), and its admin token lies beside it. Undefined when it does not run.
 */
export function runningLabIdp(options: RunIdpOptions = {}): LabIdp | undefined {
  const home = options.home ?? labHome();
  const dataDir = path.join(home, 'idp');
  const running = runningIdp(dataDir);
  if (!running || (options.at !== undefined && trimmed(running.baseUrl) !== trimmed(options.at))) return undefined;
  let token: string;
  try {
    token = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
  } catch {
    // A live lock without a token is an IdP being set up (or not ours to drive): treated as not running.
    return undefined;
  }
  return connectLabIdp(trimmed(running.baseUrl), path.join(home, 'certs', 'ca.pem'), token);
}

/**
 * The IdP a check run uses: the learner's own running one (their lab 01
 * registration lives there), or else a private one on a free port, with the
 * lab's CA and temporary data, stopped by `close()` — so a check needs nothing
 * started beforehand (CI), and `private` runs (grading a class) never touch
 * the learner's IdP.
 */
export async function idpForRun(options: RunIdpOptions & { private?: boolean } = {}): Promise<LabIdp> {
  const running = options.private ? undefined : runningLabIdp(options);
  if (running) return running;
  return startLabIdp({ certDir: path.join(options.home ?? labHome(), 'certs') });
}
