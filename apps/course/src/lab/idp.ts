/** The parts of the IdP's `GET /_lab/info` (docs/design.md §4) the site's server routes read. */
export interface IdpInfo {
  baseUrl: string;
  caCertPath?: string;
  tenants: { id: string; name: string; home: boolean; issuer: string }[];
  users: { username: string; password?: string; displayName: string; tenantId: string; oid?: string }[];
  apps: { name: string; clientId: string; tenantId: string; publicClient: boolean; redirectUris: string[]; identifierUri?: string; scopes?: string[] }[];
}

/** The IdP the site talks about: MCP_LAB_IDP (set by `npm start` and the e2e tests), else the default port. */
export function idpBaseUrl(): string {
  return (process.env.MCP_LAB_IDP || 'https://localhost:8443').replace(/\/+$/, '');
}

export class IdpUnreachableError extends Error {
  readonly code = 'IDP_UNREACHABLE';
  readonly fix = 'Start the lab with `npm start`; it starts the IdP and the site together.';
}

/** `/_lab/info` of the running IdP (the site's server trusts the lab CA through NODE_EXTRA_CA_CERTS). */
export async function fetchIdpInfo(baseUrl = idpBaseUrl(), timeoutMs = 3000): Promise<IdpInfo> {
  try {
    const response = await fetch(`${baseUrl}/_lab/info`, { signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' });
    if (!response.ok) throw new Error(`answered ${response.status}`);
    return (await response.json()) as IdpInfo;
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new IdpUnreachableError(`No lab IdP answers at ${baseUrl} (${cause}).`);
  }
}
