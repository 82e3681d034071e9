const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Refusals every route that starts processes or fetches URLs shares: only
 * this machine's names in Host (a DNS-rebinding page would send its own),
 * never from another site, JSON only (no CORS-free form post).
 */
export function refuseCrossSite(request: Request): Response | undefined {
  const host = (request.headers.get('host') ?? '').replace(/:\d+$/, '').toLowerCase();
  if (!LOCAL_HOSTS.has(host)) return problem(403, 'NOT_LOCAL', `The course site answers these requests only as localhost, not as ${host || 'an unnamed host'}.`, 'Open the site at http://localhost:<port>.');
  if (request.headers.get('sec-fetch-site') === 'cross-site') return problem(403, 'CROSS_SITE', 'Another site tried to start a lab run.', 'Use the course site itself.');
  if (!request.headers.get('content-type')?.startsWith('application/json')) return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request as application/json.', 'Set Content-Type: application/json.');
  return undefined;
}

export function problem(status: number, error: string, message: string, fix: string): Response {
  return Response.json({ error, message, fix }, { status });
}

export const LAB_ID = /^\d\d-[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const CHECK_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
