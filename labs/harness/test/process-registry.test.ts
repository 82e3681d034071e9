import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { killAllSubmissionsNow, liveSubmissionCount } from '../src/process/index.ts';
import { cleanupLaunched, expectGone, FIXTURES, isGone, launch } from './process-support.ts';

/** A grader that dies takes its submissions with it. */
afterEach(cleanupLaunched);

const INDEX = pathToFileURL(path.join(import.meta.dirname, '..', 'src', 'process', 'index.ts')).href;

/**
 * A minimal grader: starts `hangs-at-start` (which ignores SIGTERM), reports
 * its pid, then ends as `how` says. Without the orphan guard unless `how` is
 * 'sigkill', so each test proves one mechanism.
 */
const GRADER = `
import { stageSubmission, tempHome, submissionEnv, startSubmission } from ${JSON.stringify(INDEX)};
const how = process.argv[2];
const staged = await stageSubmission(${JSON.stringify(path.join(FIXTURES, 'hangs-at-start'))}, { labId: '00-grader-crash' });
const home = await tempHome();
const proc = await startSubmission({ command: ['node', 'server.mjs'], cwd: staged.dir, env: submissionEnv({}, { home }), protocol: 'http', sandbox: { submission: staged, home }, orphanGuard: how === 'sigkill' });
console.log(JSON.stringify({ pid: proc.pid, root: staged.root, home: home.dir }));
if (how === 'throw') setTimeout(() => { throw new Error('grader bug'); }, 100);
if (how === 'exit') setTimeout(() => process.exit(3), 100);
setInterval(() => {}, 1000);
`;

async function runGrader(how: 'throw' | 'exit' | 'signal' | 'sigkill'): Promise<{ code: number | null; signal: NodeJS.Signals | null; pid: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-grader-'));
  const script = path.join(dir, 'grader.mjs');
  fs.writeFileSync(script, GRADER);
  const grader = spawn(process.execPath, [script, how], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  grader.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const started = await new Promise<{ pid: number; root: string; home: string }>((resolve, reject) => {
    grader.stdout.on('data', () => {
      const line = stdout.split('\n')[0];
      if (line && stdout.includes('\n')) resolve(JSON.parse(line) as { pid: number; root: string; home: string });
    });
    grader.once('exit', () => reject(new Error(`grader exited before starting: ${stdout}`)));
  });
  expect(isGone(started.pid)).toBe(false);
  if (how === 'signal') grader.kill('SIGTERM');
  if (how === 'sigkill') grader.kill('SIGKILL');
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => grader.once('exit', (c, s) => resolve([c, s])));
  // The grader died without its cleanup: remove what it left on disk.
  fs.rmSync(started.root, { recursive: true, force: true });
  fs.rmSync(started.home, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  return { code, signal, pid: started.pid };
}

describe('the registry of started servers', () => {
  it('kills them when the grader throws', async () => {
    const { code, pid } = await runGrader('throw');
    expect(code).toBe(1);
    await expectGone([pid]);
  });

  it('kills them when the grader calls process.exit', async () => {
    const { code, pid } = await runGrader('exit');
    expect(code).toBe(3);
    await expectGone([pid]);
  });

  it('kills them on SIGTERM, and the grader still dies of the signal', async () => {
    const { signal, pid } = await runGrader('signal');
    expect(signal).toBe('SIGTERM');
    await expectGone([pid]);
  });

  it('and when the grader is SIGKILLed (no handler runs), the orphan guard in the server ends it', async () => {
    const { signal, pid } = await runGrader('sigkill');
    expect(signal).toBe('SIGKILL');
    await expectGone([pid], 5_000);
  });

  it('killAllSubmissionsNow ends every running server at once; stopped servers leave the registry', async () => {
    const a = await launch('hangs-at-start');
    const b = await launch('never-opens-port');
    expect(liveSubmissionCount()).toBe(2);
    killAllSubmissionsNow();
    await expectGone([a.proc.pid, b.proc.pid]);
    expect((await a.proc.exited).signal).toBe('SIGKILL');
    await a.proc.stop();
    await b.proc.stop();
    expect(liveSubmissionCount()).toBe(0);
  });
});
