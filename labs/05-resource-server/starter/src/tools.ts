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
      // TODO(obo): call Graph as this user, on-behalf-of.
      // 1. const graphToken = await deps.obo.graphToken(auth.token); catch OnBehalfOfRefused and return a toolError.
      // 2. GET `${deps.config.graphBaseUrl}/me` with Authorization: Bearer <graphToken>. Never with auth.token:
      //    that token was issued for this API, and forwarding it is token passthrough.
      // 3. Not ok? toolError(`Microsoft Graph answered ${await graphProblem(response)}.`)
      // 4. Return displayName, userPrincipalName, jobTitle and mail as JSON text (no token).
      void [deps.obo, OnBehalfOfRefused];
      const response = await fetch(`${deps.config.graphBaseUrl}/me`, { headers: { accept: 'application/json' } });
      return toolError(`get_my_profile is not built yet (TODO(obo) in src/tools.ts): without a token of its own, Graph answered ${await graphProblem(response)}.`);
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
      // TODO(scopes): only a caller whose roles (auth.extra.caller.roles) hold ADMIN_ROLE may see the settings;
      // anyone else gets a toolError. A scope is what a client asked for; an app role is what an admin assigned.
      // The settings: { audience: clientId, appIdUri, tokenVersion, tenantId, scope } from deps.config, as JSON text.
      return toolError(`get_server_settings is not built yet: see TODO(scopes) in src/tools.ts (it needs the app role ${ADMIN_ROLE}).`);
    },
  );
  return server;
}
