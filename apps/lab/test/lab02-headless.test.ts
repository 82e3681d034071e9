import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@mcp-lab/harness';
import { playDeviceCode, SEED, type PendingDeviceCode } from '@mcp-lab/mock-idp';
import { CLI, runCli, startCliIdp, type CliIdp } from './run-cli.ts';

/**
 * Lab 02 from an MCP client on a machine without a display (SSH, a
 * container): the learner's shell has no DISPLAY, nothing tells Node about
 * the lab CA, and the client starts the server with the documented command.
 */
let idp: CliIdp;
let work: string;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  idp = await startCliIdp('headless');
  work = fs.mkdtempSync(path.join(REPO_ROOT, '.lab', 'headless-test-'));
  env = { ...process.env, ...idp.env, MCP_LAB_WORK_DIR: work, NODE_EXTRA_CA_CERTS: undefined, DISPLAY: undefined, WAYLAND_DISPLAY: undefined };
  expect((await runCli(['start', '02'], env, 60_000)).code).toBe(0);
  fs.cpSync(path.join(REPO_ROOT, 'labs', '02-public-client', 'solution', 'src'), path.join(work, '02-public-client', 'src'), { recursive: true });
  // Entra tells clients to poll every 5 s; a second is enough here.
  expect((await runCli(['fault', 'set', 'device-code-interval', '--seconds', '1', '--idp', idp.baseUrl, '--data', idp.dataDir], env)).code).toBe(0);
}, 120_000);
afterAll(async () => {
  await idp?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

async function pendingCode(): Promise<PendingDeviceCode | undefined> {
  const token = fs.readFileSync(path.join(idp.dataDir, 'admin-token'), 'utf8').trim();
  const response = await fetch(`${idp.baseUrl}/_lab/admin/device-codes?client=${SEED.apps.publicClient.appId}`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { value: PendingDeviceCode[] }).value[0];
}

/** An MCP client that starts the server with the documented command, as an editor's MCP configuration would. */
async function connect(): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'serve', '02'],
    env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
    cwd: REPO_ROOT,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'headless-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

describe('lab 02 on a machine without a display', () => {
  it('start writes LAB_AUTH_MODE=device, as the lab’s README and .env.example say', () => {
    const values = parseEnv(fs.readFileSync(path.join(work, '02-public-client', '.env'), 'utf8'));
    const example = parseEnv(fs.readFileSync(path.join(REPO_ROOT, 'labs', '02-public-client', 'starter', '.env.example'), 'utf8'));
    expect(values.LAB_AUTH_MODE).toBe('device');
    expect(example.LAB_AUTH_MODE).toBe('device');
  });

  it('with a CLIENT_ID the IdP does not know, answers with the cause and the fix, and prints no stray `undefined`', { timeout: 60_000 }, async () => {
    const file = path.join(work, '02-public-client', '.env');
    const good = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, good.replace(/^CLIENT_ID=.*$/m, 'CLIENT_ID=02c11e00-0000-4000-8000-000000000099'));
    const { client, stderr } = await connect();
    try {
      const result = (await client.callTool({ name: 'get_user_details', arguments: {} })) as { isError?: boolean; content: { text?: string }[] };
      const text = result.content.map((c) => c.text).join('');
      expect(result.isError).toBe(true);
      expect(text).toContain('AADSTS700016');
      expect(text).toContain('CLIENT_ID');
      expect(stderr()).not.toMatch(/^undefined$/m);
      // serve said it before the server started, too.
      expect(stderr()).toContain('is not registered in this IdP (AADSTS700016)');
    } finally {
      await client.close();
      fs.writeFileSync(file, good);
    }
  });

  it('with LAB_AUTH_MODE=browser, signs in with a device code instead of waiting for a browser that never opens, and says so on stderr', { timeout: 90_000 }, async () => {
    const file = path.join(work, '02-public-client', '.env');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^LAB_AUTH_MODE=.*$/m, 'LAB_AUTH_MODE=browser'));
    const { client, stderr: output } = await connect();
    try {
      const call = client.callTool({ name: 'get_user_details', arguments: {} });
      let code: PendingDeviceCode | undefined;
      // Well inside an MCP client's usual 60 s request timeout.
      for (const deadline = Date.now() + 20_000; !code && Date.now() < deadline; ) {
        code = await pendingCode();
        if (!code) await new Promise((r) => setTimeout(r, 250));
      }
      expect(code, `no device code was asked for within 20 s; the server said:\n${output()}`).toBeDefined();
      expect(output()).toContain('no display');
      await playDeviceCode(`${idp.baseUrl}/${SEED.tenants.home.id}/devicelogin`, { username: 'alice@contoso.test', password: 'alice-lab-2026', userCode: code!.userCode, consent: 'accept' });
      const result = (await call) as { isError?: boolean; content: { text?: string }[] };
      expect(result.isError ?? false).toBe(false);
      expect(result.content.map((c) => c.text).join('')).toContain('Alice Jansen');
    } finally {
      await client.close();
    }
  });
});
