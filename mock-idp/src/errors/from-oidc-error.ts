import type { AadstsCode } from './catalogue.ts';
import { EntraError, type ErrorDetails } from './entra-error.ts';

/** What oidc-provider knows about a failure: its error code, description and detail. */
export interface OidcFailure {
  error: string;
  error_description?: string;
  error_detail?: string;
  cause?: unknown;
}

function causeMessage(failure: OidcFailure): string {
  return failure.cause instanceof Error ? failure.cause.message : '';
}

/**
 * oidc-provider's errors in Entra's terms. The table reads top to bottom;
 * the first row whose test matches wins. Anything unmatched becomes
 * AADSTS9002313 (malformed request) carrying oidc-provider's own detail,
 * so no failure is ever reported without a reason.
 */
const RULES: { test: (f: OidcFailure, text: string) => boolean; code: AadstsCode; error?: string }[] = [
  { test: (f, t) => f.error === 'invalid_grant' && /(obo|ropc): consent_required/.test(t), code: 65001 },
  { test: (f, t) => f.error === 'invalid_grant' && /obo: /.test(t), code: 50013 },
  { test: (f) => f.error === 'authorization_pending', code: 70016 },
  // Entra has no slow_down; a client polling too fast is told to keep polling, slower.
  { test: (f) => f.error === 'slow_down', code: 70016, error: 'slow_down' },
  { test: (f) => f.error === 'expired_token', code: 70019 },
  { test: (f, t) => f.error === 'invalid_grant' && /code_verifier/.test(t), code: 501481 },
  { test: (f, t) => f.error === 'invalid_grant' && /authorization code already consumed/.test(t), code: 54005 },
  { test: (f, t) => f.error === 'invalid_grant' && /redirect_uri mismatch/.test(t), code: 500112 },
  { test: (f, t) => f.error === 'invalid_grant' && /(is expired|grant is expired)/.test(t), code: 70008 },
  { test: (f) => f.error === 'invalid_grant', code: 70000 },
  { test: (f) => f.error === 'invalid_scope', code: 70011 },
  { test: (f) => f.error === 'invalid_target', code: 70011 },
  { test: (f) => f.error === 'login_required', code: 50058 },
  { test: (f) => f.error === 'access_denied', code: 65004 },
];

export function fromOidcFailure(failure: OidcFailure, details: ErrorDetails = {}): EntraError {
  const text = [failure.error_description, failure.error_detail, causeMessage(failure)].filter(Boolean).join(' ');
  const rule = RULES.find((r) => r.test(failure, text));
  const detail = [failure.error_detail, causeMessage(failure)].filter(Boolean).join('; ') || failure.error_description || failure.error;
  const reason = detail.replace(/^(obo|ropc): /, '');
  return new EntraError(rule?.code ?? 9002313, { detail, reason, scope: failure.error_detail ?? 'requested', ...details }, rule?.error ? { error: rule.error } : {});
}
