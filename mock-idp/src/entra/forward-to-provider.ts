import { IncomingMessage } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type Provider from 'oidc-provider';
import { requestContext } from '../protocol/request-context.ts';
import type { EntraLocals } from './entra-locals.ts';

type Callback = (req: IncomingMessage, res: Response) => unknown;

/** A request for oidc-provider that carries the rewritten form body (Express already read the original). */
function withBody(req: Request, body: string): IncomingMessage {
  const copy = new IncomingMessage(req.socket);
  copy.method = req.method;
  copy.httpVersion = req.httpVersion;
  copy.headers = { ...req.headers, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) };
  copy.push(body);
  copy.push(null);
  // The body is all there: without this, Node treats the copy as an aborted
  // upload when it is done with it and destroys the shared socket.
  copy.complete = true;
  return copy;
}

/**
 * Hands the request to the tenant's oidc-provider, mounted at `/{tenant}`,
 * with the parameters as the Entra steps left them and their decision about
 * the client in the request context.
 */
export function forwardToProvider(providerFor: (tenantId: string) => Provider, options: { path?: string } = {}): RequestHandler {
  const callbacks = new WeakMap<Provider, Callback>();
  return (req, res) => {
    const locals = res.locals.entra as EntraLocals | undefined;
    const segment = String(req.params.tenant ?? '');
    const provider = providerFor(String(res.locals.tenantId));
    let callback = callbacks.get(provider);
    if (!callback) {
      callback = provider.callback() as Callback;
      callbacks.set(provider, callback);
    }
    const path = options.path ?? (req.path.slice(segment.length + 1) || '/');
    const query = locals && req.method === 'GET' ? locals.params.toString() : new URL(req.originalUrl, 'https://x').search.slice(1);
    const target: IncomingMessage & { originalUrl?: string } = locals && req.method === 'POST' ? withBody(req, locals.params.toString()) : req;
    target.url = query ? `${path}?${query}` : path;
    target.originalUrl = `/${segment}${target.url}`;
    const context = {
      clientAuth: locals?.clientAuth ?? 'public',
      ...(locals?.audience ? { audience: locals.audience } : {}),
      ...(locals?.passwordUser ? { passwordUser: locals.passwordUser } : {}),
    } as const;
    requestContext.run(context, () => {
      void callback(target, res);
    });
  };
}
