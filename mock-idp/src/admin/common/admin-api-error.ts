import type { AdminProblem } from '../admin-problem.ts';

/** One problem inside a validation failure: where it is and what to do. */
export interface ProblemDetail {
  /** JSON path into the request body (or manifest), e.g. `web.redirectUris[2]`; empty for the whole body. */
  path: string;
  code: string;
  message: string;
  fix: string;
}

/** The admin API's error body: the shared shape, plus the JSON path when one field is to blame. */
export interface AdminErrorBody extends AdminProblem {
  path?: string;
  /** Every problem found, when there was more than one. */
  details?: ProblemDetail[];
}

/**
 * Thrown by admin route handlers; the admin router's error handler turns it
 * into `{ error: { code, message, fix } }` with this status. Throwing (rather
 * than answering in place) lets helpers such as "find this app or fail" stay
 * one line at each call site.
 */
export class AdminApiError extends Error {
  readonly status: number;
  readonly body: AdminErrorBody;

  constructor(status: number, body: AdminErrorBody) {
    super(body.message);
    this.name = 'AdminApiError';
    this.status = status;
    this.body = body;
  }
}

export function badRequest(code: string, message: string, fix: string, path?: string): AdminApiError {
  return new AdminApiError(400, { code, message, fix, ...(path === undefined ? {} : { path }) });
}

export function notFound(code: string, message: string, fix: string): AdminApiError {
  return new AdminApiError(404, { code, message, fix });
}

export function conflict(code: string, message: string, fix: string): AdminApiError {
  return new AdminApiError(409, { code, message, fix });
}

/** A 400 for the first of these problems (all of them in `details`); nothing when there are none. */
export function throwIfProblems(problems: readonly ProblemDetail[], what: string): void {
  const first = problems[0];
  if (!first) return;
  const more = problems.length > 1 ? ` (${problems.length - 1} more problem${problems.length > 2 ? 's' : ''} in details)` : '';
  throw new AdminApiError(400, {
    code: first.code,
    message: `${what}: ${first.path === '' ? '' : `${first.path}: `}${first.message}${more}`,
    fix: first.fix,
    path: first.path,
    ...(problems.length > 1 ? { details: [...problems] } : {}),
  });
}
