import type { Request, Response } from 'express';
import type { AppRegistration } from '../directory/types.ts';
import { html, type SafeHtml } from '../html/escape.ts';
import type { LabContext } from '../protocol/lab-context.ts';
import { viewerOf, type Viewer } from './context.ts';
import { renderPortalPage, type LabNote } from './layout.ts';
import { APP_BLADE_LABELS, APP_BLADES, ENTERPRISE_BLADE_LABELS, ENTERPRISE_BLADES, urls, type AppBlade, type EnterpriseBlade } from './urls.ts';

/** An app registration of the admin's tenant; another tenant's app does not exist as far as this portal is concerned (as in Entra). */
function tenantApp(lab: LabContext, viewer: Viewer, appId: string): AppRegistration | undefined {
  const app = lab.directory.app(appId);
  return app?.tenantId === viewer.tenant.id ? app : undefined;
}

/** The confirmation after a redirect (`?done=<key>`): only fixed texts, never text from the URL. */
export function doneNotice(req: Request, notices: Readonly<Record<string, string>>): string | undefined {
  const key = req.query.done;
  return typeof key === 'string' && Object.hasOwn(notices, key) ? notices[key] : undefined;
}

export interface BladeContent {
  /** A page inside the blade (Entra's side panel, e.g. "Request API permissions"): one more crumb, and the h1. */
  subpage?: string;
  body: SafeHtml;
  labNote: LabNote;
  notice?: string | undefined;
  status?: number;
  copyScript?: boolean;
}

/** A blade of an app registration: "Home › App registrations › <app> › <blade>", with the app's menu. */
export function renderAppBlade(res: Response, viewer: Viewer, app: AppRegistration, blade: AppBlade, content: BladeContent): void {
  const label = APP_BLADE_LABELS[blade];
  const sub = content.subpage;
  renderPortalPage(res, viewer, {
    h1: `${app.displayName} | ${sub ?? label}`,
    section: 'apps',
    breadcrumbs: [
      { label: 'Home', href: urls.home },
      { label: 'App registrations', href: urls.apps },
      ...(blade === 'overview' ? [{ label: app.displayName }] : [{ label: app.displayName, href: urls.app(app.appId) }, sub ? { label, href: urls.app(app.appId, blade) } : { label }]),
      ...(sub ? [{ label: sub }] : []),
    ],
    menu: { label: `${app.displayName} menu`, items: APP_BLADES.map((b) => ({ label: APP_BLADE_LABELS[b], href: urls.app(app.appId, b), current: b === blade })) },
    labNote: content.labNote,
    ...(content.notice ? { notice: content.notice } : {}),
    body: content.body,
    ...(content.status ? { status: content.status } : {}),
    ...(content.copyScript ? { copyScript: true } : {}),
  });
}

/** A blade of an enterprise application (the app's service principal in this tenant). */
export function renderEnterpriseBlade(res: Response, viewer: Viewer, app: AppRegistration, blade: EnterpriseBlade, content: BladeContent): void {
  const label = ENTERPRISE_BLADE_LABELS[blade];
  renderPortalPage(res, viewer, {
    h1: `${app.displayName} | ${label}`,
    section: 'enterprise',
    breadcrumbs: [
      { label: 'Home', href: urls.home },
      { label: 'Enterprise applications', href: urls.enterpriseApps },
      ...(blade === 'overview' ? [{ label: app.displayName }] : [{ label: app.displayName, href: urls.enterpriseApp(app.appId) }, { label }]),
    ],
    menu: {
      label: `${app.displayName} menu`,
      items: ENTERPRISE_BLADES.map((b) => ({ label: ENTERPRISE_BLADE_LABELS[b], href: urls.enterpriseApp(app.appId, b), current: b === blade })),
    },
    labNote: content.labNote,
    ...(content.notice ? { notice: content.notice } : {}),
    body: content.body,
    ...(content.status ? { status: content.status } : {}),
  });
}

/** A 404 inside the portal: says what was not found in which tenant, and where to look instead. */
export function renderNotFound(res: Response, viewer: Viewer, what: string, back: { label: string; href: string }): void {
  renderPortalPage(res, viewer, {
    h1: 'Not found',
    section: 'home',
    breadcrumbs: [{ label: 'Home', href: urls.home }, { label: 'Not found' }],
    labNote: { entra: 'the admin center shows only the objects of the tenant you signed in to.', lab: 'the same: this portal shows only your tenant.' },
    body: html`<div class="error" role="alert"><p>${what}</p><p class="fix">Check the ID, or pick it from <a href="${back.href}">${back.label}</a>.</p></div>`,
    status: 404,
  });
}

/** The app named in the URL, in the admin's tenant; otherwise the 404 page has been sent and the caller stops. */
export function appFromRequest(lab: LabContext, req: Request, res: Response): { viewer: Viewer; app: AppRegistration } | undefined {
  const viewer = viewerOf(req);
  const appId = String(req.params.appId);
  const app = tenantApp(lab, viewer, appId);
  if (!app) renderNotFound(res, viewer, `No app registration in ${viewer.tenant.name} has the Application (client) ID ${appId}.`, { label: 'App registrations', href: urls.apps });
  return app ? { viewer, app } : undefined;
}
