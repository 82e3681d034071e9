import { createHash, randomBytes } from 'node:crypto';
import type { OAuthMetadata, OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';

/**
 * The authorization code flow of an MCP server's own authorization server,
 * one request at a time — for checks that must step off the happy path a
 * real client keeps to (a wrong verifier, a replayed code, an altered
 * redirect URI). Each answer is returned as it came, never thrown.
 */

export interface HttpAnswer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** The body as JSON, or `{}` for a page or an empty body (the status still says what happened). */
function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return {};
  }
}

async function answer<T>(response: Response): Promise<HttpAnswer<T>> {
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: parseJson(text) as T, text };
}

export async function getJson<T = Record<string, unknown>>(url: URL | string, init: RequestInit = {}): Promise<HttpAnswer<T>> {
  return answer<T>(await fetch(url, { redirect: 'manual', ...init }));
}

/** RFC 8414 metadata of the server's authorization server (at its origin, as MCP 2025-03-26 clients look for it). */
export async function authorizationServerMetadata(publicUrl: URL): Promise<HttpAnswer<Partial<OAuthMetadata>>> {
  return getJson(new URL('/.well-known/oauth-authorization-server', publicUrl));
}

/** RFC 9728 metadata of the protected resource (the MCP endpoint). */
export async function protectedResourceMetadata(url: URL | string): Promise<HttpAnswer<Partial<OAuthProtectedResourceMetadata>>> {
  return getJson(url);
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** RFC 7591 registration of a public client (`token_endpoint_auth_method: none`), as MCP clients register. */
export async function registerClient(registrationEndpoint: string, metadata: { client_name: string; redirect_uris: string[] }): Promise<HttpAnswer<{ client_id?: string; error?: string }>> {
  return getJson(registrationEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...metadata, token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] }),
  });
}

export function authorizationUrl(endpoint: string, params: { clientId: string; redirectUri: string; challenge: string; state?: string; scope?: string; resource?: string }): URL {
  const url = new URL(endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: params.clientId,
    redirect_uri: params.redirectUri,
    code_challenge: params.challenge,
    code_challenge_method: 'S256',
    ...(params.state ? { state: params.state } : {}),
    ...(params.scope ? { scope: params.scope } : {}),
    ...(params.resource ? { resource: params.resource } : {}),
  }).toString();
  return url;
}

export interface TokenAnswer {
  access_token?: string;
  refresh_token?: string;
  token_type?: string;
  expires_in?: number;
  error?: string;
  error_description?: string;
}

/** A form-encoded request to the token (or revocation) endpoint. */
export async function tokenRequest(endpoint: string, params: Record<string, string | undefined>): Promise<HttpAnswer<TokenAnswer>> {
  const body = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
  return getJson(endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
}
