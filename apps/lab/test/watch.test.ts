import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, exited } from './run-cli.ts';

const FIXTURE_LAB = path.resolve(import.meta.dirname, '..', '..', '..', 'labs', 'harness', 'test', 'fixtures', 'labs', '90-echo');
// Inside the repository, so the staged copy resolves the repo's node_modules like a learner's work/ would.
const scratch = fs.mkdtempSync(path.resolve(import.meta.dirname, '..', '..', '..', '.lab', 'watch-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('mcp-lab watch', () => {
  it('checks once at start, again after a save (now passing), and stops on SIGINT', { timeout: 150_000 }, async () => {
    const dir = path.join(scratch, '90-echo');
    fs.cpSync(path.join(FIXTURE_LAB, 'starter'), dir, { recursive: true });
    const child = spawn(process.execPath, [CLI, 'watch', '90', '--dir', dir], {
      env: { ...process.env, MCP_LAB_LABS_DIR: path.dirname(FIXTURE_LAB), MCP_LAB_HOME: path.join(scratch, 'home') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const waitFor = (pattern: RegExp, ms: number) =>
      new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const poll = setInterval(() => {
          if (pattern.test(output)) {
            clearInterval(poll);
            resolve();
          } else if (Date.now() - started > ms) {
            clearInterval(poll);
            reject(new Error(`no ${String(pattern)} within ${ms} ms:\n${output}`));
          }
        }, 100);
      });
    try {
      await waitFor(/Score: 2\/4/, 60_000);
      fs.copyFileSync(path.join(FIXTURE_LAB, 'solution', 'server.mjs'), path.join(dir, 'server.mjs'));
      await waitFor(/Score: 4\/4/, 60_000);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited(child)).toBe(0);
    // One save, one re-run (the save's several file events are taken together).
    expect(output.match(/Score: /g)).toHaveLength(2);
  });
});
