import express, { type Router } from 'express';
import type { DatabaseSync } from 'node:sqlite';
import { FaultAction, NewFault } from '../faults/fault-schema.ts';
import type { LabContext } from '../protocol/lab-context.ts';
import { revokeUserSessions } from '../store/revoke-sessions.ts';
import { sendAdminError, zodProblem } from './admin-problem.ts';

/**
 * `/_lab/admin/faults`: switch faults on and off, and run one-off actions
 * (rotate the signing key, revoke a user's sessions, disable a user).
 */
export function faultRoutes(lab: LabContext, db: DatabaseSync): Router {
  const router = express.Router();

  router.get('/', (_req, res) => {
    res.json({ value: lab.faults.list() });
  });

  router.post('/', (req, res) => {
    const parsed = NewFault.safeParse(req.body);
    if (!parsed.success) return sendAdminError(res, 400, zodProblem(parsed.error, 'See docs/admin-api.md#faults for the fault kinds and their fields.'));
    const fault = lab.faults.set(parsed.data);
    lab.trace.emit({ type: 'admin', summary: `fault on: ${fault.fault.kind}`, ...scopeOf(fault.scope), detail: { fault: fault.fault } });
    res.status(201).json(fault);
  });

  router.delete('/', (req, res) => {
    const q = req.query;
    const removed = lab.faults.clear({
      ...(typeof q.tenant === 'string' ? { tenantId: q.tenant } : {}),
      ...(typeof q.client === 'string' ? { clientId: q.client } : {}),
    });
    lab.trace.emit({ type: 'admin', summary: `faults cleared (${removed})` });
    res.json({ removed });
  });

  router.delete('/:id', (req, res) => {
    const removed = lab.faults.clear({ id: req.params.id });
    if (!removed) return sendAdminError(res, 404, { code: 'FAULT_NOT_FOUND', message: `No active fault ${req.params.id}.`, fix: 'List them with GET /_lab/admin/faults.' });
    lab.trace.emit({ type: 'admin', summary: 'fault cleared', detail: { id: req.params.id } });
    res.json({ removed });
  });

  router.post('/actions', async (req, res) => {
    const parsed = FaultAction.safeParse(req.body);
    if (!parsed.success) return sendAdminError(res, 400, zodProblem(parsed.error, 'Actions: rotate-signing-key, revoke-sessions, disable-user.'));
    const action = parsed.data;
    if (action.action === 'rotate-signing-key') {
      const result = await lab.keys.rotate(action.graceSeconds);
      lab.trace.emit({ type: 'fault', summary: `signing key rotated; the old key stays published for ${action.graceSeconds} s`, detail: { ...result } });
      return res.json(result);
    }
    const user = lab.directory.user(action.userId) ?? lab.directory.userByName(action.userId);
    if (!user) return sendAdminError(res, 404, { code: 'USER_NOT_FOUND', message: `No user ${action.userId}.`, fix: 'Use a user ID or sign-in name from GET /_lab/info.' });
    const who = { oid: user.id, username: user.userPrincipalName };
    if (action.action === 'revoke-sessions') {
      const revoked = revokeUserSessions(db, user.id);
      lab.trace.emit({ type: 'fault', summary: `sessions of ${user.userPrincipalName} revoked`, tenantId: user.tenantId, user: who, detail: { revoked } });
      return res.json({ revoked });
    }
    lab.directory.updateUser(user.id, { accountEnabled: action.enabled });
    lab.trace.emit({ type: 'fault', summary: `${user.userPrincipalName} ${action.enabled ? 'enabled' : 'disabled'}`, tenantId: user.tenantId, user: who });
    return res.json({ userId: user.id, accountEnabled: action.enabled });
  });
  return router;
}

function scopeOf(scope: { tenantId?: string; clientId?: string }): { tenantId?: string; clientId?: string } {
  return { ...(scope.tenantId ? { tenantId: scope.tenantId } : {}), ...(scope.clientId ? { clientId: scope.clientId } : {}) };
}
