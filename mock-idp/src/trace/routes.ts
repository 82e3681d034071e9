import express, { type Request, type Router } from 'express';
import { matches, type TraceBus, type TraceFilter } from './trace-bus.ts';

function filterOf(req: Request): TraceFilter {
  const q = req.query;
  const since = typeof q.since === 'string' ? Number(q.since) : Number(req.get('last-event-id') ?? NaN);
  return {
    ...(Number.isFinite(since) ? { since } : {}),
    ...(typeof q.client === 'string' ? { clientId: q.client } : {}),
    ...(typeof q.correlation === 'string' ? { correlationId: q.correlation } : {}),
    ...(typeof q.tenant === 'string' ? { tenantId: q.tenant } : {}),
  };
}

/**
 * `GET /_lab/events`: the trace as Server-Sent Events (history after
 * `?since=` / `Last-Event-ID` first, then live), or as JSON history when the
 * client asks for `application/json` (`?tail=N`: only the newest N). Filters: `client`, `correlation`, `tenant`.
 */
export function traceRoutes(bus: TraceBus): Router {
  const router = express.Router();
  router.get('/', (req, res) => {
    const filter = filterOf(req);
    if (req.accepts(['text/event-stream', 'json']) !== 'text/event-stream') {
      // `?tail=N`: only the newest N (tooling asking "where does the trace stand?" needs one, not 5,000).
      const tail = typeof req.query.tail === 'string' ? Number(req.query.tail) : NaN;
      const history = bus.history(filter);
      res.set('Cache-Control', 'no-store').json({ value: Number.isInteger(tail) && tail >= 0 ? history.slice(history.length - Math.min(tail, history.length)) : history });
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 2000\n\n');
    const send = (event: { id: number; type: string }) => res.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    bus.history(filter).forEach(send);
    const live = { ...filter, since: undefined };
    const unsubscribe = bus.subscribe((event) => {
      if (matches(event, live)) send(event);
    });
    // Comments keep idle connections (and proxies) from timing out.
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    keepAlive.unref();
    req.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });
  return router;
}
