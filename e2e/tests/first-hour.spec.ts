import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS } from '../support/chromium.ts';
import { REPO_ROOT, freePort } from '../support/lab-processes.ts';
import { expect, test } from './fixtures.ts';

/**
 * The learner's first hour, as issue #19 lived it, on a fresh lab home: `npm
 * start` runs, then `npm run lab -- start 02/03` complete with a `.env`; the
 * dashboard names the command that starts the lab 03 server; that command
 * works as written; the server's consent page leads to the IdP's sign-in in
 * Chromium (which trusts the lab's CA the way a learner makes it: `npm run
 * lab -- trust`). Nothing here sets NODE_EXTRA_CA_CERTS: a learner's shell
 * does not either. Every command runs through npm, as the README writes it.
 */

const WEB_APP = '03c0f1d0-0000-4000-8000-000000000003';

interface Running {
  child: ChildProcess;
  output: () => string;
}

/** `npm <args>` in the repository, in a process group of its own (npm starts node, which may start more). */
function npm(args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn('npm', args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

async function finished(run: Running): Promise<{ code: number | null; output: string }> {
  const code = run.child.exitCode ?? (await new Promise<number | null>((resolve) => run.child.once('exit', resolve)));
  return { code, output: run.output() };
}

async function until(run: Running, pattern: RegExp, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pattern.test(run.output())) {
    if (run.child.exitCode !== null) throw new Error(`npm exited (${run.child.exitCode}) before ${pattern}:\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${ms / 1000} s:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stop(run: Running | undefined): Promise<void> {
  if (!run || run.child.exitCode !== null || run.child.signalCode !== null) return;
  const exited = new Promise((resolve) => run.child.once('exit', resolve));
  process.kill(-run.child.pid!, 'SIGTERM');
  const force = setTimeout(() => process.kill(-run.child.pid!, 'SIGKILL'), 8000);
  await exited;
  clearTimeout(force);
}

let root = '';
let home = '';
let work = '';
let browserHome = '';
let chromiumPath = '';
let idpPort = 0;
let sitePort = 0;
let serverPort = 0;
let env: NodeJS.ProcessEnv = {};
let lab: Running | undefined;
let server: Running | undefined;
let browser: Browser | undefined;

test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

test.beforeAll(async ({ lab: e2e }) => {
  chromiumPath = e2e.chromium;
  root = fs.mkdtempSync(path.join(REPO_ROOT, '.lab', 'first-hour-'));
  home = path.join(root, 'lab-home');
  // Inside the repository, as work/ is: the lab servers' imports resolve from its node_modules.
  work = path.join(root, 'work');
  browserHome = path.join(root, 'browser-home');
  [idpPort, sitePort, serverPort] = [await freePort(), await freePort(), await freePort()];
  const shell = { ...process.env };
  delete shell.NODE_EXTRA_CA_CERTS;
  // The site's build from the e2e setup: its source hash says it is current, so a fresh lab home builds nothing.
  env = { ...shell, MCP_LAB_HOME: home, MCP_LAB_WORK_DIR: work, MCP_LAB_IDP_PORT: String(idpPort), MCP_LAB_SITE_PORT: String(sitePort), MCP_LAB_IDP: `https://localhost:${idpPort}`, COURSE_DIST_DIR: '.next-e2e' };
  lab = npm(['start'], env);
  await until(lab, /Ready in [\d.]+ s/, 180_000);
});

test.afterAll(async () => {
  await browser?.close();
  await stop(server);
  await stop(lab);
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test('npm start runs; start 02 and start 03 complete with a .env from the running IdP', async () => {
  for (const id of ['02', '03']) {
    const { code, output } = await finished(npm(['run', 'lab', '--', 'start', id], env));
    expect(output).not.toContain('fetch failed');
    expect(code, output).toBe(0);
  }
  for (const folder of ['02-public-client', '03-confidential-client']) {
    const dotenv = fs.readFileSync(path.join(work, folder, '.env'), 'utf8');
    expect(dotenv).toContain(`AUTHORITY_HOST=https://localhost:${idpPort}`);
  }
  expect(fs.readFileSync(path.join(work, '02-public-client', '.env'), 'utf8')).toContain('LAB_AUTH_MODE=device');
});

test('the dashboard’s server hint is a command that works as written, and the consent page of that server reaches the IdP’s sign-in in Chromium', async () => {
  // Port 3001 may be taken on a shared machine: move the server as the README says (PORT, PUBLIC_URL, REDIRECT_URI) and register its callback.
  const origin = `http://localhost:${serverPort}`;
  const file = path.join(work, '03-confidential-client', '.env');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replaceAll('http://localhost:3001', origin).replace(/^PORT=.*$/m, `PORT=${serverPort}`));
  const added = await finished(npm(['run', 'lab', '--', 'app', 'redirect', 'add', WEB_APP, 'web', `${origin}/auth/callback`], env));
  expect(added.code, added.output).toBe(0);

  // The browser trusts the lab's CA the way a learner makes it: `npm run lab -- trust` (here into a profile of this test's own).
  const nssDb = path.join(browserHome, '.pki', 'nssdb');
  fs.mkdirSync(nssDb, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${nssDb}`, '--empty-password'], { stdio: 'pipe' });
  const trusted = await finished(npm(['run', 'lab', '--', 'trust', '--nss-only', '--nss-db', nssDb, '--yes'], env));
  expect(trusted.code, trusted.output).toBe(0);
  browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, env: { ...process.env, HOME: browserHome } });
  const page = await browser.newPage();

  await page.goto(`http://localhost:${sitePort}/en/dashboard`);
  const panel = page.locator('[data-lab="03-confidential-client"]');
  await expect(panel.locator('.lab-server')).toContainText(`not answering at ${origin}`);
  const hint = (await panel.locator('.serve-hint code').first().textContent()) ?? '';
  expect(hint).toBe('npm run lab -- serve 03-confidential-client');

  // Run the hint exactly as it reads.
  const [command, ...args] = hint.split(' ');
  expect(command).toBe('npm');
  server = npm(args, env);
  await until(server, /listening on/, 60_000);
  await page.reload();
  await expect(panel.locator('.lab-server')).toContainText(`answering at ${origin}`);

  // An MCP client registers and sends the person to the server's /authorize (PKCE, as every MCP client does).
  const registration = await fetch(`${origin}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'First hour', redirect_uris: ['http://localhost:53682/callback'], token_endpoint_auth_method: 'none' }),
  });
  expect(registration.status).toBe(201);
  const { client_id: clientId } = (await registration.json()) as { client_id: string };
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL('/authorize', origin);
  for (const [key, value] of Object.entries({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: 'http://localhost:53682/callback',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: 'first-hour',
    resource: `${origin}/mcp`,
  })) {
    authorize.searchParams.set(key, value);
  }
  await page.goto(authorize.href);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('First hour');
  await page.getByRole('button', { name: 'Allow and sign in' }).click();

  // Not a 502 blaming AUTHORITY_HOST: the server reached the IdP, and Chromium shows its sign-in page over verified HTTPS.
  await expect(page).toHaveURL(new RegExp(`^https://localhost:${idpPort}/`));
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Email or user name')).toBeVisible();
  expect(server.output()).not.toContain('endpoints_resolution_error');
});

test('the portal: the manifest downloads as app-manifest.json, a new secret has a working copy button, a reload adds no second secret, and no page answers 404', async () => {
  const context = await browser!.newContext({ acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `https://localhost:${idpPort}` });
  const page = await context.newPage();
  const missing: string[] = [];
  page.on('response', (response) => {
    if (response.status() === 404) missing.push(response.url());
  });
  await page.goto(`https://localhost:${idpPort}/portal`);
  await page.getByLabel('Email or user name').fill('admin@contoso.test');
  await page.getByLabel('Password').fill('admin-lab-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();

  await page.goto(`https://localhost:${idpPort}/portal/apps/${WEB_APP}/manifest`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download' }).click()]);
  expect(download.suggestedFilename()).toBe('app-manifest.json');

  await page.goto(`https://localhost:${idpPort}/portal/apps/${WEB_APP}/credentials`);
  const before = await page.locator('table.grid tbody tr').count();
  await page.getByLabel('Description').fill('first hour');
  await page.getByRole('button', { name: 'Add client secret' }).click();
  const value = (await page.locator('#new-secret-value').textContent()) ?? '';
  expect(value.length).toBeGreaterThanOrEqual(40);
  await page.getByRole('button', { name: 'Copy the client secret value' }).click();
  await expect(page.getByText('Copied to the clipboard.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value);

  // F5: a GET, not the form again.
  await page.reload();
  await expect(page.locator('#new-secret-value')).toHaveCount(0);
  await expect(page.locator('table.grid tbody tr')).toHaveCount(before + 1);
  expect(missing).toEqual([]);
  await context.close();
});
