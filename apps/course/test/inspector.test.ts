import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { analyseToken, decodeToken, GRAPH_APP_ID, MalformedTokenError, type KnownTenant } from '../src/inspector/analyse-token.ts';
import { CLAIMS } from '../src/inspector/claims.ts';
import { findingText, verdictText } from '../src/inspector/text.ts';
import { verifySignature } from '../src/inspector/verify-signature.ts';
import { labTenantOfIssuer } from '../src/inspector/lab-issuer.ts';

const HOME = 'b3d1f0a2-6c4e-4f8a-9d2b-5e7c1a3f9d01';
const FOREIGN = 'e8a7c6b5-4d3c-4b2a-8f1e-0d9c8b7a6f02';
const API = '05a91000-0000-4000-8000-000000000005';
const TENANTS: KnownTenant[] = [
  { id: HOME, home: true, issuer: `https://localhost:8443/${HOME}/v2.0` },
  { id: FOREIGN, home: false, issuer: `https://localhost:8443/${FOREIGN}/v2.0` },
];
const NOW = 1_800_000_000;

async function signed(claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'k1', ...header }).sign(privateKey);
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  return { token, jwks: { keys: [jwk] } };
}

function accessToken(overrides: Record<string, unknown> = {}) {
  return { aud: API, iss: `https://localhost:8443/${HOME}/v2.0`, tid: HOME, iat: NOW - 60, nbf: NOW - 60, exp: NOW + 3600, scp: 'user_impersonation', ver: '2.0', ...overrides };
}

const codes = (token: string, expectedAudience?: string) =>
  analyseToken(decodeToken(token), { now: NOW, tenants: TENANTS, ...(expectedAudience ? { expectedAudience } : {}) }).map((f) => f.code);

describe('token inspector: what a server must reject', () => {
  it('finds nothing wrong with a fresh home-tenant token for the expected API', async () => {
    const { token } = await signed(accessToken());
    expect(codes(token, `api://${API}`)).toEqual([]);
  });

  it('says an expired token must be rejected, and how long ago it expired', async () => {
    const { token } = await signed(accessToken({ exp: NOW - 600 }));
    const [finding] = analyseToken(decodeToken(token), { now: NOW, tenants: TENANTS });
    expect(finding).toMatchObject({ code: 'expired', severity: 'reject', secondsAgo: 600 });
    expect(findingText(finding!, 'en')).toMatch(/^Expired: .* 10 minutes ago/);
    expect(findingText(finding!, 'nl')).toMatch(/^Verlopen: .* 10 minuten geleden/);
  });

  it('rejects a Microsoft Graph token sent to an API, whatever audience was expected', async () => {
    const { token } = await signed(accessToken({ aud: GRAPH_APP_ID, scp: 'User.Read' }));
    expect(codes(token)).toEqual(['graph-token']);
    expect(codes(token, API)).toEqual(['graph-token']);
  });

  it('rejects a token for another API when the learner names theirs', async () => {
    const { token } = await signed(accessToken({ aud: '02c11e00-0000-4000-8000-000000000002' }));
    expect(codes(token, API)).toEqual(['wrong-audience']);
    expect(codes(token)).toEqual([]);
  });

  it('rejects a token from the foreign tenant, and one whose issuer is not its tenant', async () => {
    const foreign = await signed(accessToken({ tid: FOREIGN, iss: `https://localhost:8443/${FOREIGN}/v2.0` }));
    expect(codes(foreign.token)).toEqual(['foreign-tenant']);
    const mixed = await signed(accessToken({ iss: `https://localhost:8443/${FOREIGN}/v2.0` }));
    expect(codes(mixed.token)).toEqual(['issuer-mismatch']);
  });

  it('flags unsigned tokens, tokens without exp, not-yet-valid ones, ID tokens and app-only tokens', () => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${part({ alg: 'none' })}.${part(accessToken({ exp: undefined, nbf: NOW + 3600 }))}.`;
    expect(codes(unsigned)).toEqual(['alg-none', 'no-expiry', 'not-yet-valid']);
    const idToken = `${part({ alg: 'RS256' })}.${part({ ...accessToken(), scp: undefined, nonce: 'n' })}.x`;
    expect(codes(idToken)).toEqual(['id-token']);
    const appOnly = `${part({ alg: 'RS256' })}.${part({ ...accessToken(), scp: undefined, roles: ['Tools.Read'], idtyp: 'app' })}.x`;
    expect(codes(appOnly)).toEqual(['app-only']);
  });

  it('explains malformed input instead of guessing', () => {
    expect(() => decodeToken('abc')).toThrow(MalformedTokenError);
    expect(() => decodeToken('a.b.c.d.e')).toThrow(/encrypted token/);
    expect(() => decodeToken('!!.??.x')).toThrow(/base64url-encoded JSON/);
    expect(decodeToken(`Bearer ${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{"aud":"x"}').toString('base64url')}.s`).payload).toEqual({ aud: 'x' });
  });
});

