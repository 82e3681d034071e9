import express, { type Router } from 'express';
import type { LabContext } from '../../protocol/lab-context.ts';
import { badRequest } from '../common/admin-api-error.ts';
import { parseInput } from '../common/parse-input.ts';
import { tenantFromQuery } from '../common/tenant-query.ts';
import { traceAdmin } from '../common/trace-admin.ts';
import { passwordProblem } from './password-rules.ts';
import { requireUser } from './require-user.ts';
import { NewUserInput, UserPatchInput } from './user-schemas.ts';
import { userView } from './user-view.ts';

const REFERENCE = 'docs/admin-api.md#users shows the request body.';

function assertPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw badRequest(problem.code, problem.message, problem.fix, 'password');
}

/** `GET|POST /users`, `GET|PATCH|DELETE /users/{id | userPrincipalName}`. */
export function userCrudRoutes(lab: LabContext): Router {
  const { directory } = lab;
  const router = express.Router();

  router.get('/', (req, res) => {
    const tenant = tenantFromQuery(directory, req.query.tenant);
    res.set('Cache-Control', 'no-store').json({ value: directory.users(tenant?.id).map(userView) });
  });

  router.post('/', (req, res) => {
    const { password, tenantId, ...input } = parseInput(NewUserInput, req.body, { what: 'The request body', reference: REFERENCE });
    assertPassword(password);
    // Like Entra, the UPN's domain decides the tenant when none is named.
    const domain = input.userPrincipalName.slice(input.userPrincipalName.lastIndexOf('@') + 1);
    const tenant = tenantId ?? directory.tenant(domain)?.id ?? directory.tenants().find((t) => t.home)?.id ?? '';
    const user = directory.createUser({ ...input, tenantId: tenant, password });
    traceAdmin(lab, `user created: ${user.userPrincipalName}`, { tenantId: user.tenantId, user: { oid: user.id, username: user.userPrincipalName } });
    res.status(201).location(`${req.baseUrl}/${user.id}`).json(userView(user));
  });

  router.get('/:user', (req, res) => {
    res.set('Cache-Control', 'no-store').json(userView(requireUser(directory, req.params.user)));
  });

  router.patch('/:user', (req, res) => {
    const { password, ...patch } = parseInput(UserPatchInput, req.body, { what: 'The request body', reference: REFERENCE });
    const current = requireUser(directory, req.params.user);
    if (password !== undefined) assertPassword(password);
    const user = directory.transaction(() => {
      if (password !== undefined) directory.setPassword(current.id, password);
      return directory.updateUser(current.id, patch);
    });
    const changed = [...Object.keys(patch), ...(password === undefined ? [] : ['password'])];
    traceAdmin(lab, `user changed: ${user.userPrincipalName}`, { tenantId: user.tenantId, user: { oid: user.id, username: user.userPrincipalName }, detail: { fields: changed } });
    res.json(userView(user));
  });

  router.delete('/:user', (req, res) => {
    const user = requireUser(directory, req.params.user);
    directory.deleteUser(user.id);
    traceAdmin(lab, `user deleted: ${user.userPrincipalName}`, { tenantId: user.tenantId, user: { oid: user.id, username: user.userPrincipalName } });
    res.status(204).end();
  });

  return router;
}
