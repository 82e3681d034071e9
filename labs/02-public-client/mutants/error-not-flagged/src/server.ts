import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { AuthService, SignInFailed, type SignInPrompt } from './auth.ts';
import { loadConfig } from './config.ts';
import { getMe, GraphError } from './graph.ts';

// stdout carries the MCP protocol: everything for people goes to stderr or to the client as a notification.
const config = loadConfig();
const auth = new AuthService(config);

const server = new McpServer({ name: 'lab-02-public-client', version: '1.0.0' }, { capabilities: { logging: {} } });

server.registerTool(
  'get_user_details',
  {
    title: 'Get my profile',
    description: "Signs you in with Microsoft Entra ID (once) and returns your profile from Microsoft Graph /me.",
    annotations: { readOnlyHint: true, openWorldHint: true },
  },
  async (extra) => {
    // Where the client supports URL-mode elicitation it shows the sign-in page itself;
    // otherwise the message goes out as a log notification. Either way: not on stdout.
    const notify = async ({ message, url }: SignInPrompt): Promise<void> => {
      if (url && server.server.getClientCapabilities()?.elicitation?.url) {
        void server.server
          .elicitInput({ mode: 'url', message, url, elicitationId: randomUUID() }, { relatedRequestId: extra.requestId })
          .catch(() => undefined);
        return;
      }
      await extra.sendNotification({ method: 'notifications/message', params: { level: 'warning', logger: 'sign-in', data: message } });
    };
    try {
      const token = await auth.getAccessToken(notify);
      const profile = await getMe(config.graphBaseUrl, token);
      return { content: [{ type: 'text', text: JSON.stringify(profile, null, 2) }] };
    } catch (error) {
      if (error instanceof GraphError && error.status === 401) await auth.forget().catch(() => undefined);
      const message = error instanceof SignInFailed || error instanceof GraphError ? error.message : `Something went wrong: ${(error as Error).message}`;
      process.stderr.write(`get_user_details: ${message}\n`);
      return { content: [{ type: 'text', text: message }] }; // mutant: not flagged as an error
    }
  },
);

await server.connect(new StdioServerTransport());
process.stderr.write('lab 02 server ready on stdio\n');
