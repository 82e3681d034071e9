import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CheckCannotRun, CheckFailure, type CheckContext, type ToolResult } from '@mcp-lab/harness';

/**
 * What lab 04's checks do besides lab 03's flows (../03-confidential-client/check-flows.ts):
 * read the audit log, call a tool by name, change a user's app role in the IdP, and
 * talk plain HTTP to the server's own port.
 */


export async function callTool(client: Client, name: string): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: {} })) as ToolResult;
}

export async function toolNames(client: Client): Promise<string[]> {
  return (await client.listTools()).tools.map((t) => t.name).sort();
}

/** The protected API whose app roles govern the tools (ROLES_SCOPE without its scope). */
export function rolesApp(ctx: CheckContext): string {
  const scope = ctx.env.ROLES_SCOPE;
  if (!scope) throw new CheckFailure('ROLES_SCOPE is not set for this lab');
  return scope.replace(/^api:\/\//, '').replace(/\/[^/]*$/, '');
}

/** The roles the seed gives each user on the roles API, which the role checks count on. */
const SEEDED_ROLES: Record<string, string[]> = { 'alice@contoso.test': ['Tools.Read'], 'bob@contoso.test': [], 'admin@contoso.test': ['Tools.Admin'] };

/**
 * A learner who tried `user assign-role` from the README has changed whom the role checks sign in
 * as: that is the IdP's state, not the server's fault, so the check cannot run, and says how to undo it.
 */
export async function expectSeededRoles(ctx: CheckContext): Promise<void> {
  const app = rolesApp(ctx);
  for (const [username, seeded] of Object.entries(SEEDED_ROLES)) {
    const user = ctx.info.users.find((u) => u.username === username);
    if (!user) throw new CheckCannotRun(`the IdP has no user ${username}`);
    const { value } = await ctx.idp.admin<{ value: { resourceAppId: string; appRoleValue: string }[] }>('GET', `/users/${encodeURIComponent(user.oid)}/app-role-assignments`);
    const held = value.filter((a) => a.resourceAppId === app).map((a) => a.appRoleValue);
    const name = username.split('@')[0]!;
    const extra = held.filter((role) => !seeded.includes(role));
    const missing = seeded.filter((role) => !held.includes(role));
    if (extra.length || missing.length) {
      const undo = [
        ...extra.map((role) => `npm run lab -- user unassign-role ${name} --app ${app} --role ${role}`),
        ...missing.map((role) => `npm run lab -- user assign-role ${name} --app ${app} --role ${role}`),
      ];
      throw new CheckCannotRun(`the role checks count on the seeded roles, but ${username} holds ${held.join(', ') || 'no role'} of ${app} instead of ${seeded.join(', ') || 'none'} (changed in the IdP, e.g. while trying step 2). Undo it: ${undo.join('; ')}`);
    }
  }
}

/** Gives `user` an app role of the API for the length of the check (taken away again when it ends, whatever happened). */
export async function withRole<T>(ctx: CheckContext, username: string, role: string, body: () => Promise<T>): Promise<T> {
  const user = ctx.info.users.find((u) => u.username === username);
  if (!user) throw new CheckFailure(`the IdP has no user ${username}`);
  const route = `/users/${encodeURIComponent(user.oid)}/app-role-assignments`;
  // A role the user already held (the IdP then answers with the existing assignment) is theirs: leave it in place afterwards.
  const { value } = await ctx.idp.admin<{ value: { id: string; resourceAppId: string; appRoleValue: string }[] }>('GET', route);
  const held = value.some((a) => a.resourceAppId === rolesApp(ctx) && a.appRoleValue === role);
  const assignment = await ctx.idp.admin<{ id: string }>('POST', route, { resourceAppId: rolesApp(ctx), role });
  try {
    return await body();
  } finally {
    if (!held) await ctx.idp.admin('DELETE', `${route}/${encodeURIComponent(assignment.id)}`).catch(() => undefined);
  }
}

export interface AuditLine {
  time?: string;
  event?: string;
  outcome?: string;
  userOid?: string;
  clientId?: string;
  correlationId?: string;
  [key: string]: unknown;
}

/** The audit log file the server was given (AUDIT_LOG, relative to the submission). */
export function auditFile(ctx: CheckContext, overrides: { AUDIT_LOG?: string } = {}): string {
  const file = overrides.AUDIT_LOG ?? ctx.env.AUDIT_LOG;
  if (!file) throw new CheckFailure('AUDIT_LOG is not set for this lab');
  return path.resolve(ctx.dir, file);
}

/** Every JSON line of the audit log and its one rotated predecessor (`<file>.1`), oldest first; a line that is not JSON fails the check. */
export function auditLines(file: string): AuditLine[] {
  const lines: AuditLine[] = [];
  for (const f of [`${file}.1`, file]) {
    if (!fs.existsSync(f)) continue;
    for (const raw of fs.readFileSync(f, 'utf8').split('\n')) {
      if (!raw.trim()) continue;
      try {
        lines.push(JSON.parse(raw) as AuditLine);
      } catch {
        throw new CheckFailure(`the audit log ${path.basename(f)} has a line that is not JSON: ${raw.slice(0, 160)}`);
      }
    }
  }
  return lines;
}

export function auditText(file: string): string {
  return [`${file}.1`, file].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}

/** A plain HTTP request (no TLS) to the server's own port on loopback: its status and Location, or the error that ended it. */
export function plainHttp(port: number, host: string): Promise<{ status?: number; location?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/mcp', headers: { host, authorization: 'Bearer plain-http-probe', 'content-type': 'application/json' }, timeout: 5_000 }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, ...(res.headers.location ? { location: res.headers.location } : {}) });
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', (error) => resolve({ error: error.message }));
    req.end('{}');
  });
}

/** Starts a server that is expected not to start: its exit and output, or undefined when it did start (and is left running for the check to stop). */
export async function startExpectingFailure(ctx: CheckContext, overrides: Parameters<CheckContext['startServer']>[0]): Promise<{ output: string } | undefined> {
  try {
    await ctx.startServer(overrides);
    return undefined;
  } catch (error) {
    // The harness's ServerDidNotStart: the server exited, or never said it was ready.
    if (error instanceof CheckCannotRun && error.name === 'ServerDidNotStart') return { output: error.message };
    throw error;
  }
}

/**
 * Why a server did not start, for a failure message: the thrown error's own line (which names the
 * fix, as the starter's TODO errors do) rather than the end of its stack trace, with the exit line.
 */
export function startFailure(output: string): string {
  const lines = output.split('\n');
  const thrown = lines.find((line) => /^\s*(?:\w*Error|Uncaught \w+)(?: \[\w+\])?: /.test(line));
  if (!thrown) return output.slice(-600);
  const first = lines[0]!.trim();
  return first.includes(thrown.trim()) ? first : `${first} ${thrown.trim()}`;
}

export function assertAuditFields(line: AuditLine, what: string): void {
  for (const field of ['time', 'event', 'outcome', 'correlationId'] as const) {
    assert.ok(typeof line[field] === 'string' && line[field], `the audit line for ${what} has no "${field}": ${JSON.stringify(line).slice(0, 300)}`);
  }
  assert.ok(!Number.isNaN(Date.parse(line.time!)), `the audit line for ${what} has a "time" that is not a date: ${line.time}`);
}
