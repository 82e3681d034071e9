import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startIdp, type RunningIdp } from '../../src/index.ts';

export interface TestIdp extends RunningIdp {
  dataDir: string;
  homeTenantId: string;
  foreignTenantId: string;
  authority: string;
  knownAuthority: string;
  /** Stops the IdP and removes its data folder. */
  dispose(): Promise<void>;
}

/** A fresh IdP with its own data, on a free port, trusted by this worker (see test-support/global-setup.ts). */
export async function startTestIdp(options: { dataDir?: string; port?: number } = {}): Promise<TestIdp> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-idp-'));
  const certDir = process.env.MCP_LAB_TEST_CERT_DIR;
  if (!certDir) throw new Error('MCP_LAB_TEST_CERT_DIR is not set: run the tests through vitest (test-support/global-setup.ts).');
  const idp = await startIdp({ port: options.port ?? 0, dataDir, certDir });
  const tenants = idp.info().tenants;
  const home = tenants.find((t) => t.home)!;
  const foreign = tenants.find((t) => !t.home)!;
  return Object.assign(idp, {
    dataDir,
    homeTenantId: home.id,
    foreignTenantId: foreign.id,
    authority: `${idp.baseUrl}/${home.id}`,
    knownAuthority: new URL(idp.baseUrl).host,
    dispose: async () => {
      await idp.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
