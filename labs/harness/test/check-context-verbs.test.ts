import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '@mcp-lab/mock-idp';
import { CheckCannotRun, CheckContext, checkSubmission, defineLab, readCommittableFiles, readLabManifest, startLabIdp, toolText, type LabIdp, type LabEnv } from '../src/index.ts';

/** The verbs a check has besides starting servers: device codes, test users, the learner's own folder, a tool's text. */

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'labs', '90-echo');
const APP = SEED.apps.publicClient.appId;
const SCOPE = 'User.Read openid profile offline_access';

let idp: LabIdp;
beforeAll(async () => {
  idp = await startLabIdp({ certDir: process.env.MCP_LAB_TEST_CERT_DIR! });
});
afterAll(async () => {
  await idp.close();
});

async function contextWith(env: LabEnv): Promise<CheckContext> {
  return new CheckContext({
    lab: readLabManifest(FIXTURE),
    dir: FIXTURE,
    env,
    idp,
    info: await idp.info(),
    signal: new AbortController().signal,
    launcher: { start: () => Promise.reject(new Error('these checks start no server')) },
    startEventId: await idp.lastEventId(),
  });
}

/** What a device asks the IdP for: a device code for the seeded public client (as MSAL's acquireTokenByDeviceCode does). */
async function requestDeviceCode(tenant: string): Promise<{ device_code: string; user_code: string; verification_uri: string }> {
  const response = await fetch(`${idp.baseUrl}/${tenant}/oauth2/v2.0/devicecode`, { method: 'POST', body: new URLSearchParams({ client_id: APP, scope: SCOPE }) });
  expect(response.status).toBe(200);
  return (await response.json()) as { device_code: string; user_code: string; verification_uri: string };
}

/** The device's next poll of the token endpoint. */
async function poll(tenant: string, deviceCode: string): Promise<{ status: number; body: { access_token?: string; error?: string } }> {
  const response = await fetch(`${idp.baseUrl}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: APP, device_code: deviceCode }),
  });
  return { status: response.status, body: (await response.json()) as { access_token?: string; error?: string } };
}

describe('CheckContext: device codes', () => {
  it('lists the codes its app asked for, with the page to enter them, and plays the user approving one', async () => {
    const info = await idp.info();
    const tenant = info.tenants.find((t) => t.home)!.id;
    const ctx = await contextWith({ CLIENT_ID: APP, TENANT_ID: tenant, AUTHORITY_HOST: idp.baseUrl });
    const asked = await requestDeviceCode(tenant);
    const listed = (await ctx.deviceCodes()).find((c) => c.userCode === asked.user_code);
    // The page the IdP told the device, so no check builds that route itself.
    expect(listed).toMatchObject({ clientId: APP, tenantId: tenant, verificationUri: asked.verification_uri });
    expect((await poll(tenant, asked.device_code)).body.error).toBe('authorization_pending');

    await ctx.completeDeviceCode(listed!, ctx.user('alice'));
    const answer = await poll(tenant, asked.device_code);
    expect(answer.status).toBe(200);
    expect(answer.body.access_token).toEqual(expect.any(String));
    expect((await ctx.deviceCodes()).map((c) => c.userCode)).not.toContain(asked.user_code);
  });

  it('plays the user cancelling: the device is told the sign-in was declined', async () => {
    const tenant = (await idp.info()).tenants.find((t) => t.home)!.id;
    const ctx = await contextWith({ CLIENT_ID: APP, TENANT_ID: tenant, AUTHORITY_HOST: idp.baseUrl });
    const asked = await requestDeviceCode(tenant);
    const code = (await ctx.deviceCodes()).find((c) => c.userCode === asked.user_code)!;
    await ctx.completeDeviceCode(code, ctx.user('bob'), { consent: 'cancel' });
    const answer = await poll(tenant, asked.device_code);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('authorization_declined');
  });

  it('cannot look for device codes without the app that asked (no CLIENT_ID)', async () => {
    const ctx = await contextWith({});
    await expect(ctx.deviceCodes()).rejects.toBeInstanceOf(CheckCannotRun);
  });
});

describe('CheckContext: test users', () => {
  it('gives a seeded user with password and display name, from /_lab/info; an unknown one cannot run', async () => {
    const ctx = await contextWith({});
    const alice = ctx.user('alice');
    const seeded = (await idp.info()).users.find((u) => u.username === alice.username)!;
    expect(alice).toEqual({ username: seeded.username, password: seeded.password, displayName: seeded.displayName });
    expect(ctx.user(alice.username)).toEqual(alice);
    expect(() => ctx.user('mallory')).toThrow(CheckCannotRun);
  });
});

describe('CheckContext: sourceDir', () => {
  it('is the learner’s own folder while dir is the staged copy, so git is asked where the learner works', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'check-context-source-'));
    try {
      fs.writeFileSync(path.join(folder, 'tracked.txt'), 't');
      fs.writeFileSync(path.join(folder, 'loose.txt'), 'l');
      execFileSync('git', ['init', '-q'], { cwd: folder });
      execFileSync('git', ['add', 'tracked.txt'], { cwd: folder });
      const seen: { dir?: string; sourceDir?: string; files?: unknown; staged?: string } = {};
      const lab = defineLab({
        ...readLabManifest(FIXTURE),
        transport: 'none',
        start: undefined,
        checks: [
          {
            id: 'looks',
            title: 'looks at the folder',
            points: 1,
            hint: 'h',
            lessonStep: '#s',
            testCode: 't',
            run: async (ctx) => {
              seen.dir = ctx.dir;
              seen.sourceDir = ctx.sourceDir;
              seen.files = (await readCommittableFiles(ctx.sourceDir)).files;
              seen.staged = fs.readFileSync(path.join(ctx.dir, 'tracked.txt'), 'utf8');
            },
          },
        ],
      });
      const result = await checkSubmission(lab, folder, { idp });
      expect(result.status, result.message).toBe('pass');
      expect(seen.sourceDir).toBe(folder);
      expect(seen.dir).not.toBe(folder);
      expect(seen.staged).toBe('t');
      expect(seen.files).toEqual([
        { path: 'tracked.txt', how: 'tracked' },
        { path: 'loose.txt', how: 'not-ignored' },
      ]);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('toolText', () => {
  it('joins the text blocks of a tool result, one per line, other blocks as empty lines', () => {
    expect(toolText({ content: [{ type: 'text', text: 'Alice' }, { type: 'image' }, { type: 'text', text: 'Jansen' }] })).toBe('Alice\n\nJansen');
    expect(toolText({ isError: true, content: [] })).toBe('');
  });
});
