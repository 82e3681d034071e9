import { randomUUID } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { SessionAuth } from './oauth-provider.ts';
import { createMcpServer, type ToolDeps } from './tools.ts';

interface Session {
  transport: StreamableHTTPServerTransport;
  /** The user who opened it: nobody else may use it, even with a valid token of their own. */
  userOid: string;
  tenantId: string;
}

function jsonRpcError(res: Response, status: number, message: string): void {
  res.status(status).json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });
}

/**
 * The MCP endpoint: one transport (and one McpServer) per MCP session. A
 * single transport shared by every connection would mix users' requests
 * and answers; a session ID alone is not a credential, so each request's
 * token must belong to the session's owner.
 */
export function mcpSessions(deps: ToolDeps): express.Router {
  const sessions = new Map<string, Session>();
  const router = express.Router();

  const handle = async (req: Request, res: Response) => {
    const auth = req.auth as SessionAuth;
    const sessionId = req.header('mcp-session-id');
    if (sessionId) {
      const session = sessions.get(sessionId);
      // The same answer for "no such session" and "someone else's session": a guesser learns nothing.
      if (!session || session.userOid !== auth.extra.userOid || session.tenantId !== auth.extra.tenantId) {
        jsonRpcError(res, 404, 'Session not found');
        return;
      }
      await session.transport.handleRequest(req, res, req.body);
      return;
    }
    if (req.method !== 'POST' || !isInitializeRequest(req.body)) {
      jsonRpcError(res, 400, 'Start with an initialize request (without an Mcp-Session-Id header)');
      return;
    }
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, userOid: auth.extra.userOid, tenantId: auth.extra.tenantId });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await createMcpServer(deps).connect(transport);
    await transport.handleRequest(req, res, req.body);
  };

  router.post('/', express.json({ limit: '1mb' }), handle);
  router.get('/', handle);
  router.delete('/', handle);
  return router;
}
