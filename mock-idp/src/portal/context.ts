import type { Request } from 'express';
import type { Tenant, User } from '../directory/types.ts';
import type { LabContext } from '../protocol/lab-context.ts';
import type { PortalSession, PortalSessions } from './session.ts';

export interface PortalDeps {
  lab: LabContext;
  sessions: PortalSessions;
  /** The IdP's public base URL (endpoints on the Overview blade, the manifest's `notes`). */
  baseUrl: () => string;
}

/** Who is signed in to the portal, and the tenant they administer (the portal shows only that tenant). */
export interface Viewer {
  user: User;
  tenant: Tenant;
  session: PortalSession;
  /** The CSRF token for a form that posts to `action`. */
  formToken: (action: string) => string;
}

// A WeakMap rather than res.locals: typed, and gone with the request.
const viewers = new WeakMap<Request, Viewer>();

export function setViewer(req: Request, viewer: Viewer): void {
  viewers.set(req, viewer);
}

/** The signed-in admin; the session step runs before every blade, so a blade never sees a request without one. */
export function viewerOf(req: Request): Viewer {
  const viewer = viewers.get(req);
  if (!viewer) throw new Error('portal blade reached without a session (the session step must run first)');
  return viewer;
}

/** Who made a change, for the `admin` trace event: the lab's audit log. */
export function changedBy(viewer: Viewer): { via: 'portal'; by: string } {
  return { via: 'portal', by: viewer.user.userPrincipalName };
}
