import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { listLabs, loadLab } from '@mcp-lab/harness';
import { SEED, startIdp, type LabInfo } from '@mcp-lab/mock-idp';
import { envFileFor } from '../src/commands/labs.ts';
import { freePort } from '../../../labs/harness/src/process/ports.ts';
import { runCli, startCliIdp } from './run-cli.ts';

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
      const values = parseEnv(envFileFor(def, info));
      if (values.LAB_CACHE_DIR) expect(ignored(values.LAB_CACHE_DIR), `${lab.id}/starter/.gitignore must list ${values.LAB_CACHE_DIR} (tokens live there)`).toBe(true);
      // Only the variables the lab declares.
      expect(Object.keys(values).every((k) => (def.manifest.env as string[]).includes(k))).toBe(true);
    });
  }
});

describe('what the .env of each lab says about itself', () => {
  it('says it holds a secret only when it does (lab 03), not for lab 02; lab 02 signs in with a device code, as its README says', async () => {
    const byId = Object.fromEntries(await Promise.all(listLabs().map(async (lab) => [lab.id, envFileFor(await loadLab(lab), info)] as const)));
    expect(byId['03-confidential-client']).toMatch(/^CLIENT_SECRET=mock-secret$/m);
    expect(byId['03-confidential-client']).toContain('holds a (mock-only) secret');
    expect(byId['02-public-client']).not.toMatch(/CLIENT_SECRET/);
    expect(byId['02-public-client']).not.toContain('secret.');
    expect(byId['02-public-client']).toMatch(/^LAB_AUTH_MODE=device$/m);
  });

  it('gives lab 04 an https origin and callback, the lab’s localhost certificate and a store key of its own', async () => {
    const def = await loadLab(listLabs().find((l) => l.id === '04-best-practices')!);
    const [one, two] = [parseEnv(envFileFor(def, info)), parseEnv(envFileFor(def, info))];
    expect(one.PUBLIC_URL).toBe('https://localhost:3001');
    expect(one.REDIRECT_URI).toBe('https://localhost:3001/auth/callback');
    expect(one.TLS_CERT_FILE).toMatch(/certs[/\\]localhost\.pem$/);
    expect(one.TLS_KEY_FILE).toMatch(/certs[/\\]localhost-key\.pem$/);
    expect(Buffer.from(one.TOKEN_STORE_KEY!, 'base64')).toHaveLength(32);
    expect(two.TOKEN_STORE_KEY).not.toBe(one.TOKEN_STORE_KEY);
  });
});

describe('mcp-lab start 03 with no IdP running', () => {
  it("writes the secret of the learner's own IdP (started on its data for a moment), and the address npm start serves", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-start-'));
    const env = { MCP_LAB_WORK_DIR: path.join(root, 'work'), MCP_LAB_HOME: path.join(root, 'lab-home') };
    try {
      const result = await runCli(['start', '03'], env, 60_000);
      expect(result.code, result.stderr).toBe(0);
      const values = parseEnv(fs.readFileSync(path.join(env.MCP_LAB_WORK_DIR, '03-confidential-client', '.env'), 'utf8'));
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

describe('mcp-lab start while the learner’s IdP runs (npm start), with no NODE_EXTRA_CA_CERTS', () => {
  // What a learner has: a running IdP with the lab's own CA, and a shell that knows nothing about it.
  const noTrust = { NODE_EXTRA_CA_CERTS: undefined };

  it('completes 02 and 03 with a .env from that IdP (the CLI trusts the lab CA itself)', async () => {
    const idp = await startCliIdp('start-running');
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-start-work-'));
    const env = { ...idp.env, ...noTrust, MCP_LAB_WORK_DIR: work };
    try {
      for (const lab of ['02', '03']) {
        const result = await runCli(['start', lab], env, 60_000);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
      }
      const info = (await (await fetch(`${idp.baseUrl}/_lab/info`)).json()) as LabInfo;
      const lab02 = parseEnv(fs.readFileSync(path.join(work, '02-public-client', '.env'), 'utf8'));
      expect(lab02.AUTHORITY_HOST).toBe(idp.baseUrl);
      const lab03 = parseEnv(fs.readFileSync(path.join(work, '03-confidential-client', '.env'), 'utf8'));
      expect(lab03.CLIENT_SECRET).toBe(info.apps.find((a) => a.clientId === SEED.apps.webServer.appId)?.devSecret);
    } finally {
      await idp.stop();
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it('leaves no half-made copy when the IdP cannot be reached, names its URL, and a rerun adds a missing .env', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-start-down-'));
    const home = path.join(root, 'lab-home');
    const work = path.join(root, 'work');
    const env = { ...noTrust, MCP_LAB_HOME: home, MCP_LAB_WORK_DIR: work };
    try {
      // A lock file of a live process (this test's) naming a port nobody listens on: the IdP "runs" but does not answer.
      const port = await freePort();
      fs.mkdirSync(path.join(home, 'idp'), { recursive: true });
      fs.writeFileSync(path.join(home, 'idp', 'idp.lock'), JSON.stringify({ pid: process.pid, baseUrl: `https://localhost:${port}` }));
      fs.writeFileSync(path.join(home, 'idp', 'admin-token'), 'not-used');
      const failed = await runCli(['start', '03'], env, 60_000);
      expect(failed.code).toBe(2);
      expect(failed.stderr).toContain('error IDP_NOT_RUNNING');
      expect(failed.stderr).toContain(`https://localhost:${port}/_lab/info`);
      expect(failed.stderr).not.toContain('fetch failed');
      expect(fs.existsSync(path.join(work, '03-confidential-client')), 'no half-made working copy').toBe(false);
      expect(fs.existsSync(work) ? fs.readdirSync(work) : [], 'nothing left beside it either').toEqual([]);

      // A copy made by an older mcp-lab that stopped half-way: the rerun completes it.
      fs.rmSync(path.join(home, 'idp', 'idp.lock'));
      fs.cpSync(path.join(listLabs().find((l) => l.id === '03-confidential-client')!.dir, 'starter'), path.join(work, '03-confidential-client'), { recursive: true });
      fs.writeFileSync(path.join(work, '03-confidential-client', 'notes.txt'), 'mine');
      const again = await runCli(['start', '03'], env, 60_000);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('added one');
      expect(parseEnv(fs.readFileSync(path.join(work, '03-confidential-client', '.env'), 'utf8')).CLIENT_ID).toBe(SEED.apps.webServer.appId);
      expect(fs.readFileSync(path.join(work, '03-confidential-client', 'notes.txt'), 'utf8')).toBe('mine');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
