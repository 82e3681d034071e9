import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

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
      res.status(403).json({ error: 'forbidden', error_description: 'The lab admin API only answers requests from this machine.' });
      return;
    }
    const presented = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!presented || !sameToken(presented, token)) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer realm="mcp-lab-admin"')
        .json({ error: 'unauthorized', error_description: `Send the admin token as 'Authorization: Bearer <token>'. It is in ${tokenPath}.` });
      return;
    }
    next();
  };
}
