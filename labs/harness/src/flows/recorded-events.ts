import type { FlowEvent } from './flow-model.ts';

/**
 * What a run recorded, as flow events: the IdP's trace and the recording
 * proxy's exchanges with the lab's server. Used by the course's live diagrams
 * and by the grader (a failed check's flow in report.html). The input types
 * are the fields read, not mock-idp's or the proxy's own types: this module
 * stays plain data for the browser, and its type graph free of Node's.
 */

/** The fields of a mock-idp TraceEvent this reads. */
export type RecordedTraceEvent = Omit<FlowEvent, 'id' | 'source' | 'arrow' | 'fix'> & { id: number };

type Headers = Record<string, string | string[] | undefined>;

/** The fields of a recording-proxy Exchange this reads. */
export interface RecordedExchange {
  id: number;
  method: string;
  path: string;
  requestHeaders: Headers;
  requestBody: string;
  status: number;
  responseHeaders: Headers;
  responseBody: string;
  startedAt: string;
  durationMs: number;
}

const BODY_SHOWN = 4096;
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'proxy-authorization']);
const SECRET_FIELDS = /("?(?:access_token|refresh_token|id_token|code|code_verifier|client_secret|password)"?\s*[:=]\s*"?)([^"&\s,}]{9,})/gi;

/** A secret shortened to what identifies it: the first 8 characters, the rest replaced. */
function shorten(value: string): string {
  return `${value.slice(0, 8)}…(${value.length} characters, hidden)`;
}

function headers(all: Headers): Record<string, string> {
  return Object.fromEntries(
    Object.entries(all)
      .filter(([, v]) => v !== undefined)
      .map(([name, value]) => {
        const text = Array.isArray(value) ? value.join(', ') : String(value);
        // A redirect's Location carries codes and tokens in its query: cut them as in a body.
        if (!SECRET_HEADERS.has(name)) return [name, cutSecrets(text)];
        const [scheme, rest] = text.includes(' ') ? [text.slice(0, text.indexOf(' ')), text.slice(text.indexOf(' ') + 1)] : ['', text];
        return [name, scheme ? `${scheme} ${shorten(rest)}` : shorten(rest)];
      }),
  );
}

/** Tokens, codes and secrets (`code=…`, `"access_token": "…"`) cut to their first characters. */
function cutSecrets(text: string): string {
  return text.replace(SECRET_FIELDS, (_match, prefix: string, value: string) => `${prefix}${shorten(value)}`);
}

/** A body with tokens, codes and secrets cut to their first characters, capped at `limit` characters. */
function cutBody(text: string, limit = BODY_SHOWN): string {
  const shown = cutSecrets(text);
  return shown.length > limit ? `${shown.slice(0, limit)}\n… (${shown.length - limit} more characters)` : shown;
}

/** An IdP trace event as the diagrams read it (the trace never holds a token, so neither does this). */
export function fromTrace(event: RecordedTraceEvent): FlowEvent {
  const { id, type, time, summary, tenantId, clientId, http, grantType, user, scopes, claims, error, detail } = event;
  return {
    id: `idp:${id}`,
    source: 'idp',
    type,
    time,
    summary,
    ...(tenantId ? { tenantId } : {}),
    ...(clientId ? { clientId } : {}),
    ...(http ? { http } : {}),
    ...(grantType ? { grantType } : {}),
    ...(user ? { user } : {}),
    ...(scopes ? { scopes } : {}),
    ...(claims ? { claims } : {}),
    ...(error ? { error } : {}),
    ...(detail ? { detail } : {}),
  };
}

/**
 * One exchange with the lab's server, as the recording proxy saw it, for the
 * diagram's details: method, path, status, headers and bodies — with bearer
 * tokens, cookies, codes and secrets cut to their first characters, so a page
 * shows their shape and never a usable value.
 */
export function fromExchange(exchange: RecordedExchange, options: { id?: string; bodyLimit?: number } = {}): FlowEvent {
  const path = exchange.path.split('?')[0] ?? exchange.path;
  return {
    id: options.id ?? `http:${exchange.id}`,
    source: 'runner',
    type: 'http',
    time: exchange.startedAt,
    summary: `${exchange.method} ${path} → ${exchange.status}`,
    http: { method: exchange.method, path, status: exchange.status },
    detail: {
      requestHeaders: headers(exchange.requestHeaders),
      requestBody: cutBody(exchange.requestBody, options.bodyLimit),
      responseHeaders: headers(exchange.responseHeaders),
      responseBody: cutBody(exchange.responseBody, options.bodyLimit),
      durationMs: exchange.durationMs,
    },
    ...(exchange.status >= 500 ? { error: { error: `HTTP ${exchange.status}` } } : {}),
  };
}
