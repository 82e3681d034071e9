import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Config } from './config.ts';
import { OnBehalfOfRefused, type OnBehalfOf } from './on-behalf-of.ts';
import type { EntraAuthInfo } from './verify-token.ts';

/** The app role the administrative tool requires: assigned to people in Enterprise applications → Users and groups. */
export const ADMIN_ROLE = 'Tools.Admin';

export interface ToolDeps {
  config: Config;
  obo: OnBehalfOf;
}

function toolError(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}

/** Graph's error code and message (never the request's token). */
async function graphProblem(response: Response): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  return `${response.status}${body.error?.code ? ` ${body.error.code}` : ''}${body.error?.message ? `: ${body.error.message}` : ''}`;
}

/** A fresh MCP server for one request (the transport is stateless): its tools act for the caller the verified token names. */
export function createMcpServer(deps: ToolDeps): McpServer {
  const server = new McpServer({ name: 'lab-05-resource-server', version: '1.0.0' });

  server.registerTool(
    'get_my_profile',
    {
      title: 'Get my profile',
      description: "Returns the signed-in user's profile from Microsoft Graph (/me), called on the user's behalf.",
      inputSchema: {},
    },
    async (_args, extra) => {
      const auth = extra.authInfo as EntraAuthInfo | undefined;
      if (!auth) return toolError('This request carries no verified token.');
      if (auth.extra.caller.kind !== 'user') return toolError('This tool acts for a signed-in user; an app-only token has no user to act for.');
      let graphToken: string;
      try {
        graphToken = await deps.obo.graphToken(auth.token);
      } catch (error) {
        if (error instanceof OnBehalfOfRefused) return toolError(`Entra ID would not give this server a Graph token for you (${error.message}). An admin may need to grant consent for User.Read.`);
        throw error;
      }
      const response = await fetch(`${deps.config.graphBaseUrl}/me`, { headers: { authorization: `Bearer ${graphToken}`, accept: 'application/json' } });
      if (!response.ok) return toolError(`Microsoft Graph answered ${await graphProblem(response)}.`);
      const me = (await response.json()) as { displayName?: string; userPrincipalName?: string; jobTitle?: string; mail?: string };
      const profile = { displayName: me.displayName, userPrincipalName: me.userPrincipalName, jobTitle: me.jobTitle, mail: me.mail };
      return { content: [{ type: 'text', text: JSON.stringify(profile, null, 2) }] };
    },
  );

  server.registerTool(
    'get_server_settings',
    {
      title: 'Get server settings',
      description: `How this server validates tokens. For people with the app role ${ADMIN_ROLE} only.`,
      inputSchema: {},
    },
    (_args, extra) => {
      const auth = extra.authInfo as EntraAuthInfo | undefined;
      if (!auth) return toolError('This request carries no verified token.');
      // An app role is assigned by an admin; a scope is only what the client asked for. Roles gate what a person may do.
      if (!auth.extra.caller.roles.includes(ADMIN_ROLE)) return toolError(`This tool needs the app role ${ADMIN_ROLE}; the roles in your token (${auth.extra.caller.roles.join(', ') || 'none'}) do not include it.`);
      const settings = { audience: deps.config.clientId, appIdUri: deps.config.appIdUri, tokenVersion: deps.config.tokenVersion, tenantId: deps.config.tenantId, scope: deps.config.scope };
      return { content: [{ type: 'text', text: JSON.stringify(settings, null, 2) }] };
    },
  );
  return server;
}
