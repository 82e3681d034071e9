import type { Response } from 'express';
import { html, type SafeHtml } from './escape.ts';
import { FAVICON_PATH } from './favicon.ts';

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** BCP 47 language of the page; the IdP's pages are in English, like Entra's defaults. */
  lang?: string;
}

/**
 * Security headers for every page the IdP renders: no framing (clickjacking
 * a sign-in form is the classic attack), no scripts at all, no referrer
 * leaking codes in URLs. No `form-action`: Chromium applies it to the
 * redirects that follow a form post too, and the sign-in and consent forms
 * end in a redirect to the app's own origin (its redirect URI). The forms
 * are protected by the interaction cookie and their CSRF token instead.
 */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export function pageDocument(options: PageOptions): string {
  return html`<!doctype html>
<html lang="${options.lang ?? 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · MCP Lab identity provider</title>
<link rel="stylesheet" href="/_lab/assets/idp.css">
<link rel="icon" href="${FAVICON_PATH}" type="image/svg+xml">
</head>
<body>
<main class="card">
<p class="brand">MCP Lab · local Entra ID</p>
${options.body}
</main>
<footer class="note">A local training identity provider, not Microsoft Entra ID. Never enter a real password here.</footer>
</body>
</html>`.value;
}

export function renderPage(res: Response, options: PageOptions & { status?: number }): void {
  res.status(options.status ?? 200).set(PAGE_SECURITY_HEADERS).type('html').send(pageDocument(options));
}
