/**
 * Interop: openid-client v6 (a strict, spec-following generic OpenID Connect
 * client) against the mock, configured by discovery the way it would be
 * against Entra: issuer `{authority}/v2.0`, the web-server app's secret
 * (client_secret_post, openid-client's default for a string secret).
 */
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playUser, SEED } from '../src/index.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';
import { userOf } from './support/flows.ts';

let idp: TestIdp;
let issuer: string;
let config: client.Configuration;
beforeAll(async () => {
  idp = await startTestIdp();
  issuer = `${idp.baseUrl}/${idp.homeTenantId}/v2.0`;
  const secret = idp.info().apps.find((a) => a.clientId === WEB)?.devSecret;
  if (!secret) throw new Error('the seeded web-server app has no dev secret in /_lab/info');
  // discovery() fetches `${issuer}/.well-known/openid-configuration` and
  // checks that the document's `issuer` equals the URL it was given.
  config = await client.discovery(new URL(issuer), WEB, secret);
});
afterAll(async () => {
  await idp.dispose();
});

const API = SEED.apps.protectedApi.appId;
const WEB = SEED.apps.webServer.appId;
const REDIRECT_URI = 'http://localhost:3001/auth/callback';

/** Decodes a JWT's payload without verifying it (openid-client already validated the ID token). */
function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('openid-client discovery', () => {
  it('reads Entra’s v2.0 endpoint layout from the tenant’s metadata', () => {
    const tenant = `${idp.baseUrl}/${idp.homeTenantId}`;
    const metadata = config.serverMetadata();
    expect(metadata).toMatchObject({
      issuer,
      authorization_endpoint: `${tenant}/oauth2/v2.0/authorize`,
      token_endpoint: `${tenant}/oauth2/v2.0/token`,
      jwks_uri: `${tenant}/discovery/v2.0/keys`,
      end_session_endpoint: `${tenant}/oauth2/v2.0/logout`,
    });
    expect(metadata.token_endpoint_auth_methods_supported).toContain('client_secret_post');
    // Like Entra, the mock supports PKCE but does not say so in its metadata:
    // openid-client's supportsPKCE() is false, and its documented pattern
    // ("use PKCE only when supportsPKCE()") would fall back to a nonce alone.
    // Against Entra and this mock a client must send PKCE unconditionally.
    expect(metadata.code_challenge_methods_supported).toBeUndefined();
    expect(metadata.supportsPKCE()).toBe(false);
    // Entra does not advertise RFC 9207; neither does the mock (see the code flow test).
    expect(metadata.authorization_response_iss_parameter_supported).toBeUndefined();
  });
});

describe('openid-client client credentials', () => {
  it('gets an app-only token for the protected API', async () => {
    const tokens = await client.clientCredentialsGrant(config, { scope: `api://${API}/.default` });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.expiresIn()).toBeGreaterThan(3500);
    expect(payloadOf(tokens.access_token)).toMatchObject({
      iss: issuer,
      aud: API,
      azp: WEB,
      roles: ['Tools.Read'],
      idtyp: 'app',
    });
  });
});

describe('openid-client authorization code with PKCE', () => {
  it('signs Alice in, validates the ID token (state, nonce, PKCE), then refreshes', async () => {
    const alice = userOf(idp, 'alice');
    const pkceCodeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile offline_access User.Read',
      code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });

    const delivery = await playUser(authorizationUrl, { username: alice.username, password: alice.password, consent: 'accept' });
    expect(delivery.method).toBe('get');
    const callbackUrl = new URL(delivery.url);
    delivery.params.forEach((value, key) => callbackUrl.searchParams.append(key, value));
    expect(callbackUrl.origin + callbackUrl.pathname).toBe(REDIRECT_URI);
    // oidc-provider adds RFC 9207's `iss` to the authorization response; Entra
    // does not. openid-client compares it with the issuer when present and
    // requires it only when the metadata advertises it, so both pass here.
    expect(callbackUrl.searchParams.get('iss')).toBe(issuer);

    const tokens = await client.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier, expectedState: state, expectedNonce: nonce });
    const claims = tokens.claims();
    if (!claims) throw new Error('no ID token in the code response');
    expect(claims).toMatchObject({
      iss: issuer,
      aud: WEB,
      nonce,
      oid: alice.oid,
      tid: idp.homeTenantId,
      preferred_username: alice.username,
      name: 'Alice Jansen',
    });
    // Entra's ID token `sub` is pairwise (per app, not the oid); the mock's is
    // the oid today (reported), so only its presence is checked here.
    expect(claims.sub).toEqual(expect.any(String));
    expect(tokens.access_token).toEqual(expect.any(String));
    // openid profile offline_access User.Read: a Graph token (whose scp, as in
    // Entra, also lists the OpenID scopes but not offline_access) and a refresh token.
    const graphClaims = payloadOf(tokens.access_token);
    expect(graphClaims).toMatchObject({ aud: 'https://graph.microsoft.com', ver: '1.0', oid: alice.oid, tid: idp.homeTenantId });
    expect(String(graphClaims.scp).split(' ').sort()).toEqual(['User.Read', 'openid', 'profile']);
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).toEqual(expect.any(String));
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    const refreshedClaims = payloadOf(refreshed.access_token);
    expect(refreshedClaims).toMatchObject({ aud: 'https://graph.microsoft.com', oid: alice.oid });
    expect(String(refreshedClaims.scp).split(' ').sort()).toEqual(['User.Read', 'openid', 'profile']);
    // Entra rotates refresh tokens on every use.
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    // With openid in the scope the refresh also returns an ID token; OpenID Connect
    // Core §12.2 requires the same iss, sub and aud as the first one.
    expect(refreshed.id_token).toEqual(expect.any(String));
    expect(refreshed.claims()).toMatchObject({ iss: issuer, aud: WEB, sub: claims.sub, oid: alice.oid, tid: idp.homeTenantId });
  });
});
