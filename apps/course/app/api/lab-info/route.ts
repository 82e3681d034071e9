import type { CourseLabInfo } from '../../../src/components/lab-info.ts';
import { idpBaseUrl } from '../../../src/lab/idp.ts';

export const dynamic = 'force-dynamic';

interface LabInfoDocument {
  baseUrl: string;
  tenants: { id: string; name: string; home: boolean; issuer: string }[];
  users: { username: string; password?: string; displayName: string; tenantId: string }[];
  apps: { name: string; clientId: string; tenantId: string; publicClient: boolean; redirectUris: string[] }[];
}

/**
 * What the lessons' "try it" boxes need from the running IdP's `/_lab/info`.
 * The site's server asks (it trusts the lab CA through NODE_EXTRA_CA_CERTS),
 * so the browser needs no cross-origin access to the IdP.
 */
export async function GET(): Promise<Response> {
  const baseUrl = idpBaseUrl();
  let info: LabInfoDocument;
  try {
    const response = await fetch(`${baseUrl}/_lab/info`, { signal: AbortSignal.timeout(3000), cache: 'no-store' });
    if (!response.ok) throw new Error(`answered ${response.status}`);
    info = (await response.json()) as LabInfoDocument;
  } catch (error) {
    return Response.json(
      { error: 'IDP_UNREACHABLE', message: `No lab IdP answers at ${baseUrl} (${(error as Error).message}).`, fix: 'Start the lab with `npm start`; it starts the IdP and the site together.' },
      { status: 503 },
    );
  }
  const home = info.tenants.find((t) => t.home) ?? info.tenants[0];
  if (!home) return Response.json({ error: 'IDP_NO_TENANT', message: 'The IdP lists no tenant.', fix: 'Run `npm run lab -- idp reset`.' }, { status: 502 });
  const publicClient = info.apps.find((a) => a.publicClient && a.tenantId === home.id && a.redirectUris.includes('http://localhost'));
  const body: CourseLabInfo = {
    baseUrl: info.baseUrl,
    tenant: { id: home.id, name: home.name, issuer: home.issuer },
    ...(publicClient ? { publicClient: { clientId: publicClient.clientId, name: publicClient.name } } : {}),
    users: info.users.map((u) => ({ username: u.username, ...(u.password ? { password: u.password } : {}), displayName: u.displayName, home: u.tenantId === home.id })),
  };
  return Response.json(body);
}
