import type { z } from 'zod';
import { AdminApiError, type ProblemDetail } from './admin-api-error.ts';
import { jsonPath } from './json-path.ts';

export interface ParseOptions {
  /** What is being parsed, for the message: "The request body", "The manifest", "The query". */
  what: string;
  /** The error code; `INVALID_REQUEST` unless the caller has a better one. */
  code?: string;
  /** Where the full description of the expected shape is. */
  reference: string;
}

/** The top-level field names of an object schema, to suggest the right spelling of an unknown one. */
function knownKeys(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: unknown }).shape;
  return typeof shape === 'object' && shape !== null ? Object.keys(shape) : [];
}

function suggestion(key: string, known: readonly string[]): string {
  const match = known.find((k) => k.toLowerCase() === key.toLowerCase());
  return match ? ` Did you mean ${match}?` : '';
}

function describe(issue: z.core.$ZodIssue, known: readonly string[]): ProblemDetail {
  const path = jsonPath(issue.path);
  const at = path === '' ? 'the top level' : path;
  const base = { path, code: issue.code, message: path === '' ? issue.message : `${path}: ${issue.message}` };
  switch (issue.code) {
    case 'invalid_type':
      return issue.message.endsWith('received undefined')
        ? { ...base, message: `${at} is missing (expected ${issue.expected}).`, fix: `Add ${at} (${issue.expected}).` }
        : { ...base, fix: `Send ${at} as ${issue.expected}.` };
    case 'unrecognized_keys':
      return {
        ...base,
        message: `Unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} at ${at}.`,
        fix: `Remove or correct ${issue.keys.join(', ')} (field names are case-sensitive).${issue.path.length === 0 ? issue.keys.map((k) => suggestion(k, known)).join('') : ''}`,
      };
    case 'invalid_value':
      return { ...base, fix: `Set ${at} to one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.` };
    default:
      return { ...base, fix: `Correct ${at}.` };
  }
}

/**
 * Parses input with a zod schema; on failure, a 400 whose message names the
 * JSON path of the first problem, with every problem in `details`.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, options: ParseOptions): z.output<S> {
  // express.json() leaves the body undefined unless the request says Content-Type: application/json.
  if (value === undefined) {
    throw new AdminApiError(400, {
      code: options.code ?? 'INVALID_REQUEST',
      message: `${options.what} is missing: the request has no JSON body.`,
      fix: `Send it as JSON with the header Content-Type: application/json. ${options.reference}`,
    });
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const known = knownKeys(schema);
  const details = result.error.issues.map((issue) => describe(issue, known));
  const first = details[0] ?? { path: '', code: 'custom', message: 'It does not match the expected shape.', fix: 'Correct it.' };
  const more = details.length > 1 ? ` (${details.length - 1} more problem${details.length > 2 ? 's' : ''} in details)` : '';
  throw new AdminApiError(400, {
    code: options.code ?? 'INVALID_REQUEST',
    message: `${options.what} is not valid: ${first.message}${more}`,
    fix: `${first.fix} ${options.reference}`,
    path: first.path,
    details,
  });
}
