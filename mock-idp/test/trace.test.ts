import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint, SEED, type TraceEvent } from '../src/index.ts';
import { startTestIdp, type TestIdp } from './support/test-idp.ts';
import { makePkce, signInForCode, tokenRequest, userOf } from './support/flows.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(async () => {
  await idp.dispose();
});

const CLIENT = SEED.apps.publicClient.appId;

async function history(query: string): Promise<TraceEvent[]> {
  const response = await fetch(`${idp.baseUrl}/_lab/events?${query}`, { headers: { accept: 'application/json' } });
  return ((await response.json()) as { value: TraceEvent[] }).value;
}

/** Reads Server-Sent Events until `count` events have arrived. */
function readEvents(path: string, count: number): Promise<TraceEvent[]> {
  return new Promise((resolve, reject) => {
    const events: TraceEvent[] = [];
    const req = https.get(`${idp.baseUrl}${path}`, { headers: { accept: 'text/event-stream' } }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) events.push(JSON.parse(data.slice(6)) as TraceEvent);
          if (events.length >= count) {
            req.destroy();
            resolve(events);
          }
        }
      });
    });
    req.on('error', (error) => (events.length >= count ? undefined : reject(error)));
  });
}

describe('trace of a whole authorization code flow', () => {
  it('lists the exchanges in order, with fingerprints and never a token', async () => {
    const since = (await history('')).at(-1)?.id ?? 0;
    const live = readEvents(`/_lab/events?client=${CLIENT}&since=${since}`, 7);

    const pkce = makePkce();
    const redirectUri = 'http://localhost:46001';
    const { code } = await signInForCode(idp, { clientId: CLIENT, redirectUri, scope: 'User.Read openid offline_access', pkce }, userOf(idp, 'alice'));
    const { body } = await tokenRequest(idp, { grant_type: 'authorization_code', client_id: CLIENT, code, redirect_uri: redirectUri, code_verifier: pkce.verifier, scope: 'User.Read openid offline_access' });

    const events = (await history(`client=${CLIENT}&since=${since}`)).filter((e) => e.type !== 'discovery');
    expect(events.map((e) => e.type)).toEqual(['authorize', 'signin.page', 'signin', 'authorize', 'consent.page', 'consent', 'authorize.result', 'token']);
    expect(events.every((e, i) => i === 0 || e.id > events[i - 1]!.id)).toBe(true);

    const result = events.find((e) => e.type === 'authorize.result')!;
    expect(result.fingerprints?.code).toBe(fingerprint(code));
    const token = events.at(-1)!;
    expect(token).toMatchObject({
      grantType: 'authorization_code',
      user: { username: 'alice@contoso.test' },
      fingerprints: { accessToken: fingerprint(String(body.access_token)), refreshToken: fingerprint(String(body.refresh_token)), presented: fingerprint(code) },
      claims: { aud: 'https://graph.microsoft.com', scp: expect.stringContaining('User.Read') as unknown },
    });
    const all = JSON.stringify(await history(''));
    for (const secret of [code, body.access_token, body.refresh_token, body.id_token]) expect(all).not.toContain(String(secret));

    // The same events arrived live over Server-Sent Events.
    const streamed = await live;
    expect(streamed.map((e) => e.id)).toEqual(events.slice(0, 7).map((e) => e.id));
  });

  it('records refusals made before oidc-provider, with their AADSTS code', async () => {
    await tokenRequest(idp, { grant_type: 'client_credentials', client_id: SEED.apps.webServer.appId, client_secret: 'wrong', scope: `api://${SEED.apps.protectedApi.appId}/.default` });
    const [last] = (await history(`client=${SEED.apps.webServer.appId}`)).slice(-1);
    expect(last).toMatchObject({ type: 'token', error: { aadsts: 7000215 }, grantType: 'client_credentials' });
    expect(JSON.stringify(last)).not.toContain('"wrong"');
  });

  it('?tail=N gives only the newest N events (after the filters)', async () => {
    const all = await history('');
    expect(all.length).toBeGreaterThan(2);
    expect(await history('tail=2')).toEqual(all.slice(-2));
    expect(await history('tail=0')).toEqual([]);
    const client = await history(`client=${SEED.apps.webServer.appId}`);
    expect(await history(`client=${SEED.apps.webServer.appId}&tail=1`)).toEqual(client.slice(-1));
    expect(await history(`tail=${all.length + 10}`)).toEqual(all);
  });
});

describe('headers in the trace (for the live diagrams)', () => {
  it('shows request and response headers, with credentials and codes only as fingerprints', async () => {
    const pkce = makePkce();
    const redirectUri = 'http://localhost:46002';
    const { code } = await signInForCode(idp, { clientId: CLIENT, redirectUri, scope: 'User.Read openid offline_access', pkce }, userOf(idp, 'alice'));
    const since = (await history('tail=1'))[0]?.id ?? 0;
    await tokenRequest(idp, { grant_type: 'authorization_code', client_id: CLIENT, code, code_verifier: pkce.verifier, redirect_uri: redirectUri });
    const token = (await history(`since=${since}&client=${CLIENT}`)).find((e) => e.type === 'token');
    expect(token?.http?.requestHeaders?.['content-type']).toContain('application/x-www-form-urlencoded');
    expect(token?.http?.responseHeaders?.['content-type']).toContain('application/json');
    const result = (await history(`client=${CLIENT}`)).filter((e) => e.type === 'authorize.result').at(-1);
    const location = result?.http?.responseHeaders?.location ?? '';
    expect(new URL(location).searchParams.get('code')).toBe(`(fingerprint ${fingerprint(code)})`);
    expect(location).not.toContain(code);
    const cookies = Object.values(result?.http?.requestHeaders ?? {}).join('\n') + Object.values(result?.http?.responseHeaders ?? {}).join('\n');
    expect(cookies).toMatch(/=\(fingerprint [A-Za-z0-9_-]{8}\)/);
  });
});
