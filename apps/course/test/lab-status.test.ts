import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_TEXT } from '../src/components/dashboard-text.ts';
import { dashboardStatus } from '../src/lab/lab-status.ts';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'course-status-'));
const saved = { ...process.env };

/** A port nothing listens on (taken, then let go). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const home = path.join(temp, 'home');
  const work = path.join(temp, 'work');
  fs.mkdirSync(path.join(work, '03-confidential-client'), { recursive: true });
  fs.writeFileSync(path.join(work, '03-confidential-client', '.env'), `PORT=${await closedPort()}\n`);
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(path.join(home, 'progress.json'), JSON.stringify({ version: 1, lessons: {}, labs: { '02-public-client': { status: 'fail', score: 3, maxScore: 13, checks: { 'tools-list': 'pass' }, hiddenFailed: 0, at: '2026-11-26T08:00:00.000Z' } } }));
  Object.assign(process.env, { MCP_LAB_HOME: home, MCP_LAB_WORK_DIR: work, MCP_LAB_IDP: `https://localhost:${await closedPort()}` });
});

afterAll(() => {
  process.env = saved;
  fs.rmSync(temp, { recursive: true, force: true });
});

describe('the dashboard’s status', () => {
  it('says the IdP is down with the fix, each lab with its working copy, server, last result and lesson steps', async () => {
    const status = await dashboardStatus();
    expect(status.idp).toMatchObject({ up: false, fix: expect.stringContaining('npm start') as unknown });
    const lab02 = status.labs.find((l) => l.id === '02-public-client');
    expect(lab02?.work.exists).toBe(false);
    expect(lab02?.server).toBeUndefined(); // stdio: nothing to keep running
    expect(lab02?.progress).toMatchObject({ score: 3, maxScore: 13, checks: { 'tools-list': 'pass' } });
    expect(lab02?.checks.find((c) => c.id === 'only-user-read')?.hint).toContain('User.Read');
    expect(lab02?.steps['#step-1-the-mcp-server']?.nl).toBe('/nl/06-labs/02-public-client#stap-1-de-mcp-server');
    const lab03 = status.labs.find((l) => l.id === '03-confidential-client');
    expect(lab03?.work.exists).toBe(true);
    expect(lab03?.server).toMatchObject({ running: false, url: expect.stringMatching(/^http:\/\/localhost:\d+$/) as unknown });
  }, 60_000);

  it('gives, for a server that is not running, the one command that starts it (in both languages), not npm start in the lab folder', async () => {
    const lab03 = (await dashboardStatus()).labs.find((l) => l.id === '03-confidential-client');
    expect(lab03?.serveCommand).toBe('npm run lab -- serve 03-confidential-client');
    for (const lang of ['en', 'nl'] as const) {
      const hint = DASHBOARD_TEXT[lang].serverStart(lab03?.serveCommand ?? '');
      expect(hint).toContain('`npm run lab -- serve 03-confidential-client`');
      expect(hint).not.toContain('npm start');
    }
    expect((await dashboardStatus()).labs.find((l) => l.id === '01-register-app')?.serveCommand).toBeUndefined();
  }, 60_000);
});
