import path from 'node:path';

/**
 * The lab's local state lives in `.lab/` at the repository root (git-ignored):
 * `certs/` (the dev CA the learner trusts once) and `idp/` (registrations,
 * users, keys, sessions). `MCP_LAB_HOME` moves it, e.g. for a classroom server.
 */
export function labHome(): string {
  return process.env.MCP_LAB_HOME ? path.resolve(process.env.MCP_LAB_HOME) : path.resolve(import.meta.dirname, '..', '..', '.lab');
}

export const DEFAULT_PORT = 8443;
