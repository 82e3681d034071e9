import { compactVerify, createLocalJWKSet, errors, type JSONWebKeySet } from 'jose';

/**
 * The signature verdict: `valid` (a key of the set verified it), `invalid`
 * (the key was found but the signature does not match: the token was changed
 * or signed by someone else), `no-key` (no key in the set has the token's
 * kid), `unchecked` (no key set could be had; `reason` says why).
 */
export type SignatureVerdict =
  | { status: 'valid'; jwksUrl: string; kid?: string }
  | { status: 'invalid'; jwksUrl: string; kid?: string; detail: string }
  | { status: 'no-key'; jwksUrl: string; kid?: string; kids: string[] }
  | { status: 'unchecked'; reason: 'no-jwks-url' | 'jwks-unreachable' | 'jwks-invalid' | 'alg-none' | 'claims-only'; jwksUrl?: string; detail?: string };

const MAX_JWKS_BYTES = 256 * 1024;

/** Reads a JWKS over HTTP(S) — only URLs the learner typed or the lab IdP's own; never one named inside a token. */
export async function fetchJwks(url: string, timeoutMs = 5000): Promise<JSONWebKeySet> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`only http(s) URLs can be fetched, not ${parsed.protocol}`);
  const response = await fetch(parsed, { signal: AbortSignal.timeout(timeoutMs), cache: 'no-store', headers: { accept: 'application/json' }, redirect: 'error' });
  if (!response.ok) throw new Error(`it answered ${response.status}`);
  const body = await response.text();
  if (body.length > MAX_JWKS_BYTES) throw new Error('the answer is larger than a key set can be');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new JwksShapeError('the answer is not JSON');
  }
  const keys = (json as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) throw new JwksShapeError('the answer has no "keys" array');
  return json as JSONWebKeySet;
}

export class JwksShapeError extends Error {}

/** Checks only the signature, against the given key set (lifetime, audience and the rest are analyseToken's). */
export async function verifySignature(token: string, jwks: JSONWebKeySet, jwksUrl: string, kid: string | undefined): Promise<SignatureVerdict> {
  const kids = jwks.keys.map((k) => k.kid).filter((k): k is string => typeof k === 'string');
  try {
    await compactVerify(token.trim().replace(/^Bearer\s+/i, ''), createLocalJWKSet(jwks), { algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256'] });
    return { status: 'valid', jwksUrl, ...(kid ? { kid } : {}) };
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey) return { status: 'no-key', jwksUrl, ...(kid ? { kid } : {}), kids };
    if (error instanceof errors.JWSSignatureVerificationFailed) return { status: 'invalid', jwksUrl, ...(kid ? { kid } : {}), detail: 'signature verification failed' };
    return { status: 'invalid', jwksUrl, ...(kid ? { kid } : {}), detail: (error as Error).message };
  }
}
