import { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fingerprint, SEED } from '../src/index.ts';
import { GRAPH_MESSAGES } from '../src/graph/index.ts';
import { makePkce, signInForCode, tokenRequest, userOf } from './support/flows.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(async () => {
  await idp.dispose();
});

const PUBLIC_CLIENT = SEED.apps.publicClient.appId;
const GLOBAL_ADMIN_TEMPLATE = '62e90394-69f5-4237-9190-012177145e10';

interface GraphAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown>;
}

async function graph(path: string, token?: string, headers: Record<string, string> = {}): Promise<GraphAnswer> {
  const response = await fetch(`${idp.baseUrl}/graph/v1.0${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as Record<string, unknown> };
}

function graphError(answer: GraphAnswer): { code: string; message: string; innerError: Record<string, string> } {
  return (answer.body as { error: { code: string; message: string; innerError: Record<string, string> } }).error;
}

let port = 47100;
/** A user's delegated token through the authorization code flow with PKCE, as a desktop app gets it. */
async function delegatedToken(name: string, scope: string, options: { clientId?: string; tenantId?: string } = {}): Promise<string> {
  const clientId = options.clientId ?? PUBLIC_CLIENT;
  const tenantId = options.tenantId ?? idp.homeTenantId;
  const pkce = makePkce();
  const redirectUri = `http://localhost:${port++}`;
  const { code } = await signInForCode(idp, { clientId, redirectUri, scope, pkce, tenantId }, userOf(idp, name));
  const { status, body } = await tokenRequest(idp, { grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: redirectUri, code_verifier: pkce.verifier, scope }, tenantId);
  expect(status, JSON.stringify(body)).toBe(200);
  return String(body.access_token);
}

/** An app-only token of the seeded web-server app (client credentials with its dev secret). */
async function appToken(scope: string): Promise<string> {
  const web = idp.info().apps.find((a) => a.clientId === SEED.apps.webServer.appId)!;
  const { status, body } = await tokenRequest(idp, { grant_type: 'client_credentials', client_id: web.clientId, client_secret: web.devSecret!, scope });
  expect(status, JSON.stringify(body)).toBe(200);
  return String(body.access_token);
}

let aliceToken: string;
beforeAll(async () => {
  aliceToken = await delegatedToken('alice', 'User.Read openid profile');
});

describe('GET /me', () => {
  it('answers a delegated token with User.Read with the signed-in user, shaped like Graph', async () => {
    // Graph tokens are v1.0: aud is the URI the scope named (short scopes name https://graph.microsoft.com).
    expect(decodeJwt(aliceToken)).toMatchObject({ aud: 'https://graph.microsoft.com', ver: '1.0', scp: expect.stringContaining('User.Read') as unknown });
    const me = await graph('/me', aliceToken, { 'client-request-id': 'lab-test-1' });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      '@odata.context': `${idp.baseUrl}/graph/v1.0/$metadata#users/$entity`,
      businessPhones: [],
      displayName: 'Alice Jansen',
      givenName: 'Alice',
      jobTitle: 'Developer',
      mail: 'alice@contoso.test',
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: null,
      surname: 'Jansen',
      userPrincipalName: 'alice@contoso.test',
      id: SEED.users.alice.id,
    });
    expect(me.headers.get('client-request-id')).toBe('lab-test-1');
    expect(me.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(me.headers.get('content-type')).toContain('application/json');
  });

  it('returns just the $select-ed properties (names in any case, answered in Graph’s spelling)', async () => {
    const me = await graph('/me?$select=displayName,MAIL', aliceToken);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      '@odata.context': `${idp.baseUrl}/graph/v1.0/$metadata#users(displayName,mail)/$entity`,
      displayName: 'Alice Jansen',
      mail: 'alice@contoso.test',
    });
  });

  it('refuses an unknown $select property with Graph’s 400, naming it', async () => {
    const me = await graph('/me?$select=displayName,favouriteColour', aliceToken);
    expect(me.status).toBe(400);
    expect(graphError(me)).toMatchObject({ code: 'BadRequest', message: "Could not find a property named 'favouriteColour' on type 'microsoft.graph.user'." });
  });

  it('answers the foreign tenant’s user from a token of that tenant (its own issuer)', async () => {
    const app = idp.directory.createApp({
      tenantId: idp.foreignTenantId,
      displayName: 'Fabrikam desktop tool',
      publicClient: { redirectUris: ['http://localhost'] },
      isFallbackPublicClient: true,
    });
    const token = await delegatedToken('frank', 'User.Read', { clientId: app.appId, tenantId: idp.foreignTenantId });
    const me = await graph('/me?$select=userPrincipalName', token);
    expect(me.status).toBe(200);
    expect(me.body.userPrincipalName).toBe('frank@fabrikam.test');
  });
});

