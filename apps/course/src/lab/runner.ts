import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { labHome, repoRoot } from '../content/paths.ts';
import type { RunMessage } from './run-messages.ts';

/** The runner script: a file in the source tree, found from the repository root (Next bundles this module). */
function runnerScript(): string {
  return path.join(repoRoot(), 'apps', 'course', 'server', 'lab-runner.ts');
}

/** The runner's environment: the site's, plus the lab CA for Node when the site was started without it. */
function runnerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? path.join(labHome(), 'certs', 'ca.pem') };
}

/**
 * Starts the lab runner (apps/course/server/lab-runner.ts) with these
 * arguments and streams its messages as NDJSON, one per line, as they come.
 * The runner is stopped when the browser goes away (the request's signal);
 * the harness inside it then stops every server it started.
 */
export function streamRunner(args: string[], signal: AbortSignal): Response {
  const child = spawn(process.execPath, [runnerScript(), ...args], { cwd: repoRoot(), env: runnerEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const errors: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    errors.push(chunk.toString());
    process.stderr.write(`[lab-runner] ${chunk.toString()}`);
  });
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  signal.addEventListener('abort', stop, { once: true });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (message: RunMessage) => controller.enqueue(encoder.encode(`${JSON.stringify(message)}\n`));
      readline.createInterface({ input: child.stdout }).on('line', (line) => {
        if (line.trim()) controller.enqueue(encoder.encode(`${line}\n`));
      });
      child.on('error', (error) => {
        send({ type: 'problem', code: 'RUNNER_START_FAILED', message: error.message, fix: 'Check that Node can run the site’s server files (Node ≥ 22.18).' });
        controller.close();
      });
      child.on('close', (code) => {
        send({ type: 'finished', ok: code === 0, ...(code === 0 ? {} : { detail: errors.join('').slice(-2000) }) });
        signal.removeEventListener('abort', stop);
        controller.close();
      });
    },
    cancel: stop,
  });
  return new Response(body, { headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } });
}
