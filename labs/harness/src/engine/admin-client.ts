/** One problem inside a refused request (the admin API lists every one it found in `details`). */
export interface AdminProblemDetail {
  path?: string;
  code?: string;
  message?: string;
  fix?: string;
}

/**
 * The IdP's admin API said no: its `{ error: { code, message, fix } }` body as
 * fields, so a caller branches on `code` (`APP_EXISTS`, …) instead of reading
 * it back out of a message.
 */
export class AdminRequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fix: string;
  /** The JSON path of the field to blame, when one is. */
  readonly path: string | undefined;
  readonly details: readonly AdminProblemDetail[];

  constructor(status: number, problem: { code: string; message: string; fix: string; path?: string; details?: readonly AdminProblemDetail[] }) {
    super(problem.message);
    this.name = 'AdminRequestError';
    this.status = status;
    this.code = problem.code;
    this.fix = problem.fix;
    this.path = problem.path;
    this.details = problem.details ?? [];
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; fix?: string; path?: string; details?: AdminProblemDetail[] } | string;
  error_description?: string;
}

/** A refusal as the error the caller gets; an answer that is not the admin API's shape (a proxy's page) still gets a code. */
function refusal(status: number, method: string, route: string, body: ErrorBody | undefined): AdminRequestError {
  const problem = typeof body?.error === 'object' ? body.error : undefined;
  return new AdminRequestError(status, {
    code: problem?.code ?? `HTTP_${status}`,
    message: problem?.message ?? body?.error_description ?? `The admin API answered ${status} to ${method} ${route}.`,
    fix: problem?.fix ?? 'Check the IdP’s console.',
    ...(problem?.path === undefined ? {} : { path: problem.path }),
    ...(problem?.details ? { details: problem.details } : {}),
  });
}

/**
 * The IdP's admin API (`/_lab/admin`, docs/admin-api.md), for the CLI's verbs
 * and the check engine alike. It holds the admin token, so it stays on the
 * harness side: a submission under test never gets one.
 */
export class AdminClient {
  readonly baseUrl: string;
  readonly #token: string;

  constructor(baseUrl: string, token: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.#token = token;
  }

  /** One request; a refusal throws an AdminRequestError, a network failure throws as fetch does. A 204 answers undefined. */
  async call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/_lab/admin${route}`, {
      method,
      headers: { authorization: `Bearer ${this.#token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let payload: unknown;
    try {
      payload = text ? JSON.parse(text) : undefined;
    } catch {
      payload = undefined;
    }
    if (!response.ok) throw refusal(response.status, method, route, payload as ErrorBody | undefined);
    if (text && payload === undefined) {
      throw new AdminRequestError(response.status, {
        code: 'ADMIN_ANSWER_NOT_JSON',
        message: `${this.baseUrl}/_lab/admin${route} answered ${response.status} with something that is not JSON.`,
        fix: 'Check that the URL is the lab’s mock IdP and not a proxy in between.',
      });
    }
    return payload as T;
  }
}
