import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DirectoryError } from '../../store/errors.ts';
import { sendAdminError } from '../admin-problem.ts';
import { AdminApiError } from './admin-api-error.ts';
import { problemFromDirectoryError } from './directory-error-problem.ts';

/** What express.json() throws (body-parser's HttpError), without depending on its types. */
interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && typeof (error as BodyParserError).type === 'string' && typeof (error as BodyParserError).status === 'number';
}

/**
 * The admin router's last step: every known failure becomes
 * `{ error: { code, message, fix } }`; anything else goes on to the app's
 * generic 500 handler (which never shows internals).
 */
export function adminErrorHandler(): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof AdminApiError) return sendAdminError(res, error.status, error.body);
    if (error instanceof DirectoryError) {
      const { status, body } = problemFromDirectoryError(error);
      return sendAdminError(res, status, body);
    }
    if (isBodyParserError(error)) {
      if (error.type === 'entity.parse.failed') {
        return sendAdminError(res, 400, {
          code: 'INVALID_JSON',
          message: 'The request body is not valid JSON.',
          fix: 'Send a JSON object with Content-Type: application/json (check quotes and trailing commas).',
        });
      }
      if (error.type === 'entity.too.large') {
        return sendAdminError(res, 413, { code: 'BODY_TOO_LARGE', message: 'The request body is larger than the admin API accepts (256 kB).', fix: 'Send a smaller body.' });
      }
      return sendAdminError(res, error.status, { code: 'UNREADABLE_BODY', message: `The request body could not be read (${error.type}).`, fix: 'Send UTF-8 JSON with Content-Type: application/json.' });
    }
    next(error);
  };
}

/** Unknown admin routes answer in the admin API's shape, not the IdP's generic 404. */
export function adminRouteNotFound(): RequestHandler {
  return (req, res) => {
    sendAdminError(res, 404, {
      code: 'ADMIN_ROUTE_NOT_FOUND',
      message: `The admin API has no route ${req.method} ${req.baseUrl}${req.path}.`,
      fix: 'See docs/admin-api.md for every route and its method.',
    });
  };
}
