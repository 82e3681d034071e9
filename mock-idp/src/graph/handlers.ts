import type { Request, Response } from 'express';
import type { User } from '../directory/types.ts';
import type { Directory } from '../store/directory.ts';
import { directoryRolesOf, DIRECTORY_ROLE_PROPERTIES } from './directory-roles.ts';
import { GRAPH_MESSAGES, graphErrors } from './graph-error.ts';
import { graphLocals } from './graph-locals.ts';
import { parseSelect, project, withSelection } from './select.ts';
import { defaultView, graphUser, USER_PROPERTIES } from './user-resource.ts';

/** A Graph operation: reads the request (after the steps), returns the JSON body of a 200. */
export type GraphHandler = (req: Request, res: Response) => Record<string, unknown>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function signedInUser(res: Response): User {
  const { user, token } = graphLocals(res);
  // A delegated token for a user deleted since (or of no tenant here): Graph finds no such object.
  if (!user) throw graphErrors.notFound(token?.objectId ?? 'me');
  return user;
}

function userView(req: Request, graphBase: string, user: User): Record<string, unknown> {
  const select = parseSelect(req, 'user', USER_PROPERTIES);
  const full = graphUser(user);
  return { '@odata.context': `${graphBase}/$metadata#${withSelection('users', select)}/$entity`, ...(select ? project(full, select) : defaultView(full)) };
}

/** `GET /me` */
export function readMe(graphBase: () => string): GraphHandler {
  return (req, res) => userView(req, graphBase(), signedInUser(res));
}

/** `GET /me/memberOf`: the user's directory roles (the lab has no groups). */
export function listMemberOf(graphBase: () => string): GraphHandler {
  return (req, res) => {
    const select = parseSelect(req, 'directoryObject', DIRECTORY_ROLE_PROPERTIES);
    const roles = directoryRolesOf(signedInUser(res));
    return {
      '@odata.context': `${graphBase()}/$metadata#${withSelection('directoryObjects', select)}`,
      // The type annotation stays with a projection: a directoryObject collection is polymorphic.
      value: roles.map((role) => (select ? { '@odata.type': role['@odata.type'], ...project(role, select) } : role)),
    };
  };
}

function findUser(directory: Directory, idOrUpn: string): User | undefined {
  // Object IDs are stored in lower case; user principal names compare without case (COLLATE NOCASE).
  return GUID.test(idOrUpn) ? directory.user(idOrUpn.toLowerCase()) : directory.userByName(idOrUpn);
}

/** `GET /users/{id | userPrincipalName}`, within the token's tenant. */
export function readUser(graphBase: () => string, directory: Directory): GraphHandler {
  return (req, res) => {
    const idOrUpn = String(req.params.id ?? '');
    if (!GUID.test(idOrUpn) && !/^[^@\s]+@[^@\s]+$/.test(idOrUpn)) throw graphErrors.badRequest(GRAPH_MESSAGES.invalidId(idOrUpn), 'Request_BadRequest');
    const user = findUser(directory, idOrUpn);
    if (!user) throw graphErrors.notFound(idOrUpn);
    // A tenant cannot see another tenant's directory: to its token, that user does not exist.
    if (user.tenantId !== graphLocals(res).token?.tenantId) throw graphErrors.notFound(idOrUpn);
    return userView(req, graphBase(), user);
  };
}
