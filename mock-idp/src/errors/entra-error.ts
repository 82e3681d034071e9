import { randomUUID } from 'node:crypto';
import { CATALOGUE, type AadstsCode } from './catalogue.ts';

/** Values that fill a catalogue entry's `{placeholders}`. */
export type ErrorDetails = Record<string, string | undefined>;

function fill(template: string, details: ErrorDetails): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => details[name] ?? whole);
}

/** The JSON body Entra returns from its token and device-code endpoints. */
export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri?: string;
  /** Ours, not Entra's: what the learner should change. Real clients ignore unknown fields. */
  lab_fix: string;
}

/**
 * One Entra error, raised by an Entra step or translated from an
 * oidc-provider error, rendered as JSON (APIs) or a page (browsers) in one place.
 */
export class EntraError extends Error {
  readonly code: AadstsCode;
  readonly error: string;
  readonly status: number;
  readonly details: ErrorDetails;
  readonly traceId = randomUUID();
  readonly timestamp = new Date();

  /** `options.error` replaces the OAuth error code where one AADSTS code serves two (a declined device sign-in). */
  constructor(code: AadstsCode, details: ErrorDetails = {}, options: { error?: string } = {}) {
    const entry = CATALOGUE[code];
    super(`AADSTS${code}: ${fill(entry.description, details)}`);
    this.name = 'EntraError';
    this.code = code;
    this.error = options.error ?? entry.error;
    this.status = entry.status;
    this.details = details;
  }

  get explanation(): string {
    return fill(CATALOGUE[this.code].cause, this.details);
  }

  get fix(): string {
    return fill(CATALOGUE[this.code].fix, this.details);
  }

  /** Entra puts the trace and correlation IDs and a UTC timestamp after the message. */
  get description(): string {
    const ts = this.timestamp.toISOString().replace('T', ' ').replace('Z', 'Z');
    return `${this.message} Trace ID: ${this.traceId} Correlation ID: ${this.correlationId} Timestamp: ${ts}`;
  }

  get correlationId(): string {
    return this.details.correlationId ?? this.traceId;
  }

  toJSON(): EntraErrorBody {
    return {
      error: this.error,
      error_description: this.description,
      error_codes: [this.code],
      timestamp: this.timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      trace_id: this.traceId,
      correlation_id: this.correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${this.code}`,
      lab_fix: this.fix,
    };
  }
}
