import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OAuthClientInformationMixed } from '@modelcontextprotocol/sdk/shared/auth.js';
import { MemoryOAuthClient } from '@mcp-lab/harness';

const DONE_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Signed in</title>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;line-height:1.5">
<h1>Signed in</h1><p>The MCP client has the code. Close this tab and go back to the course: the diagram goes on.</p>
<p lang="nl">Aangemeld. De MCP-client heeft de code. Sluit dit tabblad en ga terug naar de cursus: het diagram gaat verder.</p></body></html>`;

/**
 * Where the MCP client hears back from the browser, as a desktop client
 * does (RFC 8252): a loopback HTTP listener on a free port. It answers the
 * first request to /callback with a page saying the person can close the
 * tab, and hands on the code (or the error the server sent instead).
 */
export async function loopbackCallback(
  signal: AbortSignal,
  // Entra matches a registered `http://localhost` (no port, no path) with any port: lab 05's pre-registered client answers on `/`.
  at: { host: '127.0.0.1' | 'localhost'; path: string } = { host: '127.0.0.1', path: '/callback' },
): Promise<{ redirectUrl: string; code: Promise<string>; close: () => void }> {
  let settle: { resolve: (code: string) => void; reject: (error: Error) => void } | undefined;
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== at.path) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(DONE_PAGE);
    const given = url.searchParams.get('code');
    if (given) settle?.resolve(given);
    else settle?.reject(new Error(`the server sent the browser back without a code: ${url.searchParams.get('error') ?? ''} ${url.searchParams.get('error_description') ?? ''}`.trim()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => server.close();
  signal.addEventListener('abort', () => {
    settle?.reject(new Error('the live run was stopped'));
    close();
  });
  return { redirectUrl: `http://${at.host}:${(server.address() as AddressInfo).port}${at.path}`, code, close };
}

/**
 * The MCP SDK's OAuthClientProvider of a desktop MCP client whose person is
 * the learner: it registers dynamically with a loopback redirect URI and,
 * when the SDK asks, hands the authorization URL to the page (which opens it
 * in the learner's browser). Everything is in memory, for one live run.
 */
export class BrowserOAuthClient extends MemoryOAuthClient {
  readonly #onAuthorize: (url: URL) => void;
  /** Whether the SDK sent the person to authorize (a 401 that needs a sign-in, not a broken server). */
  asked = false;

  /** `preRegistered`: a client ID registered in advance (Entra has no dynamic registration), instead of registering. */
  constructor(redirectUrl: string, onAuthorize: (url: URL) => void, preRegistered?: OAuthClientInformationMixed) {
    super({ redirectUrl, clientName: 'MCP × Entra ID course (live diagram)', ...(preRegistered ? { clientInformation: preRegistered } : {}) });
    this.#onAuthorize = onAuthorize;
  }

  redirectToAuthorization(authorizationUrl: URL): void {
    this.asked = true;
    this.#onAuthorize(authorizationUrl);
  }
}
