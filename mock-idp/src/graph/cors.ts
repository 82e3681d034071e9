import type { RequestHandler } from 'express';

// Header lists a preflight may ask for, echoed back only when they look like header names.
const HEADER_LIST = /^[\w-]+(?: *, *[\w-]+)*$/;

/**
 * cors: Graph answers browsers of any origin (a single-page app calls it
 * directly with its bearer token; no cookies are involved), and exposes its
 * request IDs to them. Preflights are answered here and are not Graph calls
 * (no trace event).
 */
export function graphCors(): RequestHandler {
  return (req, res, next) => {
    res.set({
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Expose-Headers': 'ETag, Location, Preference-Applied, Content-Range, request-id, client-request-id',
    });
    if (req.method !== 'OPTIONS' || !req.get('access-control-request-method')) return next();
    const asked = req.get('access-control-request-headers') ?? '';
    res
      .set({
        'Access-Control-Allow-Methods': 'GET, OPTIONS',
        'Access-Control-Allow-Headers': HEADER_LIST.test(asked) ? asked : 'Authorization, client-request-id, SdkVersion',
        'Access-Control-Max-Age': '3600',
      })
      .status(204)
      .end();
  };
}
