import path from 'node:path';
import { LabOAuthClient, signInToServer } from '@mcp-lab/harness';
import type { LabInfo } from '@mcp-lab/mock-idp';
import { CliError, EXIT } from '../cli-error.ts';
import { httpServerLab, signInFailedFix } from '../server-advice.ts';
import { labCaPath } from '../trust-lab-ca.ts';

type LabUser = LabInfo['users'][number];

/** Where the CLI pretends to receive the code: nothing listens there, the simulated browser stops at it. */
const CLI_REDIRECT = 'http://localhost:53682/mcp-lab/token';

/** The MCP endpoint as given (`http://localhost:3001` means its `/mcp`). */
function mcpEndpoint(server: string): URL {
  if (!URL.canParse(server)) throw new CliError('BAD_SERVER_URL', `'${server}' is not a URL.`, 'Give the MCP endpoint, e.g. --server http://localhost:3001/mcp.', EXIT.usage);
  const url = new URL(server);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/mcp';
  return url;
}

/** Whether a failed fetch was a refused connection (fetch wraps it in `cause`, happy eyeballs in `errors`). */
function refused(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as { code?: string; cause?: unknown; errors?: unknown[] };
  return e.code === 'ECONNREFUSED' || refused(e.cause, depth + 1) || (e.errors ?? []).some((inner) => refused(inner, depth + 1));
}

/**
 * `mcp-lab token --server <url>`: the token an MCP server that is its own
 * authorization server (lab 03) gives its clients. The CLI registers as an
 * MCP client, approves the server's consent page and signs in at the IdP as
 * the test user — the same steps the checks take.
 */
export async function runServerToken(server: string, user: LabUser, idpBaseUrl: string, json: boolean): Promise<number> {
  const mcpUrl = mcpEndpoint(server);
  const client = new LabOAuthClient({ username: user.username, password: user.password ?? '', idpOrigin: new URL(idpBaseUrl).origin, clientName: 'mcp-lab token', redirectUrl: CLI_REDIRECT });
  let tokens;
  try {
    tokens = await signInToServer(mcpUrl, client);
  } catch (error) {
    const lab = httpServerLab();
    if (refused(error)) {
      throw new CliError('SERVER_NOT_RUNNING', `Nothing answers at ${mcpUrl.origin}.`, `Start your lab server first${lab ? ` with \`${lab.command}\`` : ''}, or pass its URL with --server.`);
    }
    throw new CliError('SERVER_SIGN_IN_FAILED', `Signing in to ${mcpUrl.href} did not work: ${(error as Error).message}`, signInFailedFix(lab));
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({ server: mcpUrl.href, user: user.username, ...tokens }, null, 2)}\n`);
  } else {
    process.stdout.write(`${tokens.access_token}\n`);
    process.stderr.write(
      `Access token of ${mcpUrl.href} for ${user.username} (the server's own token, not Entra's)${tokens.expires_in ? `; expires in ${tokens.expires_in} s` : ''}.\n` +
        // The Inspector's CLI is a Node program: it trusts an https server's lab certificate only when told.
        `Try it: ${mcpUrl.protocol === 'https:' ? `NODE_EXTRA_CA_CERTS=${path.relative(process.cwd(), labCaPath()) || labCaPath()} ` : ''}npx @modelcontextprotocol/inspector --cli ${mcpUrl.href} --transport http --header "Authorization: Bearer <token>" --method tools/list\n`,
    );
  }
  return EXIT.ok;
}
