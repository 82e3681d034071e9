import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunMessage } from '../src/lab/run-messages.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const RUNNER = path.join(ROOT, 'apps', 'course', 'server', 'lab-runner.ts');
const LAB = '02-public-client';

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A lab home with the test CA (so the private IdP the runner starts is trusted) and a work folder with one copy of lab 02. */
function setup(edit?: { file: string; find: string; replace: string }): { home: string; work: string } {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'course-runner-'));
  temps.push(temp);
  const home = path.join(temp, 'home');
  const work = path.join(temp, 'work');
  fs.cpSync(process.env.MCP_LAB_TEST_CERT_DIR ?? '', path.join(home, 'certs'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'labs', LAB, 'solution'), path.join(work, LAB), { recursive: true });
  if (!edit) return { home, work };
  const file = path.join(work, LAB, edit.file);
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain(edit.find);
  fs.writeFileSync(file, text.replace(edit.find, edit.replace));
  return { home, work };
}

function messagesOf(stdout: string): RunMessage[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as RunMessage);
}

/** The runner as the site starts it, with no IdP running (so it starts a private one for checks, as `mcp-lab check` would). Failing runs answer too. */
async function run(args: string[], dirs: { home: string; work: string }): Promise<RunMessage[]> {
  const env = { ...process.env, MCP_LAB_HOME: dirs.home, MCP_LAB_WORK_DIR: dirs.work, MCP_LAB_IDP: 'https://localhost:9', NODE_EXTRA_CA_CERTS: path.join(dirs.home, 'certs', 'ca.pem') };
  try {
    return messagesOf((await promisify(execFile)(process.execPath, [RUNNER, ...args], { cwd: ROOT, env, timeout: 90_000 })).stdout);
  } catch (error) {
    const { stdout } = error as { stdout?: string };
    if (stdout === undefined) throw error;
    return messagesOf(stdout);
  }
}

describe('the course site’s lab runner', () => {
  it('streams each check’s result with its hint and recorded trace, and does not record a run of some checks', async () => {
    const dirs = setup({ file: 'src/auth.ts', find: "export const SCOPES = ['User.Read'];", replace: "export const SCOPES = ['User.Read', 'User.Read.All'];" });
    const messages = await run(['check', '02', '--only', 'tools-list,only-user-read'], dirs);
    // Lab 02's checks run side by side (parallelChecks): starts and ends interleave, each check starts before it ends.
    expect(messages[0]?.type).toBe('run');
    expect(messages.at(-1)?.type).toBe('done');
    const order = ['tools-list', 'only-user-read'];
    for (const id of order) {
      const start = messages.findIndex((m) => m.type === 'check-start' && m.id === id);
      const end = messages.findIndex((m) => m.type === 'check-end' && m.result.id === id);
      expect(start).toBeGreaterThan(0);
      expect(end).toBeGreaterThan(start);
    }
    expect(messages).toHaveLength(6);
    const ends = messages.filter((m) => m.type === 'check-end').sort((a, b) => order.indexOf(a.result.id) - order.indexOf(b.result.id));
    expect(ends.map((m) => [m.result.id, m.result.status])).toEqual([
      ['tools-list', 'pass'],
      ['only-user-read', 'fail'],
    ]);
    const failed = ends[1]!;
    expect(failed.result.hint).toContain("Request the scopes ['User.Read']");
    expect(failed.result.lessonStep).toBe('#step-1-the-mcp-server');
    const refused = failed.flow.find((e) => e.type === 'devicecode');
    expect(refused?.error?.error).toBe('invalid_scope');
    expect(failed.flow.every((e) => e.source === 'idp' && e.type !== 'admin')).toBe(true);
    expect(ends[0]!.flow).toEqual([]); // tools/list asks the IdP nothing
    expect(messages.at(-1)).toMatchObject({ type: 'done', status: 'fail', score: 1, maxScore: 2, recorded: false });
    expect(fs.existsSync(path.join(dirs.home, 'progress.json'))).toBe(false);
  }, 90_000);

  it('records a run of every check in progress.json, in the CLI’s format', async () => {
    const dirs = setup({ file: 'src/server.ts', find: 'import ', replace: "throw new Error('broken on purpose');\nimport " });
    const messages = await run(['check', LAB], dirs);
    const done = messages.at(-1);
    expect(done).toMatchObject({ type: 'done', score: 0, recorded: true });
    const ends = messages.filter((m) => m.type === 'check-end');
    expect(ends.length).toBeGreaterThan(5);
    expect(ends.every((m) => m.result.status === 'error')).toBe(true);
    expect(ends[0]?.result.output).toContain('broken on purpose');
    const progress = JSON.parse(fs.readFileSync(path.join(dirs.home, 'progress.json'), 'utf8')) as { version: number; labs: Record<string, { score: number; checks: Record<string, string> }> };
    expect(progress.version).toBe(1);
    expect(progress.labs[LAB]?.score).toBe(0);
    expect(Object.keys(progress.labs[LAB]?.checks ?? {})).toContain('tools-list');
  }, 120_000);

  it('says which checks a lab has when asked for one it does not have', async () => {
    const dirs = setup();
    const messages = await run(['check', LAB, '--only', 'no-such-check'], dirs);
    expect(messages[0]).toMatchObject({ type: 'problem', code: 'UNKNOWN_CHECK' });
    expect(messages[0]?.type === 'problem' && messages[0].fix).toContain('tools-list');
  }, 60_000);

  it('puts a live flow’s failure on the arrow where it happened: the IdP down, no working copy', async () => {
    const dirs = setup();
    const down = await run(['live', LAB, '--source', 'solution'], dirs);
    const flow = down.find((m) => m.type === 'flow');
    expect(flow?.type === 'flow' && flow.event).toMatchObject({ type: 'problem', detail: { stage: 'idp', code: 'IDP_UNREACHABLE' }, fix: expect.stringContaining('npm start') as unknown });
    expect(down).toContainEqual(expect.objectContaining({ type: 'problem', code: 'IDP_UNREACHABLE' }));

    fs.rmSync(path.join(dirs.work, LAB), { recursive: true });
    const missing = await run(['live', LAB, '--source', 'work'], dirs);
    expect(missing).toContainEqual(expect.objectContaining({ type: 'problem', code: 'NO_WORKING_COPY' }));
  }, 60_000);
});
