import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listLabs, loadLab, parseDotenv } from '@mcp-lab/harness';
import { SEED, startIdp, type LabInfo } from '@mcp-lab/mock-idp';
import { envFileFor } from '../src/commands/labs.ts';
import { runCli } from './run-cli.ts';

/** Enough of /_lab/info for `start`: the home tenant and the seeded apps with a secret. */
const info = {
  tenants: [{ id: SEED.tenants.home.id, name: 'Contoso Lab', home: true }],
  apps: Object.values(SEED.apps).map((a) => ({ clientId: a.appId, tenantId: SEED.tenants.home.id, redirectUris: ['http://localhost:3001/auth/callback'], devSecret: 'mock-secret' })),
} as unknown as LabInfo;

describe('the .env that `mcp-lab start` writes', () => {
  for (const lab of listLabs()) {
    it(`${lab.id}: its .env and its token cache are both ignored by the starter's .gitignore`, async () => {
      const def = await loadLab(lab);
      const starter = path.join(lab.dir, 'starter');
      const gitignore = fs.existsSync(path.join(starter, '.gitignore')) ? fs.readFileSync(path.join(starter, '.gitignore'), 'utf8').split(/\r?\n/).map((l) => l.trim()) : [];
      const ignored = (name: string) => gitignore.includes(name) || gitignore.includes(`${name}/`) || gitignore.includes(`/${name}`) || gitignore.includes(`/${name}/`);
      expect(ignored('.env'), `${lab.id}/starter/.gitignore must list .env (it holds the secret)`).toBe(true);
      const values = parseDotenv(envFileFor(def, info));
      if (values.LAB_CACHE_DIR) expect(ignored(values.LAB_CACHE_DIR), `${lab.id}/starter/.gitignore must list ${values.LAB_CACHE_DIR} (tokens live there)`).toBe(true);
      // Only the variables the lab declares.
      expect(Object.keys(values).every((k) => (def.manifest.env as string[]).includes(k))).toBe(true);
    });
  }
});

describe('mcp-lab start 03 with no IdP running', () => {
  it("writes the secret of the learner's own IdP (started on its data for a moment), and the address npm start serves", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-start-'));
    const env = { MCP_LAB_WORK_DIR: path.join(root, 'work'), MCP_LAB_HOME: path.join(root, 'lab-home') };
    try {
      const result = await runCli(['start', '03'], env, 60_000);
      expect(result.code, result.stderr).toBe(0);
      const values = parseDotenv(fs.readFileSync(path.join(env.MCP_LAB_WORK_DIR, '03-confidential-client', '.env'), 'utf8'));
      expect(values.AUTHORITY_HOST).toBe('https://localhost:8443');
      // The IdP the learner starts later (same data folder) knows exactly this secret.
      const idp = await startIdp({ port: 0, dataDir: path.join(env.MCP_LAB_HOME, 'idp'), certDir: path.join(env.MCP_LAB_HOME, 'certs') });
      try {
        expect(values.CLIENT_SECRET).toBe(idp.info().apps.find((a) => a.clientId === SEED.apps.webServer.appId)?.devSecret);
      } finally {
        await idp.close();
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
