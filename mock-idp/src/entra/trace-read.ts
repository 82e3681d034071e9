import type { Request, Response } from 'express';
import type { TraceBus } from '../trace/trace-bus.ts';
import { traceHeaders } from '../trace/trace-headers.ts';

/**
 * The trace event of a read Express answers itself (the key sets, the v1.0
 * metadata), shaped like the ones oidc-provider's answers get (koa-trace.ts):
 * `jwks` and `discovery` stay on the record whichever code serves them.
 */
export function traceRead(bus: TraceBus, req: Request, res: Response, type: 'jwks' | 'discovery'): void {
  const tenantId = typeof res.locals.tenantId === 'string' ? res.locals.tenantId : undefined;
  const appid = typeof req.query.appid === 'string' ? req.query.appid : undefined;
  bus.emit({
    type,
    summary: type === 'jwks' ? 'someone fetched the signing keys (to verify tokens locally)' : 'someone read the tenant’s OpenID configuration',
    ...(tenantId ? { tenantId } : {}),
    ...(appid ? { clientId: appid } : {}),
    http: {
      method: req.method,
      path: req.originalUrl.split('?')[0] ?? '',
      status: res.statusCode,
      requestHeaders: traceHeaders(req.headers),
      responseHeaders: traceHeaders(res.getHeaders()),
    },
  });
}
