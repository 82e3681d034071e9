import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED, playDeviceCode, type PendingDeviceCode } from '@mcp-lab/mock-idp';
import { startLab03Solution } from '../../../test-support/lab03-server.ts';
import { labEnv, loadLab, startLabIdp, type LabIdp, type LabEnv } from '../src/index.ts';

/**
 * Smoke test with a client nobody in this project wrote: the MCP Inspector's
 * CLI (`npx mcp-inspector --cli …`, as lab 02's README shows) starts lab 02's
 * solution over stdio, lists its tools, and calls get_user_details while this
 * test plays Alice at the IdP's device code page.
 */

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
const SOLUTION = path.join(REPO, 'labs', '02-public-client', 'solution');

/**
 * The package's `mcp-inspector` bin, run with this Node: what `npx mcp-inspector`
 * runs, without npx's own start-up (which asks the registry about npm updates).
 */
function inspectorBin(): string {
  const dir = path.join(REPO, 'node_modules', '@modelcontextprotocol', 'inspector');
  const { bin } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  return path.join(dir, bin['mcp-inspector']!);
}

let idp: LabIdp;
let env: LabEnv;
let home: string;
beforeAll(async () => {
  idp = await startLabIdp({ certDir: process.env.MCP_LAB_TEST_CERT_DIR! });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'inspector-home-'));
  const lab = await loadLab(path.join(REPO, 'labs', '02-public-client'));
  env = labEnv(lab.manifest, await idp.info(), { cacheDir: path.join(home, 'token-cache') });
});
afterAll(async () => {
  await idp.close();
  fs.rmSync(home, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `mcp-inspector --cli --format json <args> node src/server.ts` in the solution folder; killed (with the server) after `ms`. */
function inspector(args: string[], ms: number): Promise<Run> {
  const serverEnv = { ...env, NODE_EXTRA_CA_CERTS: idp.caCertPath };
  const argv = [inspectorBin(), '--cli', '--format', 'json', '--cwd', SOLUTION, ...Object.entries(serverEnv).flatMap(([k, v]) => ['-e', `${k}=${v}`]), ...args, 'node', 'src/server.ts'];
  // Its own process group: on timeout the Inspector and the server it started go together.
  return runNode(argv, ms, { group: true });
}

function resultOf(run: Run): unknown {
  expect(run.code, `the Inspector exited with ${String(run.code)}:\n${run.stderr.slice(-3000)}`).toBe(0);
  return JSON.parse(run.stdout) as unknown;
}

describe('the MCP Inspector CLI against lab 02’s solution', () => {
  it('tools/list shows get_user_details', async () => {
    const result = resultOf(await inspector(['--method', 'tools/list'], 30_000)) as { result: { tools: { name: string }[] } };
    expect(result.result.tools.map((t) => t.name)).toContain('get_user_details');
  });

  it('tools/call get_user_details returns Alice’s profile once she signs in with the device code', { timeout: 90_000 }, async () => {
    const call = inspector(['--method', 'tools/call', '--tool-name', 'get_user_details'], 80_000);
    let finished = false;
    void call.finally(() => (finished = true));
    // Play Alice: find the code the server asked for through the admin API, and enter it at the IdP.
    while (!finished) {
      const { value } = await idp.admin<{ value: PendingDeviceCode[] }>('GET', `/device-codes?client=${env.CLIENT_ID ?? ''}`);
      const code = value[0];
      if (code) {
        await playDeviceCode(`${env.AUTHORITY_HOST ?? ''}/${env.TENANT_ID ?? ''}/devicelogin`, { username: 'alice@contoso.test', password: 'alice-lab-2026', userCode: code.userCode });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const result = resultOf(await call) as { result: { isError?: boolean; content: { type: string; text?: string }[] } };
    expect(result.result.isError ?? false).toBe(false);
    expect(result.result.content.map((c) => c.text ?? '').join('\n')).toContain('Alice Jansen');
  });
});

describe('the MCP Inspector CLI against lab 03’s solution, with a token from `mcp-lab token --server`', () => {
  it('lists and calls get_user_details over Streamable HTTP as Bob', { timeout: 90_000 }, async () => {
    const info = await idp.info();
    const secret = info.apps.find((a) => a.clientId === SEED.apps.webServer.appId)?.devSecret ?? '';
    const server = await startLab03Solution({ baseUrl: idp.baseUrl, caCertPath: idp.caCertPath, secret, admin: (method, route, body) => idp.admin(method, route, body) });
    try {
      // The token as a learner gets it: the CLI signs in to the server as an MCP client would.
      const token = await cliToken(['token', '--user', 'bob', '--server', `${server.origin}/mcp`, '--idp', idp.baseUrl]);
      const run = (method: string[]) => inspectorRemote([`${server.origin}/mcp`, '--transport', 'http', '--header', `Authorization: Bearer ${token}`, ...method], 30_000);
      const tools = resultOf(await run(['--method', 'tools/list'])) as { result: { tools: { name: string }[] } };
      expect(tools.result.tools.map((t) => t.name)).toContain('get_user_details');
      const call = resultOf(await run(['--method', 'tools/call', '--tool-name', 'get_user_details'])) as { result: { isError?: boolean; content: { text?: string }[] } };
      expect(call.result.isError ?? false).toBe(false);
      expect(call.result.content.map((c) => c.text ?? '').join('\n')).toContain('Bob de Vries');
      // Without the token the server's 401 sends the Inspector to sign in (which it will not do without a person at a terminal).
      const anonymous = await inspectorRemote([`${server.origin}/mcp`, '--transport', 'http', '--method', 'tools/list'], 30_000);
      expect(anonymous.code).not.toBe(0);
      expect(`${anonymous.stdout}${anonymous.stderr}`).toContain('auth_required');
    } finally {
      await server.stop();
    }
  });
});

/** `mcp-inspector --cli --format json <args>` against a server that is already running. */
function inspectorRemote(args: string[], ms: number): Promise<Run> {
  return runNode([inspectorBin(), '--cli', '--format', 'json', ...args], ms);
}

/** The `mcp-lab` CLI's stdout (a token), run as a learner would. */
async function cliToken(args: string[]): Promise<string> {
  const run = await runNode([path.join(REPO, 'apps', 'lab', 'bin', 'mcp-lab.js'), ...args], 30_000);
  expect(run.code, `mcp-lab ${args.join(' ')} exited with ${String(run.code)}:\n${run.stderr}`).toBe(0);
  return run.stdout.trim();
}

/**
 * Node running `argv` with a home of its own (the Inspector keeps settings,
 * and for catalog entries env values, under ~/.mcp-inspector), killed after `ms`.
 */
function runNode(argv: string[], ms: number, options: { group?: boolean } = {}): Promise<Run> {
  const group = options.group === true && process.platform !== 'win32';
  const child = spawn(process.execPath, argv, {
    env: { PATH: process.env.PATH ?? '', HOME: home, USERPROFILE: home, XDG_CONFIG_HOME: path.join(home, '.config'), NODE_EXTRA_CA_CERTS: idp.caCertPath },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: group,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => {
    if (group && child.pid) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  }, ms);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
