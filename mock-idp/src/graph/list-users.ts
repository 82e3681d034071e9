import type { Directory } from '../store/directory.ts';
import { graphLocals } from './graph-locals.ts';
import type { GraphHandler } from './handlers.ts';
import { parseSelect, project, withSelection } from './select.ts';
import { defaultView, graphUser, USER_PROPERTIES } from './user-resource.ts';

/**
 * `GET /users`: the users of the token's tenant (a tenant sees only its own
 * directory), each in Graph's default view or `$select`ed. The lab's
 * directories are small, so there is never a next page (`@odata.nextLink`).
 */
export function listUsers(graphBase: () => string, directory: Directory): GraphHandler {
  return (req, res) => {
    const select = parseSelect(req, 'user', USER_PROPERTIES);
    const tenantId = graphLocals(res).token?.tenantId;
    const users = tenantId ? directory.users(tenantId) : [];
    return {
      '@odata.context': `${graphBase()}/$metadata#${withSelection('users', select)}`,
      value: users.map((user) => {
        const full = graphUser(user);
        return select ? project(full, select) : defaultView(full);
      }),
    };
  };
}
