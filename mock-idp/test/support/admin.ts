import type { TestIdp } from './test-idp.ts';

/** Calls the admin API as tooling does (bearer admin token). */
export async function admin<T = Record<string, unknown>>(idp: TestIdp, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${idp.baseUrl}/_lab/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${idp.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}
