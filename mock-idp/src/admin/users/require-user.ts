import type { User } from '../../directory/types.ts';
import type { Directory } from '../../store/directory.ts';
import { notFound } from '../common/admin-api-error.ts';

/** A user by object ID or by sign-in name (`alice@contoso.test`), as Graph's /users/{id | userPrincipalName} accepts. */
export function requireUser(directory: Directory, idOrName: string): User {
  const user = idOrName.includes('@') ? directory.userByName(idOrName) : directory.user(idOrName);
  if (user) return user;
  throw notFound('USER_NOT_FOUND', `No user has the ${idOrName.includes('@') ? 'sign-in name' : 'object ID'} ${JSON.stringify(idOrName)}.`, 'List the users with GET /_lab/admin/users and use an id or userPrincipalName from there.');
}
