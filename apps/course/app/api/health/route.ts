/**
 * Who holds the site's port: `mcp-lab doctor` asks here to tell the lab's own
 * course site from another program (and so not tell the learner to stop it).
 */
export const HEALTH = { status: 'ok', service: 'mcp-lab-course' } as const;

export function GET(): Response {
  return Response.json(HEALTH, { headers: { 'cache-control': 'no-store' } });
}
