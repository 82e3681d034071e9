import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { EntraSignInEnded, type Entra } from './entra.ts';
import type { GrantStore } from './grants.ts';
import type { SessionAuth } from './oauth-provider.ts';

export interface ToolDeps {
  entra: Entra;
  grants: GrantStore;
  graphBaseUrl: string;
}

function toolError(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}

/** Graph's error code and message (never the request's token). */
async function graphProblem(response: Response): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  return `${response.status}${body.error?.code ? ` ${body.error.code}` : ''}${body.error?.message ? `: ${body.error.message}` : ''}`;
}

/** One MCP server per session; its tool acts as the user who opened the session, with that user's Entra token. */
export function createMcpServer(deps: ToolDeps): McpServer {
  const server = new McpServer({ name: 'lab-03-confidential-client', version: '1.0.0' });
  server.registerTool(
    'get_user_details',
    {
      title: 'Get user details',
      description: "Returns the signed-in user's profile from Microsoft Graph (/me).",
      inputSchema: {},
    },
    async (_args, extra) => {
      const auth = extra.authInfo as SessionAuth | undefined;
      const grant = auth ? deps.grants.grant(auth.extra.grantId) : undefined;
      if (!grant) return toolError('This session is not signed in any more. Reconnect to sign in again.');
      let token: string;
      try {
        token = await deps.entra.accessToken(grant.homeAccountId);
      } catch (error) {
        if (error instanceof EntraSignInEnded) return toolError(`Your Entra ID sign-in has ended (${error.message}). Reconnect to sign in again.`);
        throw error;
      }
      // The Entra token goes to Graph, its audience — never to the MCP client, and the client's token never to Graph.
      const response = await fetch(`${deps.graphBaseUrl}/me`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
      if (response.status === 401) return toolError(`Microsoft Graph refused the token (${await graphProblem(response)}). Reconnect to sign in again.`);
      if (response.status === 403) return toolError(`Microsoft Graph says the app may not read your profile (${await graphProblem(response)}). An admin must grant User.Read.`);
      if (!response.ok) return toolError(`Microsoft Graph answered ${await graphProblem(response)}. Try again later.`);
      const profile: unknown = await response.json();
      return { content: [{ type: 'text', text: JSON.stringify(profile, null, 2) }] };
    },
  );
  return server;
}
