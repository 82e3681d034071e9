import { expect } from 'vitest';
import type { AdminErrorBody } from '../../src/admin/common/admin-api-error.ts';
import type { TestIdp } from './test-idp.ts';

export interface AdminResponse<T> {
  status: number;
  headers: Headers;
  body: T;
  /** The raw body text, to search for what must never appear in it. */
  text: string;
}

export type ErrorResponse = { error: AdminErrorBody };

/** Calls `/_lab/admin` over real HTTPS with the admin token (or another, or none). */
export function adminClient(idp: TestIdp) {
  return async function call<T = ErrorResponse>(
    method: string,
    path: string,
    body?: unknown,
    options: { token?: string | null; contentType?: string; rawBody?: string } = {},
  ): Promise<AdminResponse<T>> {
    const headers = new Headers();
    const token = options.token === undefined ? idp.adminToken : options.token;
    if (token !== null) headers.set('authorization', `Bearer ${token}`);
    const payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers.set('content-type', options.contentType ?? 'application/json');
    const response = await fetch(`${idp.baseUrl}/_lab/admin${path}`, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text === '' ? undefined : JSON.parse(text)) as T, text };
  };
}

/** `expect.stringContaining` typed as the string it stands for, for use inside object literals (no `any` leaks). */
export const containing = (text: string): string => expect.stringContaining(text) as string;
