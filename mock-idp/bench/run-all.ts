/**
 * `npm run bench -w @mcp-lab/mock-idp`: the mock IdP's benchmarks one after
 * the other, each in its own Node process (its own IdP, temporary CA and
 * data, loopback only): idp.bench.ts (tokens, signing, readiness),
 * graph.bench.ts (Graph /me) and trace-fanout.bench.ts (/_lab/events to 20
 * subscribers). Options (`-- --requests N --concurrency N`) go to the first
 * two, which share them; run trace-fanout.bench.ts alone for its own.
 * Each benchmark is stopped after 5 minutes; the run fails if any failed.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCH_LIMIT_MS = 5 * 60_000;
const args = process.argv.slice(2);
const benches: [file: string, args: string[]][] = [
  ['idp.bench.ts', args],
  ['graph.bench.ts', args],
  ['trace-fanout.bench.ts', []],
];

function run(file: string, benchArgs: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL(`./${file}`, import.meta.url)), ...benchArgs], { stdio: 'inherit' });
    const timer = setTimeout(() => {
      console.error(`${file} did not finish within ${BENCH_LIMIT_MS / 60_000} minutes; stopping it`);
      child.kill();
    }, BENCH_LIMIT_MS);
    child.once('error', (err) => {
      clearTimeout(timer);
      console.error(`${file}: ${err.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const failed: string[] = [];
for (const [index, [file, benchArgs]] of benches.entries()) {
  if (index > 0) console.log(`\n${'─'.repeat(78)}\n`);
  if ((await run(file, benchArgs)) !== 0) failed.push(file);
}
if (failed.length) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
