import net from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '@mcp-lab/mock-idp';
import { startTestIdp, type TestIdp } from '../../../mock-idp/test/support/test-idp.ts';
import { runCli } from './run-cli.ts';
import { adminWithToken, startLab03Solution } from '../../../test-support/lab03-server.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(async () => {
  await idp.dispose();
});

/** Verified as a resource server would, with the issuer of the token version the API gets (Graph: v1.0). */
async function verified(token: string, audience: string, version: 1 | 2 = 2) {
  const jwks = createRemoteJWKSet(new URL(`${idp.authority}/discovery/v2.0/keys`));
  const issuer = version === 2 ? `${idp.authority}/v2.0` : `https://sts.windows.net/${idp.homeTenantId}/`;
  return (await jwtVerify(token, jwks, { issuer, audience })).payload;
}

describe('mcp-lab token', () => {
  it('prints only a real, verifiable access token for the user on stdout (for $(…) in a shell)', async () => {
    const result = await runCli(['token', '--user', 'alice', '--scope', 'User.Read', '--idp', idp.baseUrl]);
    expect(result.stderr).toContain('Access token for alice@contoso.test');
    expect(result.code).toBe(0);
    const token = result.stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const claims = await verified(token, 'https://graph.microsoft.com', 1);
    expect(claims).toMatchObject({ upn: 'alice@contoso.test', appid: SEED.apps.publicClient.appId, ver: '1.0', scp: expect.stringContaining('User.Read') as unknown });
  });

  it('signs in to another app with --client and prints claims with --json', async () => {
    const api = `api://${SEED.apps.protectedApi.appId}/user_impersonation`;
    const result = await runCli(['token', '--user', 'admin', '--scope', api, '--client', SEED.apps.webServer.appId, '--idp', idp.baseUrl, '--json']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { accessToken: string; claims: Record<string, unknown>; account: string };
    expect(out.account).toBe('admin@contoso.test');
    expect(out.claims).toMatchObject({ aud: SEED.apps.protectedApi.appId, scp: 'user_impersonation', roles: ['Tools.Admin'], azpacr: '1' });
    await verified(out.accessToken, SEED.apps.protectedApi.appId);
  });

  it('names the test users when the user is unknown (usage error, 64)', async () => {
    const result = await runCli(['token', '--user', 'mallory', '--scope', 'User.Read', '--idp', idp.baseUrl]);
    expect(result.code).toBe(64);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("error UNKNOWN_USER: No test user called 'mallory'");
    expect(result.stderr).toContain('alice@contoso.test');
  });

  it('passes the IdP’s AADSTS error on, e.g. a scope the API does not expose', async () => {
    const result = await runCli(['token', '--user', 'alice', '--scope', `api://${SEED.apps.protectedApi.appId}/Nope.Nope`, '--idp', idp.baseUrl]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('AADSTS70011');
  });

  it('says how to start the IdP when none is running (could not run, 2)', async () => {
    const result = await runCli(['token', '--user', 'alice', '--scope', 'User.Read', '--idp', 'https://localhost:1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error IDP_NOT_RUNNING');
    expect(result.stderr).toContain('npm start');
  });
});

describe('mcp-lab token --server (a lab server’s own token)', () => {
  it('signs in to the lab 03 solution as an MCP client would and prints the token it accepts at /mcp', async () => {
    const secret = idp.info().apps.find((a) => a.clientId === SEED.apps.webServer.appId)?.devSecret ?? '';
    const server = await startLab03Solution({ baseUrl: idp.baseUrl, caCertPath: idp.caCertPath, secret, admin: adminWithToken(idp.baseUrl, idp.adminToken) });
    try {
      const result = await runCli(['token', '--user', 'bob', '--server', server.origin, '--idp', idp.baseUrl], {}, 30_000);
      expect(result.stderr).toContain(`Access token of ${server.origin}/mcp for bob@contoso.test`);
      expect(result.code).toBe(0);
      const token = result.stdout.trim();
      // The server's own opaque token, not an Entra JWT…
      expect(token.split('.')).toHaveLength(1);
      // …and the server takes it.
      const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
      const post = (authorization?: string) =>
        fetch(`${server.origin}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(authorization ? { authorization } : {}) }, body: JSON.stringify(init) });
      expect((await post(`Bearer ${token}`)).status).toBe(200);
      expect((await post()).status).toBe(401);
    } finally {
      await server.stop();
    }
  });

  it('says so when nothing runs at the server URL', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const result = await runCli(['token', '--user', 'alice', '--server', `http://localhost:${closed}/mcp`, '--idp', idp.baseUrl]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('SERVER_NOT_RUNNING');
  });

  it('refuses --scope together with --server (usage error, 64)', async () => {
    const result = await runCli(['token', '--user', 'alice', '--server', 'http://localhost:3001/mcp', '--scope', 'User.Read', '--idp', idp.baseUrl]);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('SCOPE_WITH_SERVER');
  });
});
