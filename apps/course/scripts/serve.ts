/**
 * Serves a production build of the course site with `next start` and resolves
 * once it answers. Used by `npm start`, the e2e tests and the benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { COURSE_DIR, NEXT_BIN, ensureBuild, nextEnv } from './build.ts';

export interface RunningSite {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface ServeOptions {
  port: number;
  distDir?: string;
  /** Extra environment: MCP_LAB_IDP, NODE_EXTRA_CA_CERTS, MCP_LAB_HOME. */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(1000) });
    return response.status < 500;
  } catch {
    return false;
  }
}

export async function serveSite(options: ServeOptions): Promise<RunningSite> {
  const distDir = options.distDir ?? '.next';
  const url = `http://localhost:${options.port}`;
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '--port', String(options.port), '--hostname', 'localhost'], {
    cwd: COURSE_DIR,
    env: nextEnv(distDir, options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (c: Buffer) => output.push(c.toString()));
  child.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (!(await answers(`${url}/en`))) {
    if (child.exitCode !== null) throw Object.assign(new Error(`next start exited (${child.exitCode}):\n${output.join('').slice(-2000)}`), { code: 'COURSE_START_FAILED' });
    if (Date.now() > deadline) {
      await stop();
      throw Object.assign(new Error(`The course site did not answer at ${url} within ${options.timeoutMs ?? 30_000} ms.`), { code: 'COURSE_START_TIMEOUT' });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, child, stop };
}

// Run as a script (Node 22.18 has no import.meta.main):
// `node scripts/serve.ts [--port N] [--dist DIR]` builds if needed, serves, and prints `ready <url>` on stdout.
if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const distDir = option('--dist') ?? '.next';
  await ensureBuild({ distDir, log: (line) => process.stderr.write(`${line}\n`) });
  const site = await serveSite({ port: Number(option('--port') ?? process.env.PORT ?? 3000), distDir });
  process.stdout.write(`ready ${site.url}\n`);
  const stop = () => void site.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
