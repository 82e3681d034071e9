import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_MESSAGES, graphTokenVerifier, TokenRejected } from '../src/graph/index.ts';

/**
 * The Graph token check on its own, with tokens signed here: the cases a
 * running IdP never issues (a wrong issuer, a tid that contradicts it, an
 * unknown key, `alg: none`) but an attacker or a misconfigured client sends.
 */

const BASE = 'https://localhost:8443';
const HOME = 'b3d1f0a2-6c4e-4f8a-9d2b-5e7c1a3f9d01';
const FOREIGN = 'e8a7c6b5-4d3c-4b2a-8f1e-0d9c8b7a6f02';
const GRAPH = '00000003-0000-0000-c000-000000000000';
const USER = 'a11ce000-0000-4000-8000-000000000001';

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let signingKey: Key;
let otherKey: Key;
let published: JWK[];

async function rsaKey(kid: string): Promise<{ privateKey: Key; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

beforeAll(async () => {
  const a = await rsaKey('key-a');
  const b = await rsaKey('key-b');
  signingKey = a.privateKey;
  otherKey = b.privateKey;
  published = [a.jwk];
});

const verify = graphTokenVerifier({
  publicKeys: () => published,
  baseUrl: () => BASE,
  isTenant: (id) => id === HOME || id === FOREIGN,
});

function claims(overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return { iss: `${BASE}/${HOME}/v2.0`, tid: HOME, aud: GRAPH, oid: USER, azp: 'client', scp: 'User.Read openid', iat: now, nbf: now, exp: now + 3600, ...overrides };
}

function sign(payload: JWTPayload, key: Key = signingKey, kid = 'key-a'): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(key);
}

async function rejection(token: string): Promise<TokenRejected> {
  const error = await verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenRejected);
  return error as TokenRejected;
}

describe('graphTokenVerifier', () => {
  it('accepts a Graph token of a known tenant, under its app ID or its resource URI', async () => {
    const token = await verify(await sign(claims()));
    expect(token).toMatchObject({ tenantId: HOME, objectId: USER, clientId: 'client', appOnly: false, scopes: ['User.Read', 'openid'], roles: [] });
    const app = await verify(await sign(claims({ aud: 'https://graph.microsoft.com', idtyp: 'app', scp: undefined, roles: ['User.Read.All'] })));
    expect(app).toMatchObject({ appOnly: true, roles: ['User.Read.All'], scopes: [] });
  });

  it('refuses an issuer that is not this IdP’s, a tid that contradicts the issuer, and an unknown tenant', async () => {
    for (const bad of [
      claims({ iss: `https://login.microsoftonline.com/${HOME}/v2.0` }),
      claims({ tid: FOREIGN }),
      claims({ iss: `${BASE}/0a0a0a0a-0000-4000-8000-000000000000/v2.0`, tid: '0a0a0a0a-0000-4000-8000-000000000000' }),
      claims({ iss: `${BASE}/contoso.test/v2.0`, tid: 'contoso.test' }),
    ]) {
      const error = await rejection(await sign(bad));
      expect(error.message).toBe(GRAPH_MESSAGES.invalidIssuer);
      // The signature held, so the claims may be shown in the trace.
      expect(error.claims?.iss).toBe(bad.iss);
    }
  });

  it('refuses another API’s audience, a token not yet valid, and a missing lifetime claim', async () => {
    expect((await rejection(await sign(claims({ aud: 'api://05a91000-0000-4000-8000-000000000005' })))).message).toBe(GRAPH_MESSAGES.invalidAudience);
    const now = Math.floor(Date.now() / 1000);
    expect((await rejection(await sign(claims({ nbf: now + 600 })))).message).toBe(GRAPH_MESSAGES.notYetValid);
    expect((await rejection(await sign(claims({ exp: undefined })))).message).toBe(GRAPH_MESSAGES.missingClaim('exp'));
    expect((await rejection(await sign(claims({ exp: now - 600, nbf: now - 4000 })))).message).toBe(GRAPH_MESSAGES.expired);
  });

  it('refuses an unknown key, alg none, and HS256 signed with the public key, without trusting their claims', async () => {
    const unknownKey = await rejection(await sign(claims(), otherKey, 'key-b'));
    expect(unknownKey.message).toBe(GRAPH_MESSAGES.badSignature);
    expect(unknownKey.claims).toBeUndefined();

    const wrongKeySameKid = await rejection(await sign(claims(), otherKey, 'key-a'));
    expect(wrongKeySameKid.message).toBe(GRAPH_MESSAGES.badSignature);

    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims())}.`;
    expect((await rejection(unsigned)).message).toBe(GRAPH_MESSAGES.badSignature);

    // The classic confusion attack: the published RSA key used as an HMAC secret.
    const hmac = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: 'key-a' }).sign(new TextEncoder().encode(JSON.stringify(published[0])));
    expect((await rejection(hmac)).message).toBe(GRAPH_MESSAGES.badSignature);

    expect((await rejection('abc.def')).message).toBe(GRAPH_MESSAGES.malformedToken);
  });

  it('follows a key rotation: a token of the new key verifies as soon as the key is published', async () => {
    const next = await rsaKey('key-c');
    const token = await sign(claims(), next.privateKey, 'key-c');
    expect((await rejection(token)).message).toBe(GRAPH_MESSAGES.badSignature);
    const before = published;
    published = [next.jwk, ...before];
    try {
      expect((await verify(token)).objectId).toBe(USER);
    } finally {
      published = before;
    }
  });
});
