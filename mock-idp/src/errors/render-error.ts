import type { Request, Response } from 'express';
import { html } from '../html/escape.ts';
import { pageDocument, PAGE_SECURITY_HEADERS } from '../html/layout.ts';
import type { EntraError } from './entra-error.ts';

/** Browsers get a page; everything else gets Entra's JSON body. */
function wantsHtml(req: Request): boolean {
  return req.accepts(['json', 'html']) === 'html';
}

/**
 * The page a person sees when a browser-facing request fails: Entra's code
 * and message (so it can be searched), then in plain words what went wrong
 * and what to change.
 */
export function errorPageHtml(err: EntraError): string {
  return pageDocument({
    title: 'Sign-in error',
    body: html`<h1>Sorry, but we’re having trouble signing you in.</h1>
<div class="error" role="alert">
<p><strong>AADSTS${err.code}</strong>: ${err.message.replace(/^AADSTS\d+: /, '')}</p>
</div>
<dl class="facts">
<dt>What happened</dt><dd>${err.explanation}</dd>
<dt>How to fix it</dt><dd>${err.fix}</dd>
<dt>Trace ID</dt><dd><code>${err.traceId}</code></dd>
<dt>Correlation ID</dt><dd><code>${err.correlationId}</code></dd>
<dt>Timestamp</dt><dd>${err.timestamp.toISOString()}</dd>
</dl>`,
  });
}

export function sendEntraError(req: Request, res: Response, err: EntraError): void {
  if (wantsHtml(req)) {
    res.status(err.status).set(PAGE_SECURITY_HEADERS).type('html').send(errorPageHtml(err));
    return;
  }
  res.status(err.status).set('Cache-Control', 'no-store').json(err.toJSON());
}
