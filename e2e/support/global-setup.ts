/**
 * Starts what the e2e tests talk to, over HTTP only, and stops it afterwards:
 * - the mock IdP, `mcp-lab idp --port 0 --data <tmp>`, with a throwaway lab home (its own dev CA);
 * - the course site, a production build in `.next-e2e` (rebuilt only when sources changed), on a free port,
 *   with a throwaway `work/` folder (MCP_LAB_WORK_DIR) for the dashboard's check runs;
 * - a browser profile whose NSS database trusts that throwaway CA, added by `mcp-lab trust --nss-only`,
 *   so Chromium verifies the IdP's certificate exactly as a learner's browser does after `mcp-lab trust`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findChromium } from './chromium.ts';
import { ENV_FILE, type E2eEnv } from './e2e-env.ts';
import { REPO_ROOT, freePort, startReady, stopProcess } from './lab-processes.ts';

const CLI = path.join(REPO_ROOT, 'apps', 'lab', 'bin', 'mcp-lab.js');
const SERVE = path.join(REPO_ROOT, 'apps', 'course', 'scripts', 'serve.ts');

function trustInBrowserProfile(browserHome: string, labHome: string): void {
  const nssDb = path.join(browserHome, '.pki', 'nssdb');
  fs.mkdirSync(nssDb, { recursive: true });
  try {
    execFileSync('certutil', ['-N', '-d', `sql:${nssDb}`, '--empty-password'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`e2e needs NSS's certutil to trust the lab CA in the test browser (Debian/Ubuntu: apt-get install libnss3-tools): ${(error as Error).message}`, { cause: error });
  }
  execFileSync(process.execPath, [CLI, 'trust', '--nss-only', '--nss-db', nssDb, '--yes'], { env: { ...process.env, MCP_LAB_HOME: labHome }, stdio: 'pipe' });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const chromium = findChromium((line) => console.log(line));
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-e2e-'));
  const labHome = path.join(temp, 'lab-home');
  const browserHome = path.join(temp, 'browser-home');
  const workDir = path.join(temp, 'work');
  fs.mkdirSync(labHome, { recursive: true });
  fs.mkdirSync(workDir, { recursive: true });

  // The IdP's state in the lab home, as `npm start` keeps it: the site's runs find it (and its admin token) there.
  const idp = await startReady([CLI, 'idp', '--port', '0', '--data', path.join(labHome, 'idp')], { MCP_LAB_HOME: labHome }, 60_000, 'mcp-lab idp');
  let site;
  try {
    trustInBrowserProfile(browserHome, labHome);
    const port = await freePort();
    site = await startReady(
      [SERVE, '--port', String(port), '--dist', '.next-e2e'],
      { MCP_LAB_HOME: labHome, MCP_LAB_IDP: idp.url, MCP_LAB_WORK_DIR: workDir, NODE_EXTRA_CA_CERTS: path.join(labHome, 'certs', 'ca.pem') },
      600_000,
      'course site',
    );
  } catch (error) {
    await stopProcess(idp.child);
    throw error;
  }

  const env: E2eEnv = { siteUrl: site.url, idpUrl: idp.url, labHome, browserHome, workDir, chromium };
  fs.mkdirSync(path.dirname(ENV_FILE), { recursive: true });
  fs.writeFileSync(ENV_FILE, JSON.stringify(env, null, 2));
  process.env.E2E_SITE_URL = site.url;

  return async () => {
    await Promise.all([stopProcess(site.child), stopProcess(idp.child)]);
    fs.rmSync(temp, { recursive: true, force: true });
  };
}
