import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface Started {
  url: string;
  child: ChildProcess;
}

/** Starts a lab process and resolves with the URL of its `ready <url>` line (the CLI's convention). */
export function startReady(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, name: string): Promise<Started> {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const errors: string[] = [];
  child.stderr?.on('data', (c: Buffer) => errors.push(c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`${name} did not print "ready <url>" within ${timeoutMs / 1000} s:\n${errors.join('').slice(-3000)}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready:\n${errors.join('').slice(-3000)}`));
    });
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^ready (\S+)/.exec(line);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve({ url: match[1], child });
    });
  });
}

export function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, 'localhost', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
