import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from '../../../mock-idp/test/support/test-idp.ts';
import { caFilesResult, labInfoProblems, nodeVersionResult, type DoctorContext } from '../src/doctor/checks.ts';
import { formatLine, runChecks, type DoctorLine } from '../src/commands/doctor.ts';
import http from 'node:http';
import { SEED } from '@mcp-lab/mock-idp';
import { adminWithToken, startLab03Solution } from '../../../test-support/lab03-server.ts';
import { GET as courseHealth } from '../../course/app/api/health/route.ts';
import { runCli } from './run-cli.ts';

let idp: TestIdp;
let tmp: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  idp = await startTestIdp();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-doctor-'));
  // An empty lab home and HOME: the result must not depend on this machine's .lab or browser profiles.
  env = { MCP_LAB_HOME: path.join(tmp, 'lab'), HOME: path.join(tmp, 'home'), MCP_LAB_NSS_DBS: '', MCP_LAB_IDP: undefined };
});
afterAll(async () => {
  await idp.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const line = (stdout: string, id: string) => new RegExp(`^(ok|warn|fail) +${id} +(.*)$`, 'm').exec(stdout);

describe('doctor checks (pure parts)', () => {
  it('Node version: fail below 22.18, warn below 24, ok from 24', () => {
    expect(nodeVersionResult('v20.20.0').status).toBe('fail');
    expect(nodeVersionResult('v22.17.1').status).toBe('fail');
    expect(nodeVersionResult('v22.18.0').status).toBe('warn');
    expect(nodeVersionResult('v23.11.0').status).toBe('warn');
    expect(nodeVersionResult('v24.0.0')).toEqual({ status: 'ok', detail: 'Node v24.0.0' });
    expect(nodeVersionResult('v20.20.0').fix).toContain('Node.js 24');
  });

  it('CA files: the test CA is valid; a missing one is a warning with the fix; an expired one fails', () => {
    const caPath = path.join(process.env.MCP_LAB_TEST_CERT_DIR!, 'ca.pem');
    expect(caFilesResult(caPath, new Date(), true)).toMatchObject({ status: 'ok', detail: expect.stringContaining('localhost.pem issued by it') as unknown });
    expect(caFilesResult(path.join(tmp, 'none', 'ca.pem'), new Date(), false)).toMatchObject({ status: 'warn', fix: expect.stringContaining('npm start') as unknown });
    expect(caFilesResult(caPath, new Date('2100-01-01'), true)).toMatchObject({ status: 'fail', detail: expect.stringContaining('expired') as unknown });
  });

  it('/_lab/info sanity: a real IdP has no problems; a wrong host or a missing home tenant is named', () => {
    const info = idp.info();
    expect(labInfoProblems(info, idp.baseUrl)).toEqual([]);
    expect(labInfoProblems(info, idp.baseUrl.replace('localhost', '127.0.0.1'))[0]).toContain('MSAL needs the issuer');
    expect(labInfoProblems({ ...info, tenants: info.tenants.slice(1) }, idp.baseUrl)).toContain('the home tenant is not the one and only first tenant');
  });

  it('one runner for every check: a check that throws becomes a failure line; fixes show only when not ok', async () => {
    const ctx = {} as DoctorContext;
    const lines = await runChecks(
      [
        { id: 'good', title: 'Good', run: () => Promise.resolve({ status: 'ok', detail: 'fine', fix: 'unused' }) },
        { id: 'broken', title: 'Broken', run: () => Promise.reject(new Error('boom')) },
      ],
      ctx,
    );
    expect(lines.map((l) => [l.id, l.status])).toEqual([
      ['good', 'ok'],
      ['broken', 'fail'],
    ]);
    expect(formatLine(lines[0]!, 6)).toBe('ok    good    fine');
    expect(formatLine(lines[1]!, 6)).toMatch(/^fail {2}broken {2}the check itself failed: boom\n {6}fix: /);
  });
});

describe('mcp-lab doctor against a running IdP', () => {
  it('warns that Node without NODE_EXTRA_CA_CERTS does not trust the lab CA, with the fix; the IdP itself is ok', async () => {
    const result = await runCli(['doctor', '--idp', idp.baseUrl], env);
    expect(result.code).toBe(0);
    expect(line(result.stdout, 'node-trust')?.[1]).toBe('warn');
    expect(line(result.stdout, 'node-trust')?.[2]).toContain('fails in MSAL with `endpoints_resolution_error`');
    expect(result.stdout).toContain(`fix: Start Node programs that talk to the IdP with NODE_EXTRA_CA_CERTS=${idp.caCertPath}`);
    expect(result.stdout).toContain('mcp-lab trust');
    // The same CA given through NODE_EXTRA_CA_CERTS works: the CA is right, only the trust is missing.
    expect(line(result.stdout, 'node-extra-ca')?.[1]).toBe('ok');
    expect(line(result.stdout, 'idp')?.[1]).toBe('ok');
    expect(line(result.stdout, 'idp')?.[2]).toContain('Contoso Lab');
    expect(line(result.stdout, 'ca-files')?.[1]).toBe('ok');
    expect(line(result.stdout, 'ports')?.[2]).toContain(`${idp.port} held by the lab (the IdP)`);
    expect(line(result.stdout, 'node-version')?.[1]).toBe('ok');
  });

  it('--json prints the same checks as an array', async () => {
    const result = await runCli(['doctor', '--idp', idp.baseUrl, '--json'], env);
    expect(result.code).toBe(0);
    const lines = JSON.parse(result.stdout) as DoctorLine[];
    expect(lines.map((l) => l.id)).toEqual(['node-version', 'ca-files', 'node-trust', 'node-extra-ca', 'os-store', 'browser-nss', 'ports', 'idp', 'lab-env']);
    for (const l of lines) expect(l).toMatchObject({ title: expect.any(String) as unknown, status: expect.stringMatching(/^(ok|warn|fail)$/) as unknown, detail: expect.any(String) as unknown });
    expect(lines.find((l) => l.id === 'node-trust')).toMatchObject({ status: 'warn', fix: expect.stringContaining('NODE_EXTRA_CA_CERTS') as unknown });
    expect(lines.find((l) => l.id === 'idp')?.status).toBe('ok');
  });

  it('passes (exit 0) when a plain node trusts the CA through the system store (--use-system-ca)', async () => {
    // SSL_CERT_FILE stands in for a system store that contains the lab CA, without touching the real one.
    const result = await runCli(['doctor', '--idp', idp.baseUrl], { ...env, NODE_OPTIONS: '--use-system-ca', SSL_CERT_FILE: idp.caCertPath });
    expect(line(result.stdout, 'node-trust')?.[1]).toBe('ok');
    expect(result.stdout).not.toMatch(/^fail/m);
    expect(result.code).toBe(0);
  });

  it('fails the IdP check (exit 2) when the IdP named with --idp does not answer, and does not pretend Node trust was tested', async () => {
    const result = await runCli(['doctor', '--idp', 'https://localhost:1'], env);
    expect(result.code).toBe(2);
    expect(line(result.stdout, 'idp')?.[1]).toBe('fail');
    expect(result.stdout).toContain('npm start');
    expect(line(result.stdout, 'node-trust')?.[1]).toBe('warn');
    expect(line(result.stdout, 'node-trust')?.[2]).toContain('not tested');
  });
});

describe('mcp-lab doctor and the lab’s own programs on its ports', () => {
  it('recognises the course site and the learner’s lab 03 server (PORT from its .env) instead of calling them another program', async () => {
    // The course site's own health route, served on a port of the test's (a whole Next build would add nothing here).
    const site = http.createServer((req, res) => {
      void (async () => {
        const answer = req.url === '/api/health' ? courseHealth() : new Response('not found', { status: 404 });
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' }).end(await answer.text());
      })();
    });
    await new Promise<void>((resolve) => site.listen(0, 'localhost', resolve));
    const sitePort = (site.address() as { port: number }).port;
    const secret = idp.info().apps.find((a) => a.clientId === SEED.apps.webServer.appId)?.devSecret ?? '';
    const server = await startLab03Solution({ baseUrl: idp.baseUrl, caCertPath: idp.caCertPath, secret, admin: adminWithToken(idp.baseUrl, idp.adminToken) });
    const work = fs.mkdtempSync(path.join(tmp, 'work-'));
    fs.mkdirSync(path.join(work, '03-confidential-client'));
    fs.writeFileSync(path.join(work, '03-confidential-client', '.env'), `PORT=${new URL(server.origin).port}\n`);
    try {
      const result = await runCli(['doctor', '--idp', idp.baseUrl], { ...env, MCP_LAB_SITE_PORT: String(sitePort), MCP_LAB_WORK_DIR: work });
      const ports = line(result.stdout, 'ports');
      expect(ports?.[1]).toBe('ok');
      expect(ports?.[2]).toContain(`${sitePort} held by the lab (the course site)`);
      expect(ports?.[2]).toContain(`${new URL(server.origin).port} held by the lab (your 03-confidential-client server)`);
      expect(result.stdout).not.toContain('another program');
    } finally {
      await server.stop();
      await new Promise((resolve) => site.close(resolve));
    }
  });
});
