import type { Response } from 'express';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Pages this server shows a person: no scripts, not frameable (a consent
 * button inside someone else's frame is clickjacking), never cached.
 */
function send(res: Response, status: number, title: string, body: string, formTargets: string[] = []): void {
  const formAction = ["'self'", ...formTargets].join(' ');
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Frame-Options': 'DENY',
      // form-action also governs where the form's redirect may lead (Entra, or the client on "deny").
      'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
      'Referrer-Policy': 'no-referrer',
    })
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>` +
        `<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}button{font:inherit;padding:.5rem 1.2rem;margin-right:.5rem}code{background:#eee;padding:0 .2rem}</style></head>` +
        `<body><main>${body}</main></body></html>`,
    );
}

export interface ConsentView {
  requestId: string;
  csrf: string;
  clientName: string;
  clientId: string;
  redirectUri: string;
  /** Where approving leads (Entra's origin) and where denying leads (the client's redirect URI origin). */
  formTargets: string[];
}

/**
 * The consent page: before this server signs anybody in at Entra on an MCP
 * client's behalf, the person sees which client asks and where the result
 * will go. Without it, any client that registers itself could ride on an
 * earlier Entra sign-in (the confused-deputy problem).
 */
export function consentPage(res: Response, view: ConsentView): void {
  const redirect = new URL(view.redirectUri);
  send(
    res,
    200,
    'Allow access to your MCP server?',
    `<h1>Allow <strong>${escape(view.clientName)}</strong> to use this MCP server as you?</h1>` +
      `<p>The application <strong>${escape(view.clientName)}</strong> (client ID <code>${escape(view.clientId)}</code>) asks to call this server's tools on your behalf.</p>` +
      `<p>After you sign in with Microsoft Entra ID, you will be sent back to <code>${escape(redirect.origin)}</code>. Allow it only if you started this from that application.</p>` +
      `<form method="post" action="/consent">` +
      `<input type="hidden" name="request" value="${escape(view.requestId)}"><input type="hidden" name="csrf" value="${escape(view.csrf)}">` +
      `<button type="submit" name="decision" value="approve">Allow and sign in</button>` +
      `<button type="submit" name="decision" value="deny">Deny</button></form>`,
    view.formTargets,
  );
}

/** A page that says what went wrong and what to do; it never echoes a token, code or secret. */
export function problemPage(res: Response, status: number, title: string, explanation: string): void {
  send(res, status, title, `<h1>${escape(title)}</h1><p>${escape(explanation)}</p><p>Start again from your MCP client.</p>`);
}
