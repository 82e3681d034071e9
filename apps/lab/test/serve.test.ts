import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLabs, loadLab, REPO_ROOT, serveCommand } from '@mcp-lab/harness';
import { SEED } from '@mcp-lab/mock-idp';
import { freePort } from '../../../labs/harness/src/process/ports.ts';
import { CLI, exited, runCli, startCliIdp, type CliIdp } from './run-cli.ts';

/** A learner's shell: nothing tells Node about the lab CA. */
const noTrust = { NODE_EXTRA_CA_CERTS: undefined };

/** Starts `mcp-lab serve …` and resolves once its output matches `ready` (the server's output comes through it). */
function startServe(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${ready} within 30 s:\n${output}`)), 30_000);
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before it was ready:\n${output}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<number | null> {
  child.kill('SIGTERM');
  return exited(child);
}

describe('every "start your server" message gives the one command', () => {
  for (const lab of listLabs()) {
    it(`${lab.id}: the lab page (README, both languages) names \`${lab.id}\`'s serve command, and never \`node src/server.ts\` as the way to start it`, async () => {
      const { manifest } = await loadLab(lab);
      const command = serveCommand(manifest);
      for (const name of ['README.md', 'README.nl.md']) {
        const text = fs.readFileSync(path.join(lab.dir, name), 'utf8');
        if (command) expect(text, `${lab.id}/${name}`).toContain(command);
        expect(text, `${lab.id}/${name}`).not.toMatch(/starts with `node src\/server\.ts`|start(?:s|en)? (?:it )?with `node src\/server\.ts`|met `node src\/server\.ts`/);
      }
    });
  }
});

describe('mcp-lab serve 03: the learner’s lab 03 server, started as documented, reaches the IdP', () => {
  let idp: CliIdp;
  let work: string;
  let env: NodeJS.ProcessEnv;
  let port: number;
  beforeAll(async () => {
    idp = await startCliIdp('serve');
    // Inside the repository, as work/ is: the server's imports resolve from the repository's node_modules.
    work = fs.mkdtempSync(path.join(REPO_ROOT, '.lab', 'serve-test-'));
    env = { ...idp.env, ...noTrust, MCP_LAB_WORK_DIR: work };
    expect((await runCli(['start', '03'], env, 60_000)).code).toBe(0);
    // The learner finished the TODOs: the solution's sources over the starter's.
    const copy = path.join(work, '03-confidential-client');
    fs.cpSync(path.join(REPO_ROOT, 'labs', '03-confidential-client', 'solution', 'src'), path.join(copy, 'src'), { recursive: true });
    // Port 3001 may be taken on a shared machine: a free port, registered the way a learner would.
    port = await freePort();
    const origin = `http://localhost:${port}`;
    const dotenv = fs.readFileSync(path.join(copy, '.env'), 'utf8').replaceAll('http://localhost:3001', origin).replace(/^PORT=.*$/m, `PORT=${port}`);
    fs.writeFileSync(path.join(copy, '.env'), dotenv);
    const added = await runCli(['app', 'redirect', 'add', SEED.apps.webServer.appId, 'web', `${origin}/auth/callback`, '--idp', idp.baseUrl, '--data', idp.dataDir], env);
    expect(added.code, added.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await idp?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('signs Alice in through its consent page and the IdP, with no NODE_EXTRA_CA_CERTS in the shell', async () => {
    const serve = await startServe(['03'], env, /listening on/);
    try {
      expect(serve.output()).toContain('npm run lab -- serve 03-confidential-client');
      expect(serve.output()).not.toContain('warning');
      const token = await runCli(['token', '--user', 'alice', '--server', `http://localhost:${port}/mcp`, '--idp', idp.baseUrl], env, 60_000);
      expect(token.stderr).not.toContain('error');
      expect(token.code).toBe(0);
      expect(token.stdout.trim().length).toBeGreaterThan(20);
    } finally {
      expect(await stop(serve.child)).toBe(0);
    }
  });

  it('says what is wrong with a .env before the server starts (the checks cannot: they fill in their own)', async () => {
    const file = path.join(work, '03-confidential-client', '.env');
    const good = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, good.replace(/^CLIENT_ID=.*$/m, 'CLIENT_ID=03c0f1d0-0000-4000-8000-000000000099'));
    try {
      const serve = await startServe(['03'], env, /listening on/);
      await stop(serve.child);
      expect(serve.output()).toMatch(/warning: \.env: CLIENT_ID 03c0f1d0-0000-4000-8000-000000000099 is not registered in this IdP \(AADSTS700016\)/);
      expect(serve.output()).toContain('npm run lab -- doctor');
    } finally {
      fs.writeFileSync(file, good);
    }
  });

  it('with every check passing, a failed sign-in points at the .env and doctor, not at the checks; the server’s start names the cause', async () => {
    const file = path.join(work, '03-confidential-client', '.env');
    const good = fs.readFileSync(file, 'utf8');
    // The checks fill in settings of their own, so a stale secret passes them all: what the learner saw.
    fs.writeFileSync(file, good.replace(/^CLIENT_SECRET=.*$/m, 'CLIENT_SECRET=an-old-secret'));
    const { manifest } = await loadLab(listLabs().find((l) => l.id === '03-confidential-client')!);
    const checks = Object.fromEntries(manifest.checks.filter((c) => c.visibility === 'visible').map((c) => [c.id, 'pass']));
    fs.writeFileSync(path.join(idp.labHome, 'progress.json'), JSON.stringify({ version: 1, lessons: {}, labs: { '03-confidential-client': { status: 'pass', score: 15, maxScore: 15, checks, hiddenFailed: 0, at: new Date().toISOString() } } }));
    try {
      const serve = await startServe(['03'], env, /listening on/);
      try {
        expect(serve.output()).toContain('CLIENT_SECRET is not the secret this IdP knows');
        const token = await runCli(['token', '--user', 'alice', '--server', `http://localhost:${port}/mcp`, '--idp', idp.baseUrl], env, 60_000);
        expect(token.code).toBe(2);
        expect(token.stderr).toContain('error SERVER_SIGN_IN_FAILED');
        expect(token.stderr).toContain('npm run lab -- doctor');
        expect(token.stderr).not.toContain('they say which step fails');
        // The server's own log says what Entra (the lab IdP) refused.
        expect(serve.output()).toContain('AADSTS7000215');
      } finally {
        await stop(serve.child);
      }
    } finally {
      fs.writeFileSync(file, good);
      fs.rmSync(path.join(idp.labHome, 'progress.json'), { force: true });
    }
  });

  it('refuses a lab without a server and a folder without .env, each with the command that fixes it', async () => {
    const none = await runCli(['serve', '01'], env);
    expect(none.code).toBe(64);
    expect(none.stderr).toContain('error NO_SERVER');
    fs.mkdirSync(path.join(work, '02-public-client'));
    const noEnv = await runCli(['serve', '02'], env);
    expect(noEnv.code).toBe(2);
    expect(noEnv.stderr).toContain('error NO_ENV');
    expect(noEnv.stderr).toContain('npm run lab -- start 02-public-client');
  });
});
