import fs from 'node:fs';
import path from 'node:path';

/** What the global setup started, for the tests (written to a file: setup and tests run in different processes). */
export interface E2eEnv {
  siteUrl: string;
  idpUrl: string;
  /** MCP_LAB_HOME of the site and the IdP: progress.json and the throwaway CA live here. */
  labHome: string;
  /** The learners' working copies the site checks (MCP_LAB_WORK_DIR): tests put copies of labs here. */
  workDir: string;
  /** HOME of the browser: its NSS database trusts the throwaway CA. */
  browserHome: string;
  chromium: string;
}

export const ENV_FILE = path.resolve(import.meta.dirname, '..', 'test-results', 'e2e-env.json');

export function readE2eEnv(): E2eEnv {
  return JSON.parse(fs.readFileSync(ENV_FILE, 'utf8')) as E2eEnv;
}
