import fs from 'node:fs';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, runCli, startCliIdp, type CliIdp } from './run-cli.ts';

let cli: CliIdp;
let labHome: string;
let dataDir: string;
let env: CliIdp['env'];
let baseUrl: string;

beforeAll(async () => {
  cli = await startCliIdp('fault');
  ({ labHome, dataDir, env, baseUrl } = cli);
});
afterAll(() => cli.stop());

const target = () => ['--idp', baseUrl, '--data', dataDir];

describe('mcp-lab fault', () => {
  it('switches a fault on for one app, lists it, changes the next token, and clears it', async () => {
    const set = await runCli(['fault', 'set', 'access-token-lifetime', '--seconds', '90', '--client', '02c11e00-0000-4000-8000-000000000002', ...target()], env);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/^fault on: access-token-lifetime \(id [0-9a-f-]{36}\) for app 02c11e00/);

    const list = await runCli(['fault', 'list', '--json', ...target()], env);
    expect(JSON.parse(list.stdout)).toMatchObject([{ fault: { kind: 'access-token-lifetime', seconds: 90 }, scope: { clientId: '02c11e00-0000-4000-8000-000000000002' } }]);

    const token = await runCli(['token', '--user', 'alice', '--scope', 'User.Read', '--idp', baseUrl], env);
    const claims = decodeJwt(token.stdout.trim());
    expect(claims.exp! - claims.iat!).toBe(90);

    const cleared = await runCli(['fault', 'clear', ...target()], env);
    expect(cleared.stdout).toContain('1 fault(s) cleared.');
    expect((await runCli(['fault', 'list', ...target()], env)).stdout).toContain('No faults are on.');
  });

  it('explains a missing option and an unknown fault as usage errors (64)', async () => {
    const missing = await runCli(['fault', 'set', 'clock-skew', ...target()], env);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain("'clock-skew' needs --seconds");
    const unknown = await runCli(['fault', 'set', 'gremlins', ...target()], env);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('Use one of: access-token-lifetime');
  });

  it('runs actions: revoke-sessions names an unknown user', async () => {
    const result = await runCli(['fault', 'set', 'revoke-sessions', '--user', 'nobody@contoso.test', ...target()], env);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('error USER_NOT_FOUND');
  });

  it('says where the admin token should be when it is not there', async () => {
    const result = await runCli(['fault', 'list', '--idp', baseUrl, '--data', path.join(labHome, 'elsewhere')], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error ADMIN_TOKEN_MISSING');
  });
});

describe('mcp-lab idp reset', () => {
  it('refuses while the IdP runs, asks for --yes without a terminal, then deletes the state but keeps the CA', async () => {
    const refused = await runCli(['idp', 'reset', '--data', dataDir, '--yes'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error IDP_RUNNING');
    expect(fs.existsSync(dataDir)).toBe(true);

    cli.child.kill('SIGTERM');
    await exited(cli.child);
    const unconfirmed = await runCli(['idp', 'reset', '--data', dataDir], env);
    expect(unconfirmed.code).toBe(64);
    expect(unconfirmed.stderr).toContain('--yes');
    expect(fs.existsSync(dataDir)).toBe(true);

    const done = await runCli(['idp', 'reset', '--data', dataDir, '--yes'], env);
    expect(done.code).toBe(0);
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(fs.existsSync(path.join(labHome, 'certs', 'ca.pem'))).toBe(true);
  });
});
