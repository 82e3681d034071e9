import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CliError } from '../cli-error.ts';

export interface CommandResult {
  /** Exit code; null when the command could not start or was killed. */
  status: number | null;
  stdout: string;
  stderr: string;
  /** The program is not installed (or not on PATH). */
  notFound: boolean;
}

export type RunCommand = (argv: readonly string[]) => CommandResult;

/**
 * Runs a trust-store tool to completion. Standard input is /dev/null so a
 * tool that wants a password (an NSS database with a primary password) fails
 * at once instead of hanging; the timeout is the backstop.
 */
export const runCommand: RunCommand = (argv) => {
  const [program, ...args] = argv;
  if (!program) throw new Error('runCommand: empty command');
  const result = spawnSync(program, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, windowsHide: true });
  const code = (result.error as { code?: unknown } | undefined)?.code;
  return {
    status: result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr || (result.error ? result.error.message : ''),
    notFound: code === 'ENOENT',
  };
};

// System tools such as update-ca-certificates live in sbin, which is not on an ordinary user's PATH on Debian.
const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'];

/** The full path of a program on PATH (plus the system dirs), or undefined. */
export function findProgram(name: string, extraDirs: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = [...(env.PATH ?? env.Path ?? '').split(path.delimiter), ...(process.platform === 'win32' ? [] : SYSTEM_DIRS), ...extraDirs].filter(Boolean);
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** A command as someone would type it, quoted for the shell of this platform. */
export function formatCommand(argv: readonly string[], platform: NodeJS.Platform = process.platform): string {
  return argv
    .map((arg) => {
      if (/^[\w@%+=:,./\\-]+$/.test(arg)) return arg;
      return platform === 'win32' ? `"${arg.replaceAll('"', '\\"')}"` : `'${arg.replaceAll("'", `'\\''`)}'`;
    })
    .join(' ');
}

/** A failed command as an error that names the command, its exit code and what it printed. */
export function commandFailed(argv: readonly string[], result: CommandResult, fix: string): CliError {
  const how = result.notFound ? 'could not start (not installed?)' : `exited with ${result.status ?? 'a signal'}`;
  const output = result.stderr.trim() || result.stdout.trim();
  return new CliError('TRUST_COMMAND_FAILED', `\`${formatCommand(argv)}\` ${how}${output ? `:\n  ${output.split('\n').join('\n  ')}` : '.'}`, fix);
}
