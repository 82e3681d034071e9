import type { Response } from 'express';
import type { AppRegistration, Tenant } from '../directory/types.ts';
import type { Platform } from '../protocol/redirect-uris.ts';

/** What the Entra steps learn about a request, step by step. */
export interface EntraLocals {
  tenant: Tenant;
  /** The request's parameters (query for GET, form body for POST), rewritten by the steps. */
  params: URLSearchParams;
  app?: AppRegistration;
  /** The platform whose redirect URI the request uses (authorize). */
  platform?: Platform;
  clientAuth: 'public' | 'secret' | 'assertion';
  /** The API a token request names, and how it named it (resolve_token_scopes). */
  audience?: { indicator: string; named: string };
  /** The user whose password verify_user_password checked (ROPC). */
  passwordUser?: string;
}

export function entraLocals(res: Response): EntraLocals {
  const locals = res.locals.entra as EntraLocals | undefined;
  if (!locals) throw new Error('Entra steps ran before resolve_tenant');
  return locals;
}
