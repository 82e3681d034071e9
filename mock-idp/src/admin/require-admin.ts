import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendAdminError } from './admin-problem.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function sameToken(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The admin API answers only this machine, and only with the admin token. */
export function requireAdmin(token: string, tokenPath: string): RequestHandler {
  return (req, res, next) => {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      sendAdminError(res, 403, {
        code: 'ADMIN_LOOPBACK_ONLY',
        message: 'The lab admin API only answers requests from this machine.',
        fix: 'Call it from the machine the IdP runs on, at https://localhost:<port>/_lab/admin.',
      });
      return;
    }
    const presented = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!presented || !sameToken(presented, token)) {
      res.set('WWW-Authenticate', 'Bearer realm="mcp-lab-admin"');
      sendAdminError(res, 401, {
        code: presented ? 'ADMIN_TOKEN_INVALID' : 'ADMIN_TOKEN_MISSING',
        message: presented ? 'The admin token in the Authorization header is not this IdP\'s.' : 'The admin API needs the admin token.',
        fix: `Send the admin token as 'Authorization: Bearer <token>'. It is in ${tokenPath}.`,
      });
      return;
    }
    next();
  };
}
