import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { AuditLog } from './audit.ts';
import { Throttled, withBackoff } from './backoff.ts';
import { EntraSignInEnded, type Entra } from './entra.ts';
import type { Grant, GrantStore } from './grants.ts';
import type { SessionAuth } from './oauth-provider.ts';
import type { ProfileCache } from './profile-cache.ts';

export interface ToolDeps {
  entra: Entra;
  grants: GrantStore;
  graphBaseUrl: string;
  audit: AuditLog;
  profiles: ProfileCache;
}

/** Each tool and the app roles (defined on the API registration, assigned in Entra) that allow it: one of them is enough. */
const TOOLS: (Tool & { roles: string[] })[] = [
  {
    name: 'get_user_details',
    title: 'Get user details',
    description: "Returns the signed-in user's profile from Microsoft Graph (/me).",
    inputSchema: { type: 'object', properties: {} },
    // An administrator may read their own profile too.
    roles: ['Tools.Read', 'Tools.Admin'],
  },
  {
    name: 'list_sessions',
    title: 'List active sessions',
    description: 'Administrators only: every signed-in session of this server (user, MCP client), without any token.',
    inputSchema: { type: 'object', properties: {} },
    roles: ['Tools.Admin'],
  },
];

function toolError(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}

/** Graph's error code and message (never the request's token). */
async function graphProblem(response: Response): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  return `${response.status}${body.error?.code ? ` ${body.error.code}` : ''}${body.error?.message ? `: ${body.error.message}` : ''}`;
}

type Caller = { grant: Grant; roles: string[] } | { error: CallToolResult };

/** The session's user and their roles now (read from their current Entra token for the API, so a change counts from its renewal). */
async function caller(deps: ToolDeps, auth: SessionAuth | undefined): Promise<Caller> {
  const grant = auth ? deps.grants.grant(auth.extra.grantId) : undefined;
  if (!grant) return { error: toolError('This session is not signed in any more. Reconnect to sign in again.') };
  try {
    return { grant, roles: await deps.entra.roles(grant.homeAccountId) };
  } catch (error) {
    if (error instanceof EntraSignInEnded) return { error: toolError(`Your Entra ID sign-in has ended (${error.message}). Reconnect to sign in again.`) };
    throw error;
  }
}

/** One MCP server per session; its tools act as the user who opened the session, each only for a user with its role. */
export function createMcpServer(deps: ToolDeps): McpServer {
  const server = new McpServer({ name: 'lab-04-best-practices', version: '1.0.0' });

  /** Runs a tool for a caller who holds its role; anyone else gets a tool error naming the role, and the refusal is audited. */
  const guarded = (name: string, run: (grant: Grant) => Promise<CallToolResult>) => async (_args: unknown, extra: { authInfo?: unknown }) => {
    const tool = TOOLS.find((t) => t.name === name)!;
    const who = await caller(deps, extra.authInfo as SessionAuth | undefined);
    if ('error' in who) return who.error;
    const base = { userOid: who.grant.userOid, clientId: who.grant.clientId, detail: name };
    if (!tool.roles.some((role) => who.roles.includes(role))) {
      deps.audit.write({ event: 'tool-denied', outcome: 'denied', ...base });
      return toolError(`Permission denied: ${name} needs the app role ${tool.roles.join(' or ')}, which your account does not hold. Ask an administrator to assign it; it counts from your next sign-in or token renewal.`);
    }
    const result = await run(who.grant);
    deps.audit.write({ event: 'tool-call', outcome: result.isError ? 'failure' : 'success', ...base });
    return result;
  };

  server.registerTool('get_user_details', { title: 'Get user details', description: TOOLS[0]!.description!, inputSchema: {} }, guarded('get_user_details', async (grant) => {
    const cached = deps.profiles.get(grant.tenantId, grant.userOid);
    if (cached !== undefined) return { content: [{ type: 'text', text: JSON.stringify(cached, null, 2) }] };
    let token: string;
    try {
      token = await deps.entra.accessToken(grant.homeAccountId);
    } catch (error) {
      if (error instanceof EntraSignInEnded) return toolError(`Your Entra ID sign-in has ended (${error.message}). Reconnect to sign in again.`);
      throw error;
    }
    let response: Response;
    try {
      // The Entra token goes to Graph, its audience — never to the MCP client, and the client's token never to Graph.
      response = await withBackoff(() => fetch(`${deps.graphBaseUrl}/me`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }));
    } catch (error) {
      if (error instanceof Throttled) return toolError(`Microsoft Graph is busy (throttled). Try again later, in ${error.retryAfterSeconds} s or more.`);
      throw error;
    }
    if (response.status === 401) return toolError(`Microsoft Graph refused the token (${await graphProblem(response)}). Reconnect to sign in again.`);
    if (response.status === 403) return toolError(`Microsoft Graph says the app may not read your profile (${await graphProblem(response)}). An admin must grant User.Read.`);
    if (!response.ok) return toolError(`Microsoft Graph answered ${await graphProblem(response)}. Try again later.`);
    const profile: unknown = await response.json();
    deps.profiles.set(grant.tenantId, grant.userOid, profile);
    return { content: [{ type: 'text', text: JSON.stringify(profile, null, 2) }] };
  }));

  server.registerTool('list_sessions', { title: 'List active sessions', description: TOOLS[1]!.description!, inputSchema: {} }, guarded('list_sessions', () => {
    const sessions = deps.grants.liveGrants().map((g) => ({ session: g.id, userOid: g.userOid, clientId: g.clientId }));
    return Promise.resolve({ content: [{ type: 'text', text: JSON.stringify(sessions, null, 2) }] });
  }));

  // tools/list shows each caller the tools their roles allow now (the calls above check again: a list is no permission).
  server.server.setRequestHandler(ListToolsRequestSchema, async (_request, extra) => {
    const who = await caller(deps, extra.authInfo as SessionAuth | undefined);
    const roles = 'error' in who ? [] : who.roles;
    return { tools: TOOLS.filter((t) => t.roles.some((role) => roles.includes(role))).map(({ roles: _roles, ...tool }) => tool) };
  });
  return server;
}
