import type { Request, RequestHandler } from 'express';
import { EntraError } from '../errors/entra-error.ts';
import type { LabContext } from '../protocol/lab-context.ts';
import { entraLocals } from './entra-locals.ts';

/** The client ID from the form, or from an HTTP Basic `Authorization` header. */
export function presentedClientId(req: Request, params: URLSearchParams): string | undefined {
  const fromForm = params.get('client_id');
  if (fromForm) return fromForm;
  const basic = basicCredentials(req);
  return basic?.clientId;
}

export function basicCredentials(req: Request): { clientId: string; secret: string } | undefined {
  const header = req.get('authorization');
  const match = header ? /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header) : null;
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return {
    clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
    secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
  };
}

/**
 * The app registration behind `client_id`, in this tenant (or a multi-tenant
 * app from elsewhere); else AADSTS700016 — the most common first mistake is a
 * client ID from one tenant used with another tenant's authority.
 */
export function findClient(lab: LabContext): RequestHandler {
  return (req, res, next) => {
    const locals = entraLocals(res);
    const clientId = presentedClientId(req, locals.params);
    if (!clientId) throw new EntraError(9002313, { detail: "The request must contain the 'client_id' parameter." });
    const app = lab.directory.app(clientId);
    const visible = app && (app.tenantId === locals.tenant.id || app.signInAudience === 'AzureADMultipleOrgs');
    if (!app || !visible) throw new EntraError(700016, { clientId, tenantName: locals.tenant.name });
    locals.app = app;
    next();
  };
}