describe('token validation: refusals', () => {
  function expectRefused(answer: GraphAnswer, token: string | undefined, status: number, code: string, message: string): void {
    expect(answer.status).toBe(status);
    const error = graphError(answer);
    expect(error).toMatchObject({ code, message });
    expect(error.innerError).toMatchObject({ 'request-id': expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown, date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/) as unknown });
    // The refused token never comes back, in the body or in a header.
    if (token) {
      expect(answer.text).not.toContain(token);
      expect(answer.text).not.toContain(token.split('.')[2]);
      expect([...answer.headers.values()].join('\n')).not.toContain(token.split('.')[2]);
    }
  }

  it('no token: 401 "Access token is empty." with a Bearer challenge that names Graph', async () => {
    const me = await graph('/me');
    expectRefused(me, undefined, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
    const challenge = me.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain(`client_id="${SEED.graph.appId}"`);
    expect(challenge).toContain(`authorization_uri="${idp.baseUrl}/common/oauth2/v2.0/authorize"`);
    // RFC 6750 §3.1: no error code when the request had no token at all.
    expect(challenge).not.toContain('error=');
  });

  it('a token for another API (aud = the protected API): 401 invalid audience', async () => {
    const apiToken = await appToken(`api://${SEED.apps.protectedApi.appId}/.default`);
    expect(decodeJwt(apiToken).aud).toBe(SEED.apps.protectedApi.appId);
    const me = await graph('/users/' + SEED.users.alice.id, apiToken);
    expectRefused(me, apiToken, 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    expect(me.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('an app-only Graph token on /me: 400, /me needs a signed-in user', async () => {
    const token = await appToken('https://graph.microsoft.com/.default');
    expectRefused(await graph('/me', token), token, 400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
    expectRefused(await graph('/me/memberOf', token), token, 400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
  });

  it('a delegated Graph token without User.Read: 403 Authorization_RequestDenied', async () => {
    // Only sign-in scopes: Entra still issues a Graph access token, whose scp lacks User.Read.
    const token = await delegatedToken('bob', 'openid profile');
    const claims = decodeJwt(token);
    expect(claims.aud).toBe('https://graph.microsoft.com');
    expect(String(claims.scp).split(' ')).not.toContain('User.Read');
    expectRefused(await graph('/me', token), token, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  });

  it('an expired token: 401, lifetime validation failed', async () => {
    const { exp } = decodeJwt(aliceToken);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // Past exp plus Graph's five minutes of clock tolerance.
      vi.setSystemTime((exp! + 6 * 60) * 1000);
      expectRefused(await graph('/me', aliceToken), aliceToken, 401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
      // Within the tolerance it is still accepted: clocks differ a little.
      vi.setSystemTime((exp! + 4 * 60) * 1000);
      expect((await graph('/me', aliceToken)).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a tampered token (scp raised, signature kept): 401, signature invalid', async () => {
    const [header, payload, signature] = aliceToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, scp: 'User.Read User.Read.All' })).toString('base64url')}.${signature}`;
    expectRefused(await graph(`/users/${SEED.users.bob.id}`, forged), forged, 401, 'InvalidAuthenticationToken', 'Signature is invalid.');
  });

  it('a token that is not a JWT: 401, and a Basic header counts as no token', async () => {
    expectRefused(await graph('/me', 'not-a-jwt'), 'not-a-jwt', 401, 'InvalidAuthenticationToken', 'CompactToken parsing failed with error code: 80049217');
    const basic = await fetch(`${idp.baseUrl}/graph/v1.0/me`, { headers: { authorization: 'Basic YWxpY2U6cGFzcw==' } });
    expect(basic.status).toBe(401);
    expect(((await basic.json()) as { error: { message: string } }).error.message).toBe('Access token is empty.');
  });
});

describe('GET /users/{id | userPrincipalName}', () => {
  let graphAppToken: string;
  beforeAll(async () => {
    graphAppToken = await appToken('https://graph.microsoft.com/.default');
    expect(decodeJwt(graphAppToken)).toMatchObject({ idtyp: 'app', roles: ['User.Read.All'] });
  });

  it('answers an app-only token with User.Read.All, by object ID and by UPN', async () => {
    const byId = await graph(`/users/${SEED.users.bob.id}`, graphAppToken);
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ '@odata.context': `${idp.baseUrl}/graph/v1.0/$metadata#users/$entity`, id: SEED.users.bob.id, displayName: 'Bob de Vries' });
    const byName = await graph('/users/Bob@Contoso.test?$select=id,jobTitle', graphAppToken);
    expect(byName.body).toEqual({ '@odata.context': `${idp.baseUrl}/graph/v1.0/$metadata#users(id,jobTitle)/$entity`, id: SEED.users.bob.id, jobTitle: 'Support Engineer' });
  });

  it('refuses a delegated token with only User.Read for another user (403), but not for the user themself', async () => {
    const other = await graph(`/users/${SEED.users.bob.id}`, aliceToken);
    expect(other.status).toBe(403);
    expect(graphError(other)).toMatchObject({ code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' });
    expect((await graph(`/users/${SEED.users.alice.id}`, aliceToken)).status).toBe(200);
    expect((await graph('/users/alice@contoso.test', aliceToken)).status).toBe(200);
  });

  it('404 Request_ResourceNotFound for an unknown user or another tenant’s user; 400 for a malformed ID', async () => {
    const unknown = '0a0a0a0a-0000-4000-8000-00000000dead';
    const missing = await graph(`/users/${unknown}`, graphAppToken);
    expect(missing.status).toBe(404);
    expect(graphError(missing)).toMatchObject({
      code: 'Request_ResourceNotFound',
      message: `Resource '${unknown}' does not exist or one of its queried reference-property objects are not present.`,
    });
    const malformed = await graph('/users/not-an-id', graphAppToken);
    expect(malformed.status).toBe(400);
    expect(graphError(malformed)).toMatchObject({ code: 'Request_BadRequest', message: "Invalid object identifier 'not-an-id'." });
    // A tenant cannot see another tenant's directory.
    const foreign = await graph(`/users/${SEED.users.frank.id}`, graphAppToken);
    expect(foreign.status).toBe(404);
    expect(graphError(foreign).code).toBe('Request_ResourceNotFound');
  });
});

describe('GET /me/memberOf', () => {
  it('lists an admin’s Global Administrator role, and nothing for other users', async () => {
    const adminToken = await delegatedToken('admin', 'User.Read');
    const admin = await graph('/me/memberOf', adminToken);
    expect(admin.status).toBe(200);
    expect(admin.body['@odata.context']).toBe(`${idp.baseUrl}/graph/v1.0/$metadata#directoryObjects`);
    expect(admin.body.value).toEqual([
      expect.objectContaining({ '@odata.type': '#microsoft.graph.directoryRole', displayName: 'Global Administrator', roleTemplateId: GLOBAL_ADMIN_TEMPLATE, id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown }),
    ]);
    const selected = await graph('/me/memberOf?$select=displayName', adminToken);
    expect(selected.body.value).toEqual([{ '@odata.type': '#microsoft.graph.directoryRole', displayName: 'Global Administrator' }]);

    const alice = await graph('/me/memberOf', aliceToken);
    expect(alice.body).toEqual({ '@odata.context': `${idp.baseUrl}/graph/v1.0/$metadata#directoryObjects`, value: [] });
  });
});

describe('with the real Microsoft Graph SDK (@microsoft/microsoft-graph-client)', () => {
  it('client.api("/me").get() returns the user when the lab host is a custom host', async () => {
    const client = Client.init({
      authProvider: (done) => done(null, aliceToken),
      baseUrl: `${idp.baseUrl}/graph/`,
      defaultVersion: 'v1.0',
      // The SDK attaches the token only to Graph's own hosts, or to these.
      customHosts: new Set([new URL(idp.baseUrl).hostname]),
    });
    const me = (await client.api('/me').get()) as Record<string, unknown>;
    expect(me).toMatchObject({ id: SEED.users.alice.id, userPrincipalName: 'alice@contoso.test' });
    const selected = (await client.api('/me').select(['displayName', 'mail']).get()) as Record<string, unknown>;
    expect(Object.keys(selected).sort()).toEqual(['@odata.context', 'displayName', 'mail']);
  });

  it('without customHosts the SDK sends no token, and surfaces Graph’s 401 as a GraphError', async () => {
    const client = Client.init({ authProvider: (done) => done(null, aliceToken), baseUrl: `${idp.baseUrl}/graph/`, defaultVersion: 'v1.0' });
    const failure = await client.api('/me').get().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(GraphError);
    expect(failure).toMatchObject({ statusCode: 401, code: 'InvalidAuthenticationToken', message: 'Access token is empty.' });
  });
});

describe('browsers (CORS), as Graph answers a single-page app', () => {
  it('answers a preflight for the Authorization header, and lets the page read request IDs', async () => {
    const preflight = await fetch(`${idp.baseUrl}/graph/v1.0/me`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,client-request-id' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization,client-request-id');
    const me = await graph('/me', aliceToken, { origin: 'http://localhost:5173' });
    expect(me.headers.get('access-control-allow-origin')).toBe('*');
    expect(me.headers.get('access-control-expose-headers')).toContain('request-id');
  });
});

describe('trace', () => {
  it('a /me call is one graph event with the token’s fingerprint, never the token', async () => {
    const since = idp.trace.history().at(-1)?.id ?? 0;
    await graph('/me', aliceToken, { 'client-request-id': 'trace-me-1' });
    const events = idp.trace.history({ since }).filter((e) => e.type === 'graph');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'graph',
      tenantId: idp.homeTenantId,
      clientId: PUBLIC_CLIENT,
      correlationId: 'trace-me-1',
      http: { method: 'GET', path: '/graph/v1.0/me', status: 200 },
      user: { oid: SEED.users.alice.id, username: 'alice@contoso.test' },
      scopes: expect.arrayContaining(['User.Read']) as unknown,
      fingerprints: { accessToken: fingerprint(aliceToken) },
    });
    expect(events[0]?.error).toBeUndefined();
    const all = JSON.stringify(idp.trace.history());
    expect(all).not.toContain(aliceToken);
    expect(all).not.toContain(aliceToken.split('.')[2]);
  });

  it('a refusal is traced with Graph’s code and message', async () => {
    const since = idp.trace.history().at(-1)?.id ?? 0;
    await graph('/me', 'not-a-jwt');
    const [event] = idp.trace.history({ since }).filter((e) => e.type === 'graph');
    expect(event).toMatchObject({
      http: { status: 401 },
      error: { error: 'InvalidAuthenticationToken', description: 'CompactToken parsing failed with error code: 80049217' },
      fingerprints: { accessToken: fingerprint('not-a-jwt') },
    });
    expect(event?.claims).toBeUndefined();
  });
});

describe('the Graph token refusal fault', () => {
  const faults = (method: string, body?: unknown) =>
    fetch(`${idp.baseUrl}/_lab/admin/faults`, {
      method,
      headers: { authorization: `Bearer ${idp.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it('refuses every token of one app with 401 while it is on, traced as refused, and leaves other apps alone', async () => {
    const token = await delegatedToken('alice', 'User.Read');
    const other = await appToken('https://graph.microsoft.com/.default');
    expect((await graph('/me', token)).status).toBe(200);
    const set = await faults('POST', { fault: { kind: 'graph-refuse-tokens' }, scope: { clientId: PUBLIC_CLIENT } });
    expect(set.status).toBe(201);
    try {
      const since = idp.trace.history().at(-1)?.id ?? 0;
      const refused = await graph('/me', token);
      expect(refused.status).toBe(401);
      expect(graphError(refused)).toMatchObject({ code: 'InvalidAuthenticationToken', message: GRAPH_MESSAGES.revoked });
      expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
      // A token issued while the fault is on is refused as well: the fault is about the app, not the token's age.
      expect((await graph('/me', await delegatedToken('alice', 'User.Read'))).status).toBe(401);
      // The other app's token still works.
      expect((await graph(`/users/${SEED.users.alice.id}`, other)).status).toBe(200);
      const [event] = idp.trace.history({ since }).filter((e) => e.type === 'graph');
      expect(event).toMatchObject({
        clientId: PUBLIC_CLIENT,
        http: { status: 401 },
        error: { error: 'InvalidAuthenticationToken', description: GRAPH_MESSAGES.revoked },
        fingerprints: { accessToken: fingerprint(token) },
        claims: { appid: PUBLIC_CLIENT },
      });
      expect(event?.user).toBeUndefined();
    } finally {
      await faults('DELETE');
    }
    // Cleared: the same token is accepted again.
    expect((await graph('/me', token)).status).toBe(200);
  });
});

// Last: it retires the keys every token above was signed with.
describe('signing key rotation', () => {
  it('Graph follows the IdP’s published keys: a retired key’s token is refused, the new key’s accepted', async () => {
    const before = await delegatedToken('alice', 'User.Read');
    expect((await graph('/me', before)).status).toBe(200);
    await idp.keys.rotate(0);
    const refused = await graph('/me', before);
    expect(refused.status).toBe(401);
    expect(graphError(refused).message).toBe('Signature is invalid.');
    const after = await delegatedToken('alice', 'User.Read');
    expect((await graph('/me', after)).status).toBe(200);
  });
});

describe('the Graph throttling fault', () => {
  it('answers every 3rd call of one app with 429 and Retry-After, and leaves other apps alone', async () => {
    const token = await delegatedToken('alice', 'User.Read');
    const set = await fetch(`${idp.baseUrl}/_lab/admin/faults`, {
      method: 'POST',
      headers: { authorization: `Bearer ${idp.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fault: { kind: 'graph-throttle', everyNth: 3, retryAfterSeconds: 7 }, scope: { clientId: SEED.apps.publicClient.appId } }),
    });
    expect(set.status).toBe(201);
    try {
      const statuses: number[] = [];
      let throttled: GraphAnswer | undefined;
      for (let i = 0; i < 6; i++) {
        const answer = await graph('/me', token);
        statuses.push(answer.status);
        if (answer.status === 429) throttled = answer;
      }
      expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
      expect(throttled?.headers.get('retry-after')).toBe('7');
      expect(graphError(throttled!).code).toBe('TooManyRequests');
      // Another app is not throttled.
      const other = await appToken('https://graph.microsoft.com/.default');
      for (let i = 0; i < 3; i++) expect((await graph('/users/' + SEED.users.alice.id, other)).status).toBe(200);
    } finally {
      await fetch(`${idp.baseUrl}/_lab/admin/faults`, { method: 'DELETE', headers: { authorization: `Bearer ${idp.adminToken}` } });
    }
  });
});
