import { createHash, randomBytes } from 'node:crypto';
import { playUser, type ClientDelivery, type CookieJar } from '../../src/index.ts';
import type { TestIdp } from './test-idp.ts';

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function makePkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  scope: string;
  pkce?: Pkce;
  state?: string;
  tenantId?: string;
  responseMode?: 'query' | 'form_post';
}

export function authorizeUrl(idp: TestIdp, request: AuthorizeRequest): URL {
  const url = new URL(`${idp.baseUrl}/${request.tenantId ?? idp.homeTenantId}/oauth2/v2.0/authorize`);
  url.searchParams.set('client_id', request.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', request.redirectUri);
  url.searchParams.set('scope', request.scope);
  url.searchParams.set('state', request.state ?? randomBytes(8).toString('hex'));
  if (request.responseMode) url.searchParams.set('response_mode', request.responseMode);
  if (request.pkce) {
    url.searchParams.set('code_challenge', request.pkce.challenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return url;
}

/** Signs a test user in over HTTP and returns the authorization code the app would receive. */
export async function signInForCode(
  idp: TestIdp,
  request: AuthorizeRequest,
  user: { username: string; password: string; jar?: CookieJar },
): Promise<{ code: string; delivery: ClientDelivery }> {
  const delivery = await playUser(authorizeUrl(idp, request), { ...user, consent: 'accept' });
  const code = delivery.params.get('code');
  if (!code) throw new Error(`no code: ${delivery.params.toString()}`);
  return { code, delivery };
}

export async function tokenRequest(idp: TestIdp, params: Record<string, string>, tenantId = idp.homeTenantId): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${idp.baseUrl}/${tenantId}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(params) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export function userOf(idp: TestIdp, name: string): { username: string; password: string; oid: string } {
  const user = idp.info().users.find((u) => u.username.startsWith(`${name}@`));
  if (!user?.password) throw new Error(`no seeded user ${name}`);
  return { username: user.username, password: user.password, oid: user.oid };
}
