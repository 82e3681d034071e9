import type { Exchange } from '@mcp-lab/harness';
import type { FlowEvent } from '../src/flows/flow-model.ts';
import { runnerEvent } from './flow-events.ts';

const BODY_SHOWN = 4096;
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'proxy-authorization']);
const SECRET_FIELDS = /("?(?:access_token|refresh_token|id_token|code|code_verifier|client_secret|password)"?\s*[:=]\s*"?)([^"&\s,}]{9,})/gi;

/** A secret shortened to what identifies it: the first 8 characters, the rest replaced. */
function shorten(value: string): string {
  return `${value.slice(0, 8)}…(${value.length} characters, hidden)`;
}

function headers(all: Exchange['requestHeaders']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(all)
      .filter(([, v]) => v !== undefined)
      .map(([name, value]) => {
        const text = Array.isArray(value) ? value.join(', ') : String(value);
        if (!SECRET_HEADERS.has(name)) return [name, text];
        const [scheme, rest] = text.includes(' ') ? [text.slice(0, text.indexOf(' ')), text.slice(text.indexOf(' ') + 1)] : ['', text];
        return [name, scheme ? `${scheme} ${shorten(rest)}` : shorten(rest)];
      }),
  );
}

function body(text: string): string {
  const shown = text.replace(SECRET_FIELDS, (_match, prefix: string, value: string) => `${prefix}${shorten(value)}`);
  return shown.length > BODY_SHOWN ? `${shown.slice(0, BODY_SHOWN)}\n… (${shown.length - BODY_SHOWN} more characters)` : shown;
}

/**
 * One exchange with the lab's server, as the recording proxy saw it, for the
 * diagram's details: method, path, status, headers and bodies — with bearer
 * tokens, cookies, codes and secrets cut to their first characters, so the
 * page shows their shape and never a usable value.
 */
export function fromExchange(exchange: Exchange): FlowEvent {
  const path = exchange.path.split('?')[0] ?? exchange.path;
  return {
    ...runnerEvent('http', `${exchange.method} ${path} → ${exchange.status}`, {
      http: { method: exchange.method, path, status: exchange.status },
      detail: {
        requestHeaders: headers(exchange.requestHeaders),
        requestBody: body(exchange.requestBody),
        responseHeaders: headers(exchange.responseHeaders),
        responseBody: body(exchange.responseBody),
        durationMs: exchange.durationMs,
      },
      ...(exchange.status >= 500 ? { error: { error: `HTTP ${exchange.status}` } } : {}),
    }),
    time: exchange.startedAt,
  };
}
