import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const CLI = path.resolve(import.meta.dirname, '..', 'bin', 'mcp-lab.js');

/** The CLI speaks the locale's language (checks' titles and hints); tests run it in English unless they say otherwise. */
const ENGLISH = { LC_ALL: '', LC_MESSAGES: '', LANG: 'C.UTF-8' };

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `mcp-lab …` to completion (with a hard stop so a hung CLI fails the test instead of the run). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...ENGLISH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mcp-lab ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts a long-running `mcp-lab …` and resolves once a stdout line matches. */
export function startCli(args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000): Promise<{ child: ChildProcess; match: RegExpMatchArray; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...ENGLISH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no line matching ${ready} within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = ready.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match, output: () => stdout + stderr });
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`mcp-lab exited (${code}) before it was ready\n${stdout}\n${stderr}`));
    });
  });
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('close', (code) => resolve(code));
  });
}

/** An `mcp-lab idp` of a test file's own, in a temporary lab home (its CA trusted by this worker). */
export interface CliIdp {
  labHome: string;
  dataDir: string;
  env: { MCP_LAB_HOME: string };
  baseUrl: string;
  child: ChildProcess;
  /** Stops the IdP (if still running) and removes the lab home. */
  stop(): Promise<void>;
}

export async function startCliIdp(name: string): Promise<CliIdp> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { trustLabCa } = await import('../src/trust-lab-ca.ts');
  const labHome = mkdtempSync(path.join(tmpdir(), `mcp-lab-${name}-`));
  const dataDir = path.join(labHome, 'idp');
  const env = { MCP_LAB_HOME: labHome };
  const started = await startCli(['idp', '--port', '0', '--data', dataDir], /^ready (https:\/\/localhost:\d+)$/m, env);
  trustLabCa(path.join(labHome, 'certs', 'ca.pem'));
  return {
    labHome,
    dataDir,
    env,
    baseUrl: started.match[1]!,
    child: started.child,
    stop: async () => {
      if (started.child.exitCode === null) {
        started.child.kill('SIGTERM');
        await exited(started.child);
      }
      rmSync(labHome, { recursive: true, force: true });
    },
  };
}
