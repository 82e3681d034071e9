import { decodeJwt, decodeProtectedHeader } from 'jose';

/** Microsoft Graph's application ID: the `aud` of every Graph token. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const GRAPH_AUDIENCES = new Set([GRAPH_APP_ID, 'https://graph.microsoft.com', 'https://graph.microsoft.com/']);

/** How much clock difference a server usually tolerates (Microsoft.IdentityModel's default). */
const CLOCK_SKEW_SECONDS = 300;

export interface KnownTenant {
  id: string;
  home: boolean;
  issuer: string;
}

export interface AnalysisContext {
  /** Seconds since 1970. */
  now: number;
  /** The tenants the lab's IdP knows (home first); empty when the IdP did not answer. */
  tenants: readonly KnownTenant[];
  /** The API the learner says receives this token: its app ID or Application ID URI. */
  expectedAudience?: string;
}

/**
 * What a server must do about what it sees: `reject` (a resource server must
 * refuse this token), `caution` (look twice), `info` (worth knowing).
 */
export type Severity = 'reject' | 'caution' | 'info';

export type Finding =
  | { code: 'expired'; severity: 'reject'; exp: number; secondsAgo: number }
  | { code: 'expires-soon'; severity: 'info'; exp: number; secondsLeft: number }
  | { code: 'not-yet-valid'; severity: 'reject'; nbf: number }
  | { code: 'no-expiry'; severity: 'reject' }
  | { code: 'graph-token'; severity: 'reject'; aud: string }
  | { code: 'wrong-audience'; severity: 'reject'; aud: string; expected: string }
  | { code: 'foreign-tenant'; severity: 'reject'; tid: string; home: string }
  | { code: 'unknown-tenant'; severity: 'caution'; tid: string }
  | { code: 'issuer-mismatch'; severity: 'reject'; iss: string; tid: string }
  | { code: 'alg-none'; severity: 'reject' }
  | { code: 'unexpected-alg'; severity: 'caution'; alg: string }
  | { code: 'v1-token'; severity: 'info' }
  | { code: 'app-only'; severity: 'info' }
  | { code: 'id-token'; severity: 'reject' };

export interface DecodedToken {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

export class MalformedTokenError extends Error {
  readonly code = 'TOKEN_MALFORMED';
}

/** Decodes a compact JWS (header.payload.signature) without trusting it. */
export function decodeToken(token: string): DecodedToken {
  const compact = token.trim().replace(/^Bearer\s+/i, '');
  const parts = compact.split('.');
  if (parts.length === 5) throw new MalformedTokenError('This is an encrypted token (JWE, five parts): only the API it was encrypted for can read it.');
  if (parts.length !== 3) throw new MalformedTokenError(`A JWT has three parts separated by dots; this has ${parts.length}. Paste the whole token, without quotes.`);
  try {
    return { header: decodeProtectedHeader(compact), payload: decodeJwt(compact) };
  } catch (error) {
    throw new MalformedTokenError(`The token’s header or payload is not base64url-encoded JSON (${(error as Error).message}).`);
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function numeric(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The application ID in an audience given as a GUID, `api://<guid>` or `api://<guid>/`. */
function audienceKey(value: string): string {
  return value.trim().toLowerCase().replace(/^api:\/\//, '').replace(/\/+$/, '');
}

function lifetimeFindings(payload: Record<string, unknown>, now: number): Finding[] {
  const exp = numeric(payload.exp);
  const nbf = numeric(payload.nbf);
  const found: Finding[] = [];
  if (exp === undefined) found.push({ code: 'no-expiry', severity: 'reject' });
  else if (exp <= now) found.push({ code: 'expired', severity: 'reject', exp, secondsAgo: now - exp });
  else if (exp - now < CLOCK_SKEW_SECONDS) found.push({ code: 'expires-soon', severity: 'info', exp, secondsLeft: exp - now });
  if (nbf !== undefined && nbf > now + CLOCK_SKEW_SECONDS) found.push({ code: 'not-yet-valid', severity: 'reject', nbf });
  return found;
}

function audienceFindings(payload: Record<string, unknown>, expected: string | undefined): Finding[] {
  const aud = text(payload.aud) ?? (Array.isArray(payload.aud) ? payload.aud.filter((a) => typeof a === 'string').join(' ') : '');
  if (GRAPH_AUDIENCES.has(aud.toLowerCase())) return [{ code: 'graph-token', severity: 'reject', aud }];
  if (expected?.trim() && audienceKey(aud) !== audienceKey(expected)) return [{ code: 'wrong-audience', severity: 'reject', aud, expected: expected.trim() }];
  return [];
}

function tenantFindings(payload: Record<string, unknown>, tenants: readonly KnownTenant[]): Finding[] {
  const tid = text(payload.tid);
  const iss = text(payload.iss);
  const found: Finding[] = [];
  const home = tenants.find((t) => t.home);
  if (tid && home) {
    const known = tenants.find((t) => t.id.toLowerCase() === tid.toLowerCase());
    if (!known) found.push({ code: 'unknown-tenant', severity: 'caution', tid });
    else if (!known.home) found.push({ code: 'foreign-tenant', severity: 'reject', tid, home: home.id });
  }
  // v2.0: …/{tid}/v2.0; v1.0: https://sts.windows.net/{tid}/
  if (tid && iss && !iss.toLowerCase().includes(`/${tid.toLowerCase()}/`) && !iss.toLowerCase().endsWith(`/${tid.toLowerCase()}`)) {
    found.push({ code: 'issuer-mismatch', severity: 'reject', iss, tid });
  }
  return found;
}

function shapeFindings(decoded: DecodedToken): Finding[] {
  const { header, payload } = decoded;
  const found: Finding[] = [];
  const alg = text(header.alg) ?? '';
  if (alg.toLowerCase() === 'none') found.push({ code: 'alg-none', severity: 'reject' });
  else if (alg !== 'RS256') found.push({ code: 'unexpected-alg', severity: 'caution', alg });
  if (payload.nonce !== undefined && payload.scp === undefined && payload.roles === undefined) found.push({ code: 'id-token', severity: 'reject' });
  if (text(payload.ver) === '1.0') found.push({ code: 'v1-token', severity: 'info' });
  if (text(payload.idtyp) === 'app') found.push({ code: 'app-only', severity: 'info' });
  return found;
}

/**
 * Everything a resource server would have to say about this token apart from
 * its signature (checked separately, against keys): lifetime, audience,
 * tenant, issuer, algorithm, kind. Pure: the clock and the known tenants are given.
 */
export function analyseToken(decoded: DecodedToken, context: AnalysisContext): Finding[] {
  const order: Record<Severity, number> = { reject: 0, caution: 1, info: 2 };
  return [
    ...shapeFindings(decoded),
    ...lifetimeFindings(decoded.payload, context.now),
    ...audienceFindings(decoded.payload, context.expectedAudience),
    ...tenantFindings(decoded.payload, context.tenants),
  ].sort((a, b) => order[a.severity] - order[b.severity]);
}
