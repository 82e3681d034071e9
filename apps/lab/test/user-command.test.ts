import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '@mcp-lab/mock-idp';
import { runCli, startCliIdp, type CliIdp, type CliResult } from './run-cli.ts';

let cli: CliIdp;
let dataDir: string;
let env: CliIdp['env'];
let baseUrl: string;

beforeAll(async () => {
  cli = await startCliIdp('user');
  ({ dataDir, env, baseUrl } = cli);
});
afterAll(() => cli.stop());

const lab = (...args: string[]): Promise<CliResult> => runCli([...args, '--idp', baseUrl, '--data', dataDir], env);
const API = SEED.apps.protectedApi.appId;

function json<T>(result: CliResult): T {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** Bob's roles in a real token for the protected API, through a real sign-in (`mcp-lab token`). */
async function bobsRoles(): Promise<unknown> {
  const token = json<{ claims: { roles?: string[] } }>(await runCli(['token', '--user', 'bob', '--scope', `api://${API}/user_impersonation`, '--idp', baseUrl, '--json'], env));
  return token.claims.roles;
}

// Each step is a CLI process (~1 s), and tokens come from real sign-ins.
describe('mcp-lab user', { timeout: 90_000 }, () => {
  it('lists users with their app roles, per tenant too', async () => {
    const text = await lab('user', 'list');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^alice@contoso\.test\s+Alice Jansen\s+a11ce000-.*roles: Tools\.Read of MCP Lab Protected API$/m);
    expect(text.stdout).toMatch(/^admin@contoso\.test .*\[admin\]/m);

    const users = json<{ userPrincipalName: string; appRoleAssignments: { appRoleValue: string }[] }[]>(await lab('user', 'list', '--json'));
    expect(users.find((u) => u.userPrincipalName === 'alice@contoso.test')?.appRoleAssignments).toMatchObject([{ appRoleValue: 'Tools.Read', resourceAppId: API }]);
    const foreign = json<{ userPrincipalName: string }[]>(await lab('user', 'list', '--tenant', SEED.tenants.foreign.domain, '--json'));
    expect(foreign.map((u) => u.userPrincipalName)).toEqual(['frank@fabrikam.test']);
  });

  it('assigns a role that shows up in the next token, and unassigns it', async () => {
    expect(await bobsRoles()).toBeUndefined();

    const assigned = await lab('user', 'assign-role', 'bob', '--app', API, '--role', 'Tools.Admin');
    expect(assigned.stderr).toBe('');
    expect(assigned.code).toBe(0);
    expect(assigned.stdout).toContain('bob@contoso.test now holds Tools.Admin of MCP Lab Protected API');
    expect(await bobsRoles()).toEqual(['Tools.Admin']);

    const again = await lab('user', 'assign-role', 'bob@contoso.test', '--app', API, '--role', 'Tools.Admin', '--json');
    expect(json<{ alreadyAssigned: boolean }>(again).alreadyAssigned).toBe(true);

    const removed = await lab('user', 'unassign-role', SEED.users.bob.id, '--app', API, '--role', 'Tools.Admin');
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('bob@contoso.test no longer holds Tools.Admin');
    expect(await bobsRoles()).toBeUndefined();

    const notAssigned = await lab('user', 'unassign-role', 'bob', '--app', API, '--role', 'Tools.Admin');
    expect(notAssigned.code).toBe(64);
    expect(notAssigned.stderr).toContain('error ROLE_NOT_ASSIGNED: bob@contoso.test is not assigned the role Tools.Admin');
  });

  it("passes the admin API's refusals on as usage errors (64)", async () => {
    const role = await lab('user', 'assign-role', 'bob', '--app', API, '--role', 'Tools.Nope');
    expect(role.code).toBe(64);
    expect(role.stderr).toMatch(/^error APP_ROLE_NOT_FOUND: .+\nfix: .*Tools\.Read, Tools\.Admin/);

    const uri = await lab('user', 'assign-role', 'bob', '--app', `api://${API}`, '--role', 'Tools.Read');
    expect(uri.code).toBe(64);
    expect(uri.stderr).toContain('error RESOURCE_APP_ID_EXPECTED');

    const app = await lab('user', 'assign-role', 'bob', '--app', '11111111-1111-4111-8111-111111111111', '--role', 'Tools.Read');
    expect(app.code).toBe(64);
    expect(app.stderr).toContain('error RESOURCE_APP_NOT_FOUND');

    for (const name of ['mallory', 'mallory@contoso.test']) {
      const user = await lab('user', 'assign-role', name, '--app', API, '--role', 'Tools.Read');
      expect(user.code).toBe(64);
      expect(user.stderr).toContain('error USER_NOT_FOUND');
    }
  });
});
