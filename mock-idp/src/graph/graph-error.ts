/**
 * Microsoft Graph's errors, as Graph words them where its wording is known
 * (learners paste these messages into a search engine, so they must match
 * the real service). The body shape is Graph's:
 * `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`.
 */

export type GraphErrorCode =
  | 'InvalidAuthenticationToken'
  | 'Authorization_RequestDenied'
  | 'Request_ResourceNotFound'
  | 'Request_BadRequest'
  | 'BadRequest'
  | 'TooManyRequests';

export class GraphError extends Error {
  readonly status: number;
  readonly code: GraphErrorCode;
  /** Response headers the error needs (`Retry-After`); `WWW-Authenticate` is added for every 401. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: GraphErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'GraphError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** Echoed request values (an ID, a property name) are cut short: an error message is no place for a pasted token. */
function echo(value: string): string {
  return value.length > 80 ? `${value.slice(0, 80)}…` : value;
}

/** Graph's messages. Those marked (ours) say what Graph would mean where its own text is unknown or too vague to teach. */
export const GRAPH_MESSAGES = {
  emptyToken: 'Access token is empty.',
  malformedToken: 'CompactToken parsing failed with error code: 80049217',
  badSignature: 'Signature is invalid.',
  expired: 'Lifetime validation failed, the token is expired.',
  revoked: 'Access token has been revoked. Sign in again to get a new one.', // (ours)
  notYetValid: 'Lifetime validation failed, the token is not yet valid.',
  invalidAudience: 'Access token validation failure. Invalid audience.',
  invalidIssuer: 'Access token validation failure. Invalid issuer.', // (ours)
  missingClaim: (claim: string) => `Access token validation failure. The token has no valid '${claim}' claim.`, // (ours)
  meNeedsUser: '/me request is only valid with delegated authentication flow.',
  insufficientPrivileges: 'Insufficient privileges to complete the operation.',
  notFound: (id: string) => `Resource '${echo(id)}' does not exist or one of its queried reference-property objects are not present.`,
  invalidId: (id: string) => `Invalid object identifier '${echo(id)}'.`,
  unknownProperty: (name: string, type: string) => `Could not find a property named '${echo(name)}' on type 'microsoft.graph.${type}'.`,
  repeatedOption: (name: string) => `Query option '${name}' was specified more than once, but it must be specified at most once.`,
  unsupportedOption: (name: string) => `Query option '${echo(name)}' is not supported by the lab's mock Microsoft Graph; it supports $select.`, // (ours)
  unknownSegment: (segment: string) => `Resource not found for the segment '${echo(segment)}'.`,
  methodNotAllowed: 'Specified HTTP method is not allowed for the request target.',
  throttled: 'Too many requests. Wait for the number of seconds in the Retry-After header, then retry.', // (ours)
} as const;

export const graphErrors = {
  /** 401: no token, or one Graph must not accept. */
  invalidToken: (message: string) => new GraphError(401, 'InvalidAuthenticationToken', message),
  /** 403: a valid token without the permission (scope or app role) the operation needs. */
  denied: () => new GraphError(403, 'Authorization_RequestDenied', GRAPH_MESSAGES.insufficientPrivileges),
  notFound: (id: string) => new GraphError(404, 'Request_ResourceNotFound', GRAPH_MESSAGES.notFound(id)),
  badRequest: (message: string, code: GraphErrorCode = 'BadRequest') => new GraphError(400, code, message),
  methodNotAllowed: () => new GraphError(405, 'Request_BadRequest', GRAPH_MESSAGES.methodNotAllowed),
  /** 429 with Retry-After, for the throttling fault (the fault decides when; this is only Graph's answer). */
  throttled: (retryAfterSeconds: number) =>
    new GraphError(429, 'TooManyRequests', GRAPH_MESSAGES.throttled, { 'Retry-After': String(Math.max(0, Math.round(retryAfterSeconds))) }),
};

export interface GraphErrorBody {
  error: {
    code: GraphErrorCode;
    message: string;
    innerError: { date: string; 'request-id': string; 'client-request-id': string };
  };
}

export function graphErrorBody(error: GraphError, ids: { requestId: string; clientRequestId: string }, now = new Date()): GraphErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      // Graph writes the date without milliseconds or zone letter.
      innerError: { date: now.toISOString().slice(0, 19), 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId },
    },
  };
}
