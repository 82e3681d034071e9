import type { Request, RequestHandler, Response } from 'express';
import { GRAPH_MESSAGES, graphErrors } from './graph-error.ts';
import { graphLocals } from './graph-locals.ts';
import type { VerifiedGraphToken } from './verify-graph-token.ts';

/**
 * Graph's permissions per operation, as its API reference lists them (least
 * privileged first). The mock's Graph exposes only some of them; the others
 * are accepted so that a token shaped like a real one passes here too.
 */
export interface Permission {
  /** Delegated permissions (`scp`), any one of which suffices. */
  delegated: readonly string[];
  /** Application permissions (`roles` of an app-only token), any one of which suffices. */
  application: readonly string[];
}

const READ_ALL_USERS_DELEGATED = ['User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const READ_ALL_USERS_APP = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];

/** `GET /me`, `GET /me/memberOf`, and `GET /users/{own id}`. */
export const READ_SIGNED_IN_USER: Permission = { delegated: ['User.Read', 'User.ReadWrite', ...READ_ALL_USERS_DELEGATED], application: [] };
/** `GET /users/{id}` of anyone in the tenant. */
export const READ_ANY_USER: Permission = { delegated: READ_ALL_USERS_DELEGATED, application: READ_ALL_USERS_APP };

function token(res: Response): VerifiedGraphToken {
  const verified = graphLocals(res).token;
  if (!verified) throw new Error('authorization ran before authenticate');
  return verified;
}

function holds(granted: string[], permission: readonly string[]): boolean {
  // Entra writes permission names as registered; compare as Graph does, ignoring case.
  const lower = new Set(granted.map((g) => g.toLowerCase()));
  return permission.some((p) => lower.has(p.toLowerCase()));
}

export function allows(verified: VerifiedGraphToken, permission: Permission): boolean {
  return verified.appOnly ? holds(verified.roles, permission.application) : holds(verified.scopes, permission.delegated);
}

/** require_delegated: `/me` means "the signed-in user"; an app-only token has none (Graph answers 400). */
export function requireDelegated(): RequestHandler {
  return (_req, res, next) => {
    if (token(res).appOnly) throw graphErrors.badRequest(GRAPH_MESSAGES.meNeedsUser);
    next();
  };
}

/**
 * require_permission: 403 Authorization_RequestDenied unless the token holds
 * one of the permissions. `self` applies instead when the request names the
 * signed-in user (`/users/{own id or UPN}` needs only User.Read).
 */
export function requirePermission(permission: Permission, options: { self?: { permission: Permission; target: (req: Request) => string } } = {}): RequestHandler {
  return (req, res, next) => {
    const verified = token(res);
    const user = graphLocals(res).user;
    const target = options.self?.target(req).toLowerCase();
    const isSelf = user !== undefined && target !== undefined && (target === user.id || target === user.userPrincipalName.toLowerCase());
    if (!allows(verified, isSelf && options.self ? options.self.permission : permission)) throw graphErrors.denied();
    next();
  };
}