describe('token inspector: signature', () => {
  it('is valid against the signer’s key set', async () => {
    const { token, jwks } = await signed(accessToken());
    expect(await verifySignature(token, jwks, 'https://idp/keys', 'k1')).toEqual({ status: 'valid', jwksUrl: 'https://idp/keys', kid: 'k1' });
  });

  it('is invalid when the payload was changed, and has no key when the kid is unknown', async () => {
    const { token, jwks } = await signed(accessToken());
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify(accessToken({ scp: 'Tools.Admin' }))).toString('base64url')}.${s}`;
    const invalid = await verifySignature(forged, jwks, 'https://idp/keys', 'k1');
    expect(invalid.status).toBe('invalid');
    const other = await signed(accessToken(), { kid: 'k2' });
    expect(await verifySignature(other.token, jwks, 'https://idp/keys', 'k2')).toEqual({ status: 'no-key', jwksUrl: 'https://idp/keys', kid: 'k2', kids: ['k1'] });
    expect(verdictText(invalid, 'nl').ok).toBe(false);
    expect(verdictText(invalid, 'nl').text).toMatch(/^Ongeldig/);
  });
});

describe('token inspector: v1.0 and v2.0', () => {
  it('says what a v1.0 token is and how it differs, and finds nothing else wrong with a good one', async () => {
    const v1 = await signed(accessToken({ iss: `https://sts.windows.net/${HOME}/`, aud: `api://${API}`, ver: '1.0', appid: '02c11e00-0000-4000-8000-000000000002', upn: 'alice@contoso.test' }));
    const findings = analyseToken(decodeToken(v1.token), { now: NOW, tenants: TENANTS, expectedAudience: `api://${API}` });
    expect(findings.map((f) => f.code)).toEqual(['v1-token']);
    expect(findingText(findings[0]!, 'en')).toContain('https://sts.windows.net/{tid}/');
    expect(findingText(findings[0]!, 'en')).toContain('requestedAccessTokenVersion is null');
    expect(findingText(findings[0]!, 'nl')).toContain('appid');
  });

  it('checks a v1.0 token’s signature with the lab’s keys of its tenant, and no other issuer’s', () => {
    expect(labTenantOfIssuer(`https://sts.windows.net/${HOME}/`, TENANTS)?.id).toBe(HOME);
    expect(labTenantOfIssuer(`https://localhost:8443/${FOREIGN}/v2.0`, TENANTS)?.id).toBe(FOREIGN);
    expect(labTenantOfIssuer('https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/', TENANTS)).toBeUndefined();
    expect(labTenantOfIssuer(`https://evil.example/${HOME}/v2.0`, TENANTS)).toBeUndefined();
  });
});

describe('token inspector: claim explanations', () => {
  it('explain the claims of a v1.0 access token, in English and Dutch', () => {
    for (const claim of ['appid', 'appidacr', 'upn', 'unique_name', 'given_name', 'family_name', 'acr', 'amr', 'idp']) {
      expect(CLAIMS[claim]?.en, claim).toBeTruthy();
      expect(CLAIMS[claim]?.nl, claim).toBeTruthy();
      expect(CLAIMS[claim]?.nl).not.toBe(CLAIMS[claim]?.en);
    }
  });

  it('explain every claim Entra puts in a v2.0 access token, in English and Dutch', () => {
    for (const claim of ['aud', 'iss', 'iat', 'nbf', 'exp', 'tid', 'oid', 'sub', 'azp', 'azpacr', 'scp', 'roles', 'idtyp', 'name', 'preferred_username', 'ver', 'uti']) {
      expect(CLAIMS[claim]?.en, claim).toBeTruthy();
      expect(CLAIMS[claim]?.nl, claim).toBeTruthy();
      expect(CLAIMS[claim]?.nl).not.toBe(CLAIMS[claim]?.en);
    }
  });
});
