/** Refusals every state-changing lab route shares: JSON only (no CORS-free form post) and never from another site. */
export function refuseCrossSite(request: Request): Response | undefined {
  if (request.headers.get('sec-fetch-site') === 'cross-site') return problem(403, 'CROSS_SITE', 'Another site tried to start a lab run.', 'Use the course site itself.');
  if (!request.headers.get('content-type')?.startsWith('application/json')) return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request as application/json.', 'Set Content-Type: application/json.');
  return undefined;
}

export function problem(status: number, error: string, message: string, fix: string): Response {
  return Response.json({ error, message, fix }, { status });
}

export const LAB_ID = /^\d\d-[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const CHECK_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
