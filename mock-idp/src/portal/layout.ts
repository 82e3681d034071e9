import type { Response } from 'express';
import { FAVICON_PATH } from '../html/favicon.ts';
import { COPY_SCRIPT_PATH } from './copy-script.ts';
import { html, type SafeHtml } from '../html/escape.ts';
import { PAGE_SECURITY_HEADERS } from '../html/layout.ts';
import type { Viewer } from './context.ts';
import { urls } from './urls.ts';

export interface Crumb {
  label: string;
  /** Absent for the current page (the last crumb). */
  href?: string;
}

export interface MenuItem {
  label: string;
  href: string;
  current: boolean;
}

/**
 * One line each: where this lives in the real Entra admin center, and what
 * the lab does differently, so a lesson's instructions map one to one.
 */
export interface LabNote {
  entra: string;
  lab: string;
}

/** The portal's top-level areas, as Entra's left-hand navigation groups them. */
export type Section = 'home' | 'apps' | 'enterprise' | 'users';

const SECTIONS: readonly { section: Section; label: string; href: string }[] = [
  { section: 'home', label: 'Home', href: urls.home },
  { section: 'apps', label: 'App registrations', href: urls.apps },
  { section: 'enterprise', label: 'Enterprise applications', href: urls.enterpriseApps },
  { section: 'users', label: 'Users', href: urls.users },
];

export interface PortalPage {
  /** The one `<h1>`; also the document title. */
  h1: string;
  section: Section;
  breadcrumbs: readonly Crumb[];
  /** The blade menu of an app (its name is the nav's label). */
  menu?: { label: string; items: readonly MenuItem[] };
  labNote: LabNote;
  /** A short confirmation after a change ("Redirect URI added."), announced politely. */
  notice?: string;
  body: SafeHtml;
  status?: number;
  /** The one page with a script: the new secret's copy button (the CSP then allows scripts from this origin). */
  copyScript?: boolean;
}

function breadcrumbNav(crumbs: readonly Crumb[]): SafeHtml {
  return html`<nav aria-label="Breadcrumb" class="breadcrumb"><ol>
${crumbs.map((c) => (c.href ? html`<li><a href="${c.href}">${c.label}</a></li>` : html`<li><span aria-current="page">${c.label}</span></li>`))}
</ol></nav>`;
}

function bladeMenu(menu: NonNullable<PortalPage['menu']>): SafeHtml {
  return html`<nav aria-label="${menu.label}" class="blade-menu"><ul>
${menu.items.map((i) => html`<li><a href="${i.href}"${i.current ? html` aria-current="page"` : ''}>${i.label}</a></li>`)}
</ul></nav>`;
}

function portalDocument(viewer: Viewer, page: PortalPage): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.h1} · Local Entra admin center · MCP Lab</title>
<link rel="stylesheet" href="/_lab/assets/idp.css">
<link rel="icon" href="${FAVICON_PATH}" type="image/svg+xml">
${page.copyScript ? html`<script src="${COPY_SCRIPT_PATH}" defer></script>` : ''}
</head>
<body class="portal">
<a class="skip-link" href="#main">Skip to main content</a>
<header class="portal-header">
<p class="portal-brand">MCP Lab · local Entra admin center</p>
<nav aria-label="Portal" class="portal-nav"><ul>
${SECTIONS.map((s) => html`<li><a href="${s.href}"${s.section === page.section ? html` aria-current="true"` : ''}>${s.label}</a></li>`)}
</ul></nav>
<div class="portal-account">
<span>${viewer.user.displayName} <span class="muted">(${viewer.user.userPrincipalName}) · ${viewer.tenant.name}</span></span>
<form method="post" action="${urls.signOut}" class="inline-form"><input type="hidden" name="csrf" value="${viewer.formToken(urls.signOut)}"><button type="submit" class="secondary">Sign out</button></form>
</div>
</header>
${breadcrumbNav(page.breadcrumbs)}
<div class="portal-body${page.menu ? '' : ' no-menu'}">
${page.menu ? bladeMenu(page.menu) : ''}
<main id="main" class="blade">
<h1>${page.h1}</h1>
<p class="lab-note"><strong>In Microsoft Entra:</strong> ${page.labNote.entra} <strong>In this lab:</strong> ${page.labNote.lab}</p>
${page.notice ? html`<div class="notice" role="status">${page.notice}</div>` : ''}
${page.body}
</main>
</div>
<footer class="note portal-footer">A local training identity provider, not Microsoft Entra ID. Never enter a real password here.</footer>
</body>
</html>`.value;
}

/** Portal pages carry the same security headers as the sign-in pages: no framing, no scripts, no caching. */
export function renderPortalPage(res: Response, viewer: Viewer, page: PortalPage): void {
  res.status(page.status ?? 200).set(PAGE_SECURITY_HEADERS);
  if (page.copyScript) res.set('Content-Security-Policy', PAGE_SECURITY_HEADERS['Content-Security-Policy']!.replace("default-src 'none';", "default-src 'none'; script-src 'self';"));
  res.type('html').send(portalDocument(viewer, page));
}

/** A date as the portal shows it: the day only, in ISO form (unambiguous in every locale). */
export function day(iso: string): string {
  return iso.slice(0, 10);
}
