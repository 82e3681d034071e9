import { LAB_ENV_VARS, type LabEnv } from '../model.ts';
import { SubmissionError } from './errors.ts';
import type { TempHome } from './temp-home.ts';

/** Names a submission must never see: the IdP's admin token (docs/design.md §5), under any spelling. */
const FORBIDDEN_NAME = /ADMIN_TOKEN/i;

/** Windows cannot start Node (or resolve DNS, or load crypto providers) without these; they name system folders, nothing secret. */
const WINDOWS_SYSTEM_VARS = ['SystemRoot', 'SystemDrive', 'windir', 'ComSpec', 'PATHEXT'] as const;

export interface SubmissionEnvOptions {
  /** The run's own home (tempHome()): HOME, APPDATA, XDG_*, TMPDIR… */
  home: Pick<TempHome, 'env'>;
  /** The CA the server must trust (the lab IdP's); default: this process's NODE_EXTRA_CA_CERTS. `null`: none. */
  caFile?: string | null;
  /** Anything else the run needs (a fixture's knobs); refused if named like an admin token. */
  extra?: Readonly<Record<string, string>>;
  /** For tests of other platforms; default the current ones. */
  platform?: NodeJS.Platform;
  parentEnv?: Readonly<Record<string, string | undefined>>;
}

/**
 * The server's whole environment, built from nothing — never
 * `...process.env`, which would hand a submission the grader's tokens,
 * cloud credentials and NODE_OPTIONS. What it gets: PATH (and Windows's
 * system variables), a home of its own, the CA to trust, the docs/design.md §5 lab
 * variables, and `extra`.
 */
export function submissionEnv(labEnv: LabEnv, options: SubmissionEnvOptions): Record<string, string> {
  const parent = options.parentEnv ?? process.env;
  const platform = options.platform ?? process.platform;
  const env: Record<string, string> = {};
  const path = lookup(parent, 'PATH', platform);
  if (path !== undefined) env.PATH = path;
  if (platform === 'win32') {
    for (const name of WINDOWS_SYSTEM_VARS) {
      const value = lookup(parent, name, platform);
      if (value !== undefined) env[name] = value;
    }
  }
  Object.assign(env, options.home.env);
  const caFile = options.caFile === undefined ? lookup(parent, 'NODE_EXTRA_CA_CERTS', platform) : options.caFile;
  if (caFile) env.NODE_EXTRA_CA_CERTS = caFile;
  // Only the contract's names, even if a caller's object carries more.
  for (const name of LAB_ENV_VARS) {
    const value = labEnv[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, options.extra ?? {});
  assertSafeEnv(env, parent);
  return env;
}

/**
 * Refuses an environment that would undo the isolation: an admin token
 * (by name, or by value under another name), or NODE_OPTIONS (which could
 * re-grant what the sandbox withholds, or preload code). startSubmission
 * checks again, whoever built the environment.
 */
export function assertSafeEnv(env: Readonly<Record<string, string>>, parent: Readonly<Record<string, string | undefined>> = process.env): void {
  const adminToken = parent.MCP_LAB_ADMIN_TOKEN;
  for (const [name, value] of Object.entries(env)) {
    if (FORBIDDEN_NAME.test(name)) {
      throw new SubmissionError('UNSAFE_REQUEST', `refusing to give a submission the variable ${name}: the IdP's admin token must never reach a learner's server (docs/design.md §5).`);
    }
    if (adminToken && value.includes(adminToken)) {
      throw new SubmissionError('UNSAFE_REQUEST', `refusing to give a submission the variable ${name}: its value contains the IdP's admin token.`);
    }
    if (name.toUpperCase() === 'NODE_OPTIONS') {
      throw new SubmissionError('UNSAFE_REQUEST', 'refusing to pass NODE_OPTIONS to a submission: it could undo the sandbox. Put Node flags in the start command instead.');
    }
  }
}

/** Windows variable names are case-insensitive (process.env hides that; a plain object does not). */
function lookup(env: Readonly<Record<string, string | undefined>>, name: string, platform: NodeJS.Platform): string | undefined {
  if (env[name] !== undefined) return env[name];
  if (platform !== 'win32') return undefined;
  const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : env[key];
}
