import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '@mcp-lab/mock-idp';
import { BrowseError, LabOAuthClient, browseAuthorization, startLabIdp, type LabIdp } from '../src/index.ts';
import { allowRedirectUri } from '../src/engine/http-front.ts';

/**
 * The simulated person against a small stand-in for a lab 03 server: a
 * consent form, a redirect to the real IdP, a callback that hands the client
 * a code. The IdP part is real (seeded web app, real sign-in pages).
 */
let idp: LabIdp;
let server: http.Server;
let origin: string;
const WEB_APP = SEED.apps.webServer.appId;
const CLIENT_REDIRECT = 'http://localhost:53682/client/callback';
let removeCallback: () => Promise<void>;

beforeAll(async () => {
  idp = await startLabIdp({ certDir: process.env.MCP_LAB_TEST_CERT_DIR! });
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const tenant = SEED.tenants.home.id;
    if (url.pathname === '/authorize') {
      res.writeHead(200, { 'content-type': 'text/html', 'set-cookie': 'seen=1; Path=/' });
      res.end('<html><head><style>p{color:red}</style></head><body><form method="post" action="/consent"><input type="hidden" name="request" value="r1"><button name="decision" value="approve">Allow</button><button name="decision" value="deny">Deny</button></form></body></html>');
    } else if (url.pathname === '/consent') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        if (form.get('decision') !== 'approve') {
          res.writeHead(302, { location: `${CLIENT_REDIRECT}?error=access_denied` }).end();
          return;
        }
        const authorize = new URL(`${idp.baseUrl}/${tenant}/oauth2/v2.0/authorize`);
        authorize.search = new URLSearchParams({ client_id: WEB_APP, response_type: 'code', redirect_uri: `${origin}/auth/callback`, scope: 'openid User.Read', state: 'st', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' }).toString();
        res.writeHead(302, { location: authorize.href }).end();
      });
    } else if (url.pathname === '/auth/callback') {
      // The cookie set on the consent page must come back, as a browser would send it.
      const sawCookie = (req.headers.cookie ?? '').includes('seen=1');
      res.writeHead(302, { location: `${CLIENT_REDIRECT}?code=${sawCookie && url.searchParams.get('code') ? 'mcp-code' : ''}&state=${url.searchParams.get('state') ?? ''}` }).end();
    } else {
      res.writeHead(500, { 'content-type': 'text/html' }).end('<html><head><style>.x{}</style></head><body><p>Something broke</p></body></html>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  removeCallback = await allowRedirectUri(idp, WEB_APP, `${origin}/auth/callback`);
});

afterAll(async () => {
  await removeCallback();
  server.close();
  await idp.close();
});

const person = () => ({ username: 'alice@contoso.test', password: 'alice-lab-2026', idpOrigin: new URL(idp.baseUrl).origin });

describe('browseAuthorization (a person with a browser, without a browser)', () => {
  it('approves the server’s consent page, signs in at the IdP and comes back with the server’s code and cookies', async () => {
    const end = await browseAuthorization(new URL('/authorize', origin), { ...person(), until: (u) => u.href.startsWith(CLIENT_REDIRECT) });
    expect(end.url.searchParams.get('code')).toBe('mcp-code');
    expect(end.steps.map((s) => `${s.kind} ${s.method} ${s.url.pathname}`)).toEqual(['server GET /authorize', 'server POST /consent', `idp GET /${SEED.tenants.home.id}/oauth2/v2.0/authorize`, 'server GET /auth/callback']);
  });

  it('clicks Deny when told to, and never reaches the IdP', async () => {
    const end = await browseAuthorization(new URL('/authorize', origin), { ...person(), serverConsent: 'deny', until: (u) => u.href.startsWith(CLIENT_REDIRECT) });
    expect(end.url.searchParams.get('error')).toBe('access_denied');
    expect(end.steps.some((s) => s.kind === 'idp')).toBe(false);
  });

  it('reports an error page by its visible text (not its styles)', async () => {
    const error = await browseAuthorization(new URL('/broken', origin), { ...person(), until: () => false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrowseError);
    expect((error as Error).message).toBe('GET /broken answered 500: Something broke');
  });

  it('the LabOAuthClient keeps the code once and says why when there is none', async () => {
    const client = new LabOAuthClient({ ...person(), redirectUrl: CLIENT_REDIRECT });
    expect(() => client.takeCode()).toThrow(/never asked the client to authorize/);
    await client.redirectToAuthorization(new URL('/authorize', origin));
    expect(client.takeCode()).toBe('mcp-code');
    expect(() => client.takeCode()).toThrow(/without a code/);
    const denying = new LabOAuthClient({ ...person(), redirectUrl: CLIENT_REDIRECT, serverConsent: 'deny' });
    await denying.redirectToAuthorization(new URL('/authorize', origin));
    expect(() => denying.takeCode()).toThrow(/access_denied/);
  });
});

describe('allowRedirectUri (the run’s callback on the app, for the run only)', () => {
  it('adds a missing web redirect URI and removes exactly that one afterwards', async () => {
    const uri = 'http://localhost:61234/auth/callback';
    const list = async () => (await idp.admin<{ web: { redirectUris: string[] } }>('GET', `/apps/${WEB_APP}/redirect-uris`)).web.redirectUris;
    const before = await list();
    const remove = await allowRedirectUri(idp, WEB_APP, uri);
    expect(await list()).toEqual([...before, uri]);
    await remove();
    expect(await list()).toEqual(before);
    // Already registered: nothing added, and nothing of the owner's removed.
    const keep = await allowRedirectUri(idp, WEB_APP, before[0]!);
    await keep();
    expect(await list()).toEqual(before);
  });
});
