import type { Request } from 'express';

/**
 * What a DELETE names: its JSON body when it has one, else its query
 * string, for clients (and proxies) that drop a body on DELETE.
 */
export function deleteInput(req: Request): unknown {
  const body: unknown = req.body;
  return typeof body === 'object' && body !== null && Object.keys(body).length > 0 ? body : { ...req.query };
}
