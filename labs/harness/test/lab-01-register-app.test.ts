import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_APP_ID, startIdp, type RunningIdp } from '@mcp-lab/mock-idp';
import { checkSubmission, connectLabIdp, defineLab, labEnv, loadLab, startLabIdp, type LabIdp, type LabDefinition, type LabResult } from '../src/index.ts';

/**
 * Lab 01's checks against the two kinds of IdP a run can have: the learner's
 * own running one (compare, never change) and a fresh one made for the run
 * (import the manifest, so labs 02 and 03 can use the registration), and
 * against submissions in and out of git.
 */

const LABS = path.resolve(import.meta.dirname, '..', '..');
const USER_READ = 'e1fe6dd8-ba31-4d61-89e7-88639da4683d';
const certDir = process.env.MCP_LAB_TEST_CERT_DIR!;

let running: RunningIdp;
let learnerIdp: LabIdp;
let freshIdp: LabIdp;
let lab: LabDefinition;
const made: string[] = [];

beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab01-idp-'));
  made.push(dataDir);
  running = await startIdp({ port: 0, dataDir, certDir });
  learnerIdp = connectLabIdp(running.baseUrl, running.caCertPath, running.adminToken);
  freshIdp = await startLabIdp({ certDir });
  lab = await loadLab(path.join(LABS, '01-register-app'));
});
afterAll(async () => {
  await freshIdp.close();
  await running.close();
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

const temp: string[] = [];
afterEach(() => {
  for (const dir of temp.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Exercise 1 done right, through the admin API (the portal's blades call the same functions). */
async function register(idp: LabIdp): Promise<{ appId: string; manifest: Record<string, unknown> }> {
  const app = await idp.admin<{ appId: string }>('POST', '/apps', {
    displayName: 'Learner MCP Server',
    signInAudience: 'AzureADMyOrg',
    isFallbackPublicClient: true,
    publicClient: { redirectUris: ['http://localhost'] },
    web: { redirectUris: ['http://localhost:3001/auth/callback'] },
    requiredResourceAccess: [{ resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: USER_READ, type: 'Scope' }] }],
  });
  await idp.admin('POST', `/apps/${app.appId}/secrets`, { displayName: 'lab 03 server', expiresInDays: 30 });
  return { appId: app.appId, manifest: await idp.admin<Record<string, unknown>>('GET', `/apps/${app.appId}/manifest`) };
}

function submission(manifest: unknown, extra: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab01-work-'));
  temp.push(dir);
  fs.cpSync(path.join(LABS, '01-register-app', 'starter'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'app-manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [name, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const statuses = (result: LabResult) => Object.fromEntries(result.checks.map((c) => [c.id, c.status]));
const message = (result: LabResult, id: string) => result.checks.find((c) => c.id === id)?.message ?? '';
// Never an inherited GIT_DIR (a test run inside a git hook): these commands must touch only the temporary folder.
const gitEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_')));
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe', env: gitEnv });
/** The lab IdP's secret shape, made at run time (no secret-shaped literal in the repository). */
const secretLike = () => `${randomBytes(3).toString('hex').slice(0, 3)}8Q~${randomBytes(30).toString('base64url').slice(0, 40)}`;

describe('lab 01 against the learner’s running IdP', () => {
  it('passes every check for a registration made there and downloaded, secrets compared by key ID', async () => {
    const { manifest } = await register(learnerIdp);
    const result = await checkSubmission(lab, submission(manifest), { idp: learnerIdp });
    expect(result.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message ?? ''}`)).toEqual([]);
    expect(result.status).toBe('pass');
  });

  it('lists what changed in the portal after the download', async () => {
    const { appId, manifest } = await register(learnerIdp);
    await learnerIdp.admin('POST', `/apps/${appId}/redirect-uris`, { platform: 'web', uri: 'http://localhost:3002/auth/callback' });
    await learnerIdp.admin('POST', `/apps/${appId}/secrets`, { displayName: 'a second one', expiresInDays: 30 });
    const result = await checkSubmission(lab, submission(manifest), { idp: learnerIdp, only: ['registration-in-idp'] });
    expect(statuses(result)).toEqual({ 'registration-in-idp': 'fail' });
    expect(message(result, 'registration-in-idp')).toContain('Web redirect URIs: manifest ["http://localhost:3001/auth/callback"], IdP ["http://localhost:3001/auth/callback","http://localhost:3002/auth/callback"]');
    expect(message(result, 'registration-in-idp')).toContain('client secrets (by key ID): manifest 1, IdP 2');
  });

  it('never registers anything there: a manifest of an app it lacks fails with the way back', async () => {
    const { appId, manifest } = await register(learnerIdp);
    await learnerIdp.admin('DELETE', `/apps/${appId}`).catch(() => undefined);
    const result = await checkSubmission(lab, submission(manifest), { idp: learnerIdp, only: ['registration-in-idp'] });
    expect(statuses(result)).toEqual({ 'registration-in-idp': 'fail' });
    expect(message(result, 'registration-in-idp')).toContain(`has no registration ${appId}`);
    expect(message(result, 'registration-in-idp')).toContain('app import');
    expect((await learnerIdp.info()).apps.some((a) => a.clientId === appId)).toBe(false);
  });
});

describe('lab 01 against a fresh IdP (grading, CI, a check with nothing running)', () => {
  it('imports the manifest with its appId, so labs 02 and 03 use the learner’s registration', async () => {
    const { appId, manifest } = await register(learnerIdp);
    const result = await checkSubmission(lab, submission(manifest), { idp: freshIdp });
    expect(result.status).toBe('pass');
    const info = await freshIdp.info();
    expect(info.apps.find((a) => a.clientId === appId)).toMatchObject({ publicClient: true, redirectUris: expect.arrayContaining(['http://localhost', 'http://localhost:3001/auth/callback']) as unknown });
    const lab02 = await loadLab(path.join(LABS, '02-public-client'));
    expect(labEnv(lab02.manifest, info, { dotenv: { CLIENT_ID: appId } }).CLIENT_ID).toBe(appId);
  });

  it('gives a confidential lab a secret of its own for the run (an imported registration has none), and removes it', async () => {
    const { appId, manifest } = await register(learnerIdp);
    await checkSubmission(lab, submission(manifest), { idp: freshIdp, only: ['registration-in-idp'] });
    // A stand-in for lab 03: its check proves the secret it was given works at the token endpoint.
    const confidential = defineLab({
      manifestVersion: 1,
      id: '93-confidential',
      title: 'secret',
      titleNl: 'geheim',
      lesson: '/en/labs/93-confidential',
      transport: 'none',
      env: ['AUTHORITY_HOST', 'TENANT_ID', 'CLIENT_ID', 'CLIENT_SECRET'],
      checks: [
        {
          id: 'secret-works',
          title: 'the secret works',
          points: 1,
          hint: 'h',
          lessonStep: '#s',
          testCode: 't',
          run: async (ctx) => {
            expect(ctx.env.CLIENT_ID).toBe(appId);
            const response = await fetch(`${ctx.env.AUTHORITY_HOST}/${ctx.env.TENANT_ID}/oauth2/v2.0/token`, {
              method: 'POST',
              body: new URLSearchParams({ grant_type: 'client_credentials', client_id: appId, client_secret: ctx.env.CLIENT_SECRET ?? '', scope: 'https://graph.microsoft.com/.default' }),
            });
            if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}: ${await response.text()}`);
          },
        },
      ],
    });
    const dir = submission(manifest, { '.env': `CLIENT_ID=${appId}\nCLIENT_SECRET=${secretLike()}\n` });
    const result = await checkSubmission(confidential, dir, { idp: freshIdp });
    expect(result.checks.map((c) => [c.id, c.status, c.message])).toEqual([['secret-works', 'pass', undefined]]);
    expect((await freshIdp.admin<{ value: unknown[] }>('GET', `/apps/${appId}/secrets`)).value).toEqual([]);
  });

  it('compares instead when another run imported the same appId between its look and its import', async () => {
    const { manifest } = await register(learnerIdp);
    await checkSubmission(lab, submission(manifest), { idp: freshIdp, only: ['registration-in-idp'] });
    // This run looks before the other run's import lands: GET /apps does not list the app yet.
    const late: LabIdp = { ...freshIdp, admin: <T>(method: string, route: string, body?: unknown) => (method === 'GET' && route === '/apps' ? Promise.resolve({ value: [] } as T) : freshIdp.admin<T>(method, route, body)) };
    expect(statuses(await checkSubmission(lab, submission(manifest), { idp: late, only: ['registration-in-idp'] }))).toEqual({ 'registration-in-idp': 'pass' });
    const web = manifest.web as { redirectUris: string[] };
    const other = await checkSubmission(lab, submission({ ...manifest, web: { ...web, redirectUris: ['http://localhost:3001/other'] } }), { idp: late, only: ['registration-in-idp'] });
    expect(message(other, 'registration-in-idp')).toContain('Web redirect URIs: manifest ["http://localhost:3001/other"]');
  });

  it('fails a manifest the IdP refuses to import, with the IdP’s reason', async () => {
    const { manifest } = await register(learnerIdp);
    const web = manifest.web as { redirectUris: string[] };
    const edited = { ...manifest, appId: randomUUID(), id: randomUUID(), web: { ...web, redirectUris: [...web.redirectUris, 'http://localhost:3001/*'] } };
    const result = await checkSubmission(lab, submission(edited), { idp: freshIdp, only: ['registration-in-idp'] });
    expect(statuses(result)).toEqual({ 'registration-in-idp': 'fail' });
    expect(message(result, 'registration-in-idp')).toContain('refuses to import');
    expect(message(result, 'registration-in-idp')).toContain('REDIRECT_URI_WILDCARD');
  });
});

describe('no-committed-secret', () => {
  it('passes an ignored .env, fails it once git tracks it (naming the file and the fix), passes again after git rm --cached', async () => {
    const { manifest } = await register(learnerIdp);
    const dir = submission(manifest, { '.env': `CLIENT_SECRET=${secretLike()}\n` });
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    const only = { idp: freshIdp, only: ['no-committed-secret'] };
    expect(statuses(await checkSubmission(lab, dir, only))).toEqual({ 'no-committed-secret': 'pass' });

    git(dir, 'add', '-f', '.env');
    const committed = await checkSubmission(lab, dir, only);
    expect(statuses(committed)).toEqual({ 'no-committed-secret': 'fail' });
    const text = message(committed, 'no-committed-secret');
    expect(text).toContain('.env, line 1: a value shaped like an Entra client secret');
    expect(text).toContain('tracked by git');
    expect(text).toContain('git rm --cached .env');
    expect(text).toContain('rotate the secret');

    git(dir, 'rm', '--cached', '-q', '.env');
    expect(statuses(await checkSubmission(lab, dir, only))).toEqual({ 'no-committed-secret': 'pass' });
  });

  it('fails a secret the IdP issued in a file git would add, and one in a folder outside git', async () => {
    const devSecret = (await freshIdp.info()).apps.find((a) => a.devSecret)?.devSecret;
    expect(devSecret).toBeTruthy();
    const { manifest } = await register(learnerIdp);
    const inGit = submission(manifest, { 'notes.md': `the lab 03 secret is ${devSecret!}\n` });
    git(inGit, 'init', '-q');
    const notAdded = await checkSubmission(lab, inGit, { idp: freshIdp, only: ['no-committed-secret'] });
    expect(message(notAdded, 'no-committed-secret')).toContain('notes.md, line 1: a client secret this IdP issued');
    expect(message(notAdded, 'no-committed-secret')).toContain('not ignored by git');
    expect(message(notAdded, 'no-committed-secret')).not.toContain(devSecret!);

    const handedIn = submission(manifest, { 'secrets.txt': `CLIENT_SECRET=${secretLike()}\n` });
    const result = await checkSubmission(lab, handedIn, { idp: freshIdp, only: ['no-committed-secret'] });
    expect(message(result, 'no-committed-secret')).toContain('secrets.txt, line 1');
    expect(message(result, 'no-committed-secret')).toContain('handed in with your work');
  });
});
