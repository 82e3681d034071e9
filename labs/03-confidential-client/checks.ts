import assert from 'node:assert/strict';
import { browseAuthorization, defineChecks, isLoopbackAddress, oauth, scanForLeaks, CheckCannotRun } from '@mcp-lab/harness';
import { CookieJar } from '@mcp-lab/mock-idp';
import {
  CLIENT_REDIRECT,
  asMetadata,
  assertNoRedirect,
  browse,
  assertProfileOf,
  authorizeUrl,
  callProfile,
  codeFor,
  consentPage,
  idpAuthorizeCount,
  idpOrigin,
  initializeRequest,
  mcpStatus,
  postConsent,
  redeem,
  refresh,
  registered,
  requestWithHost,
  signedIn,
  tokensFor,
} from './check-flows.ts';

/**
 * Lab 03 — the confidential client. Black-box checks over HTTP: every
 * request goes through the harness's recording proxy (the server's
 * PUBLIC_URL), a person is played through the server's consent page and
 * the IdP's sign-in, and the IdP's trace says what the server did at Entra.
 * What an attacker would try is in docs/threat-model.md; each of its rows
 * names the check here that proves the property. Titles, hints and points
 * are in lab.json.
 */

export default defineChecks({
  'requires-token': async (ctx) => {
    await ctx.sharedServer('basics');
    const anonymous = await mcpStatus(ctx, undefined);
    assert.equal(anonymous.status, 401, `POST /mcp without a token answered ${anonymous.status}`);
    const challenge = anonymous.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /^Bearer /i, 'the 401 needs a WWW-Authenticate: Bearer … header');
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    assert.ok(metadataUrl, `WWW-Authenticate should carry resource_metadata="…" (it was: ${challenge})`);
    const prm = await oauth.protectedResourceMetadata(metadataUrl);
    assert.equal(prm.status, 200, `the resource_metadata URL ${metadataUrl} answered ${prm.status}`);
    const forged = await mcpStatus(ctx, 'not-a-token-this-server-issued');
    assert.equal(forged.status, 401, `a made-up bearer token got ${forged.status}, not 401`);
    assert.match(forged.headers.get('www-authenticate') ?? '', /invalid_token/, 'a bad token gets error="invalid_token" in WWW-Authenticate');
  },
  'metadata': async (ctx) => {
    await ctx.sharedServer('basics');
    const as = await asMetadata(ctx);
    const origin = ctx.publicUrl.origin;
    assert.equal(String(as.issuer).replace(/\/$/, ''), origin, `issuer should be PUBLIC_URL (${origin}), not ${String(as.issuer)}`);
    for (const [name, value] of Object.entries({ authorization_endpoint: as.authorization_endpoint, token_endpoint: as.token_endpoint, registration_endpoint: as.registration_endpoint })) {
      assert.equal(new URL(value).origin, origin, `${name} (${value}) should be on PUBLIC_URL ${origin}`);
    }
    assert.ok(as.code_challenge_methods_supported?.includes('S256'), 'code_challenge_methods_supported must include S256');
    assert.ok(as.grant_types_supported?.includes('refresh_token'), 'grant_types_supported must include refresh_token');
    assert.ok(as.revocation_endpoint, 'revocation_endpoint is missing: implement revokeToken in the provider');
    const prm = await oauth.protectedResourceMetadata(new URL('/.well-known/oauth-protected-resource/mcp', ctx.publicUrl));
    assert.equal(prm.status, 200, `GET /.well-known/oauth-protected-resource/mcp answered ${prm.status}`);
    assert.equal(String(prm.body.resource).replace(/\/$/, ''), ctx.mcpUrl.href, `the protected resource should be ${ctx.mcpUrl.href}`);
    assert.ok(prm.body.authorization_servers?.some((s) => String(s).replace(/\/$/, '') === origin), `authorization_servers should list ${origin}`);
  },
  'loopback-only': async (ctx) => {
    const server = await ctx.sharedServer('basics');
    if (!server.listeningAddresses) throw new CheckCannotRun('the grader cannot see where this server listens (it was started without the server probe)');
    const addresses = await server.listeningAddresses();
    const exposed = addresses.filter((a) => !isLoopbackAddress(a)).map((a) => (a.port === undefined ? a.address : `${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}`));
    assert.deepEqual(
      exposed,
      [],
      `the server listens on ${exposed.join(', ')}, where other machines can reach it (0.0.0.0 and :: mean every network interface). Give listen() the loopback host (127.0.0.1 or localhost) as well as the port.`,
    );
  },
  'host-and-origin': async (ctx) => {
    await ctx.sharedServer('basics');
    const { access } = await tokensFor(ctx, ctx.user('alice'));
    const ownHost = ctx.publicUrl.host;
    const foreignHost = `evil.example:${ctx.publicUrl.port}`;
    const routes: [string, URL, Parameters<typeof requestWithHost>[2]][] = [
      ['GET /.well-known/oauth-authorization-server', new URL('/.well-known/oauth-authorization-server', ctx.publicUrl), {}],
      ['GET /.well-known/oauth-protected-resource/mcp', new URL('/.well-known/oauth-protected-resource/mcp', ctx.publicUrl), {}],
      ['POST /mcp with a valid token', ctx.mcpUrl, initializeRequest(access)],
    ];
    const answers = await Promise.all(
      routes.map(async ([what, url, request]) => ({ what, own: await requestWithHost(url, ownHost, request), foreign: await requestWithHost(url, foreignHost, request) })),
    );
    for (const { what, own, foreign } of answers) {
      assert.equal(own.status, 200, `${what} with the server's own Host answered ${own.status}, so a refusal of a foreign Host would prove nothing`);
      assert.ok(
        foreign.status >= 400 && foreign.status < 500,
        `${what} with Host: ${foreignHost} answered ${foreign.status}: after DNS rebinding a web page on that domain reaches your server this way. Refuse any Host but PUBLIC_URL's (${ctx.publicUrl.hostname}).`,
      );
    }
    // The Origin a browser sends with a request from another site's page (or "null" from a sandboxed frame or a file).
    for (const origin of ['https://evil.example', `http://${ctx.publicUrl.hostname}.evil.example`, 'null']) {
      const cross = await mcpStatus(ctx, access, { origin });
      assert.ok(cross.status >= 400 && cross.status < 500, `POST /mcp with a valid token and Origin: ${origin} answered ${cross.status}: a page from another origin must not drive /mcp. Allow exactly PUBLIC_URL's origin (${ctx.publicUrl.origin}).`);
    }
    assert.equal((await mcpStatus(ctx, access, { origin: ctx.publicUrl.origin })).status, 200, "POST /mcp with the server's own Origin was refused: only other origins are the problem");
    assert.equal((await mcpStatus(ctx, access)).status, 200, 'POST /mcp without an Origin header (an MCP client that is not a browser) was refused');
  },
  'consent-first': async (ctx) => {
    await ctx.sharedServer('consent');
    const meta = await asMetadata(ctx);
    const name = `Unknown Tool ${Math.random().toString(36).slice(2, 8)}`;
    const clientId = await registered(ctx, name);
    const url = oauth.authorizationUrl(meta.authorization_endpoint, { clientId, redirectUri: CLIENT_REDIRECT, challenge: oauth.newPkce().challenge, state: 's1' });
    const page = await oauth.getJson(url, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200, `GET /authorize for a new client answered ${page.status}${page.headers.get('location') ? ` → ${page.headers.get('location')}` : ''}: it must show a consent page first`);
    assert.ok(page.text.includes(name), `the consent page should name the client ("${name}")`);
    assert.equal(await idpAuthorizeCount(ctx), 0, 'the IdP saw an authorize request before the person consented');
    // Saying no ends it: back to the client with access_denied, and still nobody at Entra.
    const end = await browseAuthorization(url, { ...ctx.user('alice'), idpOrigin: new URL(ctx.info.baseUrl).origin, serverConsent: 'deny', until: (u) => u.href.startsWith(CLIENT_REDIRECT) });
    assert.equal(end.url.searchParams.get('error'), 'access_denied', `denying should send the client error=access_denied (got ${end.url.search})`);
    assert.equal(await idpAuthorizeCount(ctx), 0, 'after the person said no, the server still sent them to the IdP');
    // A client known in advance (the MCP Inspector) is no exception: whoever sends the browser to
    // /authorize with its ID is not necessarily the person's own Inspector. (A server that does not
    // know the Inspector may refuse it; it must not skip the question.)
    const inspector = oauth.authorizationUrl(meta.authorization_endpoint, { clientId: 'mcp-inspector', redirectUri: 'http://localhost:6274/oauth/callback', challenge: oauth.newPkce().challenge, state: 's3' });
    const known = await oauth.getJson(inspector, { headers: { accept: 'text/html' } });
    assert.ok(
      known.status < 300 || known.status >= 400,
      `GET /authorize for the pre-registered client mcp-inspector redirected (${known.status} → ${known.headers.get('location')}): a client registered in advance must get the consent page too`,
    );
    assert.equal(await idpAuthorizeCount(ctx), 0, 'the IdP saw an authorize request for the pre-registered client without the person consenting');
  },
  'consent-page-safe': async (ctx) => {
    await ctx.sharedServer('consent');
    const meta = await asMetadata(ctx);
    const marker = `mcp-lab-${Math.random().toString(36).slice(2, 8)}`;
    const markup = `<b id="${marker}">Verified by Microsoft</b>`;
    const name = `Unknown Tool ${markup} & "friends"`;
    const clientId = await registered(ctx, name);
    const { headers, page } = await consentPage(authorizeUrl(ctx, meta, clientId));
    const frameOptions = (headers.get('x-frame-options') ?? '').trim().toLowerCase();
    const ancestors = /(?:^|;)\s*frame-ancestors\s+([^;]*)/i.exec(headers.get('content-security-policy') ?? '')?.[1]?.trim().toLowerCase();
    assert.ok(
      ['deny', 'sameorigin'].includes(frameOptions) || ancestors === "'none'" || ancestors === "'self'",
      `the consent page can be framed (X-Frame-Options: ${frameOptions || 'none'}, CSP frame-ancestors: ${ancestors ?? 'none'}): another site could lay it under its own buttons and have the person click Allow`,
    );
    assert.ok(!page.includes(markup), `the consent page contains the client's name as markup (${markup}): a client that registers itself can change what your consent page shows. Escape the name.`);
    const shown = page.replace(/<[^>]*>/g, '').replace(/&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos));/gi, (_, dec: string, hex: string, named: string) =>
      dec ? String.fromCharCode(Number(dec)) : hex ? String.fromCharCode(parseInt(hex, 16)) : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[named.toLowerCase()]!,
    );
    assert.ok(shown.includes(name), `the consent page should show the client's name as the person would read it ("${name}")`);
  },
  'consent-form-bound': async (ctx) => {
    await ctx.sharedServer('consent');
    const meta = await asMetadata(ctx);
    const clientId = await registered(ctx, 'mcp-lab consent form');
    const [own, other, third] = await Promise.all([0, 1, 2].map((i) => consentPage(authorizeUrl(ctx, meta, clientId, `client-state-${i}`))));
    // Another site makes the person's browser post a form it got itself: the form's cookie is not there.
    assertNoRedirect(await postConsent(own!, 'approve', undefined), 'a consent form posted without its cookie');
    // Or the browser has a consent cookie of its own, from another consent page.
    assertNoRedirect(await postConsent(own!, 'approve', other!.jar), "a consent form posted with another consent page's cookie");
    assert.equal(await idpAuthorizeCount(ctx), 0, 'a consent form posted without its cookie still sent the browser to the IdP');

    // The form must not decide where the browser goes: every field holding a URL, and a redirect_uri, point elsewhere.
    const EVIL = 'https://evil.example/cb';
    const bent = (fields: Map<string, string>) => new Map([...[...fields].map(([k, v]): [string, string] => [k, URL.canParse(v) ? EVIL : v]), ['redirect_uri', EVIL]]);
    const denied = await postConsent(own!, 'deny', own!.jar, bent(own!.fields));
    const deniedTo = denied.headers.get('location') ?? '';
    assert.ok(denied.status >= 300 && denied.status < 400, `Deny, posted with its own cookie, answered ${denied.status} instead of sending the browser back to the client: the refusals above prove nothing`);
    assert.ok(deniedTo.startsWith(CLIENT_REDIRECT), `Deny sent the browser to ${deniedTo}, not to the client's registered redirect URI ${CLIENT_REDIRECT}: the consent form decided where to go (an open redirect)`);
    const approved = await postConsent(third!, 'approve', third!.jar, bent(third!.fields));
    const toIdp = approved.headers.get('location');
    assert.ok(toIdp && new URL(toIdp, ctx.publicUrl).origin === idpOrigin(ctx), `Allow, posted with its own cookie, did not send the browser to Entra (${approved.status}${toIdp ? ` → ${toIdp}` : ''})`);
    const end = await browse(new URL(toIdp), {
      ...ctx.user('alice'),
      jar: third!.jar,
      idpOrigin: idpOrigin(ctx),
      until: (u) => u.origin !== ctx.publicUrl.origin && u.origin !== idpOrigin(ctx),
    });
    assert.ok(end.url.href.startsWith(CLIENT_REDIRECT), `after Allow and the sign-in the browser went to ${end.url.origin}${end.url.pathname}, not to the client's registered redirect URI: the consent form decided where the code goes`);
  },
  'consent-per-user': async (ctx) => {
    await ctx.sharedServer('consent');
    const meta = await asMetadata(ctx);
    const clientId = await registered(ctx, 'mcp-lab shared client');
    const alice = await browse(authorizeUrl(ctx, meta, clientId), { ...ctx.user('alice'), jar: new CookieJar(), idpOrigin: idpOrigin(ctx), until: (u) => u.href.startsWith(CLIENT_REDIRECT) });
    assert.ok(alice.url.searchParams.get('code'), `Alice allowed the client and signed in, but no code came back: ${alice.url.search}`);
    const before = await idpAuthorizeCount(ctx);
    // The same client, in a browser that never consented (Bob's, or any the client sends to /authorize).
    const elsewhere = await oauth.getJson(authorizeUrl(ctx, meta, clientId, 'client-state-2'), { headers: { accept: 'text/html' } });
    assert.equal(
      elsewhere.status,
      200,
      `after Alice allowed the client, /authorize for it in another browser answered ${elsewhere.status}${elsewhere.headers.get('location') ? ` → ${elsewhere.headers.get('location')}` : ''} instead of a consent page: consent was remembered per client, so the client can act for anyone it sends there`,
    );
    assert.equal(await idpAuthorizeCount(ctx), before, 'the IdP saw a sign-in for a browser that never consented');
  },
  'entra-sign-in-request': async (ctx) => {
    await ctx.sharedServer('consent');
    const meta = await asMetadata(ctx);
    const clientId = await registered(ctx, 'mcp-lab entra request');
    // Two people start a sign-in through the same client (with the same client state): where does the server send them?
    const toEntra = async () =>
      (await browse(authorizeUrl(ctx, meta, clientId), { ...ctx.user('alice'), idpOrigin: idpOrigin(ctx), until: (u) => u.origin === idpOrigin(ctx) })).url.searchParams;
    const [a, b] = await Promise.all([toEntra(), toEntra()]);
    for (const request of [a, b]) {
      assert.equal(request.get('code_challenge_method'), 'S256', `the sign-in at Entra has code_challenge_method=${request.get('code_challenge_method') ?? '(none)'}: use PKCE with S256, so a code stolen on its way back is useless`);
      assert.match(request.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/, 'the sign-in at Entra has no S256 code_challenge (43 base64url characters)');
      assert.ok(request.get('state'), 'the sign-in at Entra has no state: nothing ties the answer at /auth/callback to a sign-in this server started');
      assert.ok(request.get('nonce'), 'the sign-in at Entra has no nonce: nothing ties the ID token to this sign-in');
    }
    assert.notEqual(a.get('state'), b.get('state'), 'two sign-ins went to Entra with the same state: a state must be new and unguessable for every sign-in, or an attacker can predict (or supply) it');
    assert.notEqual(a.get('nonce'), b.get('nonce'), 'two sign-ins went to Entra with the same nonce: a nonce must be new for every sign-in');
    assert.notEqual(a.get('code_challenge'), b.get('code_challenge'), 'two sign-ins went to Entra with the same code_challenge: a PKCE pair must be new for every sign-in');
  },
  'sign-in-flow': async (ctx) => {
    await ctx.sharedServer('codes');
    const { client, oauthClient } = await signedIn(ctx, ctx.user('alice'));
    // RFC 9207: MCP clients talk to many authorization servers; iss tells them which one sent this code (mix-up attacks).
    const answer = oauthClient.journeys.at(-1)?.result?.url;
    const issuer = String((await asMetadata(ctx)).issuer).replace(/\/$/, '');
    assert.equal(answer?.searchParams.get('iss')?.replace(/\/$/, ''), issuer, `the redirect to the client should carry iss=${issuer} with the code (it was: ${answer?.search ?? 'no redirect'}), so a client that uses several servers can tell which one answered`);
    assertProfileOf(await callProfile(client), ctx.user('alice'));
    const tokens = (await ctx.trace(ctx.env.CLIENT_ID)).filter((e) => e.type === 'token' && e.grantType === 'authorization_code' && !e.error);
    assert.ok(tokens.length >= 1, 'the server never redeemed an authorization code at the IdP');
  },
  'state-checked': async (ctx) => {
    await ctx.sharedServer('codes');
    const forged = await oauth.getJson(new URL('/auth/callback?code=stolen-code&state=forged-state', ctx.publicUrl));
    assertNoRedirect(forged, 'a callback with a forged state');
    // A real answer from the IdP, delivered by someone else's browser (login CSRF): the cookie is missing.
    const meta = await asMetadata(ctx);
    const clientId = await registered(ctx, 'mcp-lab state check');
    const url = oauth.authorizationUrl(meta.authorization_endpoint, { clientId, redirectUri: CLIENT_REDIRECT, challenge: oauth.newPkce().challenge, state: 's2' });
    const jar = new CookieJar();
    const callbackPath = new URL(ctx.env.REDIRECT_URI ?? '/auth/callback', ctx.publicUrl).pathname;
    const atCallback = await browseAuthorization(url, { ...ctx.user('alice'), jar, idpOrigin: new URL(ctx.info.baseUrl).origin, until: (u) => u.origin === ctx.publicUrl.origin && u.pathname === callbackPath });
    assert.ok(atCallback.url.searchParams.get('code'), 'the IdP did not send a code back to /auth/callback');
    const elsewhere = await oauth.getJson(atCallback.url);
    assertNoRedirect(elsewhere, 'the IdP’s answer arriving in a browser that did not start the sign-in');
    const redeemed = (await ctx.trace(ctx.env.CLIENT_ID)).filter((e) => e.type === 'token' && e.grantType === 'authorization_code');
    assert.equal(redeemed.length, 0, 'the server redeemed a code from a sign-in it should have refused');
  },
  'pkce-enforced': async (ctx) => {
    await ctx.sharedServer('codes');
    const { clientId, code, pkce, meta } = await codeFor(ctx, ctx.user('alice'));
    const wrong = await redeem(meta, clientId, code, oauth.newPkce().verifier);
    assert.equal(wrong.status, 400, `a wrong code_verifier got ${wrong.status}: ${wrong.text.slice(0, 200)}`);
    assert.equal(wrong.body.access_token, undefined, 'a wrong code_verifier got tokens');
    const missing = await redeem(meta, clientId, code, undefined);
    assert.equal(missing.status, 400, `a missing code_verifier got ${missing.status}`);
    const right = await redeem(meta, clientId, code, pkce.verifier);
    assert.equal(right.status, 200, `the right code_verifier was refused (${right.status}: ${right.text.slice(0, 200)}), so the refusals above prove nothing`);
  },
  'code-single-use': async (ctx) => {
    await ctx.sharedServer('codes');
    const { clientId, code, pkce, meta } = await codeFor(ctx, ctx.user('alice'));
    const first = await redeem(meta, clientId, code, pkce.verifier);
    assert.equal(first.status, 200, `the client the code was issued to could not redeem it (${first.status}: ${first.text.slice(0, 200)})`);
    // Another registered client that got hold of a fresh code (a shared custom-scheme redirect, a log), even with the verifier.
    // Whether the server then burns that code for its own client too is its choice: both are safe.
    const fresh = await codeFor(ctx, ctx.user('alice'));
    const other = await registered(ctx, 'mcp-lab other client');
    const stolen = await redeem(meta, other, fresh.code, fresh.pkce.verifier);
    assert.equal(stolen.status, 400, `client B redeeming a code issued to client A got ${stolen.status}: a code must be redeemed only by the client it was issued to`);
    assert.equal(stolen.body.error, 'invalid_grant', `client B redeeming client A's code should get invalid_grant, not ${String(stolen.body.error)}`);
    const replay = await redeem(meta, clientId, code, pkce.verifier);
    assert.equal(replay.status, 400, `a replayed code got ${replay.status}`);
    assert.equal(replay.body.error, 'invalid_grant', `a replayed code should get invalid_grant, not ${String(replay.body.error)}`);
  },
  'redirect-uri-exact': async (ctx) => {
    await ctx.sharedServer('codes');
    const meta = await asMetadata(ctx);
    const plainHttp = await oauth.registerClient(meta.registration_endpoint, { client_name: 'plain http', redirect_uris: ['http://evil.example/cb'] });
    assert.equal(plainHttp.status, 400, `registering a plain-http, non-loopback redirect URI got ${plainHttp.status}; codes sent there can be read on the way`);
    const clientId = await registered(ctx, 'mcp-lab redirect check');
    const evil = await oauth.getJson(oauth.authorizationUrl(meta.authorization_endpoint, { clientId, redirectUri: 'https://evil.example/cb', challenge: oauth.newPkce().challenge }));
    assertNoRedirect(evil, '/authorize with an unregistered redirect_uri');
    const { clientId: other, code, pkce } = await codeFor(ctx, ctx.user('alice'));
    const altered = await redeem(meta, other, code, pkce.verifier, `${CLIENT_REDIRECT}/altered`);
    assert.equal(altered.status, 400, `a token request with another redirect_uri than the authorization request got ${altered.status}`);
    assert.equal(altered.body.access_token, undefined, 'a changed redirect_uri got tokens');
    const omitted = await oauth.tokenRequest(meta.token_endpoint, { grant_type: 'authorization_code', client_id: other, code, code_verifier: pkce.verifier });
    assert.equal(omitted.status, 400, `a token request without redirect_uri got ${omitted.status}, although the authorization request sent one: it must be repeated`);
    assert.equal(omitted.body.access_token, undefined, 'a token request that left out redirect_uri got tokens');
    const exact = await redeem(meta, other, code, pkce.verifier);
    assert.equal(exact.status, 200, `the exact redirect_uri was refused too (${exact.status}: ${exact.text.slice(0, 200)}), so the refusals above prove nothing`);
  },
  'unknown-client': async (ctx) => {
    await ctx.sharedServer('codes');
    const meta = await asMetadata(ctx);
    const answer = await oauth.getJson(oauth.authorizationUrl(meta.authorization_endpoint, { clientId: 'not-a-registered-client', redirectUri: CLIENT_REDIRECT, challenge: oauth.newPkce().challenge }));
    assertNoRedirect(answer, '/authorize for an unknown client');
    const token = await redeem(meta, 'not-a-registered-client', 'some-code', oauth.newPkce().verifier);
    assert.ok(token.status === 400 || token.status === 401, `/token for an unknown client got ${token.status}`);
    assert.equal(token.body.error, 'invalid_client', `/token for an unknown client should say invalid_client, not ${String(token.body.error)}`);
  },
  'token-lifetime': async (ctx) => {
    await ctx.startServer();
    const [used, unused] = await Promise.all([codeFor(ctx, ctx.user('alice')), codeFor(ctx, ctx.user('alice'))]);
    const tokens = await redeem(used.meta, used.clientId, used.code, used.pkce.verifier);
    const { access_token: access, refresh_token: refreshToken, expires_in: expiresIn } = tokens.body;
    assert.ok(tokens.status === 200 && access && refreshToken, `redeeming the code gave no access and refresh token (${tokens.status}: ${tokens.text.slice(0, 200)})`);
    assert.ok(typeof expiresIn === 'number' && expiresIn > 0, `the token response says expires_in=${String(expiresIn)}: tell the client how many seconds the access token lives`);
    assert.ok(expiresIn <= 24 * 3600, `the access token lives ${expiresIn} s (${(expiresIn / 3600).toFixed(1)} h): a stolen one works that long. Keep it to an hour, a day at most; the refresh token keeps the session going.`);
    assert.equal((await mcpStatus(ctx, access)).status, 200, 'the access token does not work at /mcp even before any time has passed');

    // Ten minutes on (RFC 6749 §4.1.2: codes live ten minutes at most), a code nobody redeemed is dead.
    const CODE_LIMIT = 600;
    await ctx.advanceServerClock(CODE_LIMIT + 1);
    const late = await redeem(unused.meta, unused.clientId, unused.code, unused.pkce.verifier);
    assert.equal(late.status, 400, `an authorization code was still redeemed (${late.status}) ${CODE_LIMIT / 60} minutes after it was issued: codes must expire within minutes`);

    // Past the access token's own lifetime, it is refused.
    const beyond = Math.max(expiresIn + 60, CODE_LIMIT + 1);
    if (beyond > CODE_LIMIT + 1) await ctx.advanceServerClock(beyond - CODE_LIMIT - 1);
    const expired = await mcpStatus(ctx, access);
    assert.equal(expired.status, 401, `the access token still got ${expired.status} at /mcp ${beyond} s after it was issued, although expires_in said ${expiresIn}: store each token's expiry and refuse it once the time has passed`);
    assert.match(expired.headers.get('www-authenticate') ?? '', /invalid_token/, 'an expired token gets error="invalid_token" in WWW-Authenticate, so the client refreshes it');
    // The session itself goes on: the refresh token gives a new access token that works at this (later) time.
    const renewed = await refresh(used.meta, used.clientId, refreshToken);
    assert.ok(renewed.status === 200 && renewed.body.access_token, `refreshing after the access token expired failed (${renewed.status}: ${renewed.text.slice(0, 200)}), so the refusal above may not be about its lifetime`);
    assert.equal((await mcpStatus(ctx, renewed.body.access_token)).status, 200, 'the access token from the refresh does not work at /mcp, so the refusal above may not be about its lifetime');
  },
  'entra-renewal': async (ctx) => {
    await ctx.fault({ kind: 'access-token-lifetime', seconds: 60 });
    await ctx.startServer();
    const { client } = await signedIn(ctx, ctx.user('alice'));
    assertProfileOf(await callProfile(client), ctx.user('alice'));
    const authorizes = await idpAuthorizeCount(ctx);
    assertProfileOf(await callProfile(client), ctx.user('alice'));
    const refreshes = (await ctx.trace(ctx.env.CLIENT_ID)).filter((e) => e.type === 'token' && e.grantType === 'refresh_token' && !e.error);
    assert.ok(refreshes.length > 0, 'the Entra access token (60 s, so expired for MSAL) was used without being renewed: no refresh_token request reached the IdP');
    assert.equal(await idpAuthorizeCount(ctx), authorizes, 'the user was sent to sign in again instead of a silent renewal');
  },
  'entra-refusal-401': async (ctx) => {
    await ctx.fault({ kind: 'access-token-lifetime', seconds: 60 });
    await ctx.startServer();
    const { oauthClient } = await signedIn(ctx, ctx.user('alice'));
    const token = oauthClient.tokens()?.access_token;
    assert.ok(token, 'the client got no access token');
    await ctx.fault({ kind: 'fail-next-refresh', count: 5 });
    const refused = await mcpStatus(ctx, token);
    assert.equal(refused.status, 401, `after Entra refused to renew, the MCP request got ${refused.status}, not 401`);
    assert.match(refused.headers.get('www-authenticate') ?? '', /invalid_token/, 'the 401 should say error="invalid_token" so the client signs in again');
    const refusedRefresh = (await ctx.trace(ctx.env.CLIENT_ID)).filter((e) => e.type === 'token' && e.grantType === 'refresh_token' && e.error);
    assert.ok(refusedRefresh.length > 0, 'the server never tried to renew the expired Entra token');
    const stillAlive = await mcpStatus(ctx, undefined);
    assert.equal(stillAlive.status, 401, 'the server stopped answering after Entra refused');
  },
  'token-in-header-only': async (ctx) => {
    await ctx.sharedServer('sessions');
    const { access } = await tokensFor(ctx, ctx.user('alice'));
    assert.equal((await mcpStatus(ctx, access)).status, 200, 'the access token does not work in the Authorization header, so the refusals below would prove nothing');
    for (const name of ['access_token', 'token']) {
      const inUrl = await mcpStatus(ctx, undefined, { query: { [name]: access } });
      assert.equal(inUrl.status, 401, `POST /mcp?${name}=<a valid token> without an Authorization header answered ${inUrl.status}: a token in the URL lands in logs and history. Accept it only in the Authorization header.`);
    }
  },
  'refresh-rotation': async (ctx) => {
    await ctx.sharedServer('sessions');
    const { clientId, code, pkce, meta } = await codeFor(ctx, ctx.user('alice'));
    const first = await redeem(meta, clientId, code, pkce.verifier);
    assert.equal(first.status, 200, `redeeming the code failed (${first.status})`);
    const firstRefresh = first.body.refresh_token;
    assert.ok(firstRefresh, 'the token response has no refresh_token');
    const next = await oauth.tokenRequest(meta.token_endpoint, { grant_type: 'refresh_token', client_id: clientId, refresh_token: firstRefresh });
    assert.equal(next.status, 200, `a refresh failed (${next.status}: ${next.text.slice(0, 200)})`);
    assert.ok(next.body.refresh_token && next.body.refresh_token !== firstRefresh, 'a refresh must return a new refresh token (rotation)');
    assert.equal((await mcpStatus(ctx, next.body.access_token)).status, 200, 'the refreshed access token does not work at /mcp');
    const reuse = await oauth.tokenRequest(meta.token_endpoint, { grant_type: 'refresh_token', client_id: clientId, refresh_token: firstRefresh });
    assert.equal(reuse.status, 400, `reusing a rotated refresh token got ${reuse.status}`);
    assert.equal((await mcpStatus(ctx, next.body.access_token)).status, 401, 'after a rotated refresh token was reused, the session should be revoked (its newest access token still works)');
  },
  'revocation': async (ctx) => {
    await ctx.sharedServer('sessions');
    const [one, two] = await Promise.all([tokensFor(ctx, ctx.user('alice')), tokensFor(ctx, ctx.user('alice'))]);
    const endpoint = one.meta.revocation_endpoint;
    assert.ok(endpoint, 'no revocation_endpoint in the metadata');
    assert.equal((await mcpStatus(ctx, one.access)).status, 200, 'the access token does not work at /mcp before it was revoked');
    const revoked = await oauth.tokenRequest(endpoint, { token: one.access, client_id: one.clientId });
    assert.equal(revoked.status, 200, `revocation answered ${revoked.status}`);
    assert.equal((await mcpStatus(ctx, one.access)).status, 401, 'a revoked access token still works at /mcp');
    // The refresh token is what a client keeps for weeks: signing out must make it worthless.
    const revokedRefresh = await oauth.tokenRequest(endpoint, { token: two.refresh, client_id: two.clientId });
    assert.equal(revokedRefresh.status, 200, `revoking a refresh token answered ${revokedRefresh.status}`);
    const reused = await refresh(two.meta, two.clientId, two.refresh);
    assert.equal(reused.status, 400, `a revoked refresh token still got ${reused.status}${reused.body.access_token ? ' and new tokens' : ''}: /revoke must end the grant behind a refresh token too`);
    assert.equal(reused.body.error, 'invalid_grant', `a revoked refresh token should get invalid_grant, not ${String(reused.body.error)}`);
  },
  'no-leaks': async (ctx) => {
    await ctx.sharedServer('sessions');
    const { client, oauthClient } = await signedIn(ctx, ctx.user('alice'));
    assertProfileOf(await callProfile(client), ctx.user('alice'));
    const secret = ctx.env.CLIENT_SECRET;
    const wire = ctx
      .exchanges()
      .map((e) => [e.path, JSON.stringify(e.requestHeaders), e.requestBody, JSON.stringify(e.responseHeaders), e.responseBody].join('\n'))
      .join('\n');
    const journeys = oauthClient.journeys.flatMap((j) => j.result?.steps.map((s) => `${s.url.href} ${s.location?.href ?? ''}`) ?? []).join('\n');
    if (secret) {
      assert.ok(!wire.includes(secret) && !journeys.includes(secret), 'the client secret appeared in what the server sent to a client or browser');
      assert.ok(!ctx.output().includes(secret), "the client secret appeared in the server's output (logs)");
    }
    // The IdP's authorization code does cross the browser (to /auth/callback): that is the protocol. Tokens must not.
    const issued = scanForLeaks(await ctx.trace(), `${wire}\n${journeys}`, []).filter((l) => l.kind !== 'authorization code');
    assert.deepEqual(
      issued.map((l) => `${l.kind} (${l.where})`),
      [],
      'an Entra token (or code) issued to the server reached the MCP client or the browser: give clients your own tokens',
    );
    const logged = await ctx.leaks();
    assert.deepEqual(logged.map((l) => `${l.kind} (${l.where})`), [], "an Entra token appeared in the server's output");
  },
  'sessions-per-user': async (ctx) => {
    await ctx.sharedServer('sessions');
    const [alice, bob] = await Promise.all([signedIn(ctx, ctx.user('alice'), 'Alice’s client'), signedIn(ctx, ctx.user('bob'), 'Bob’s client')]);
    const [a, b] = await Promise.all([callProfile(alice.client), callProfile(bob.client)]);
    assertProfileOf(a, ctx.user('alice'));
    assertProfileOf(b, ctx.user('bob'));
    const aliceSession = ctx.exchanges().find((e) => e.status === 200 && e.responseHeaders['mcp-session-id'] && e.requestHeaders.authorization === `Bearer ${alice.oauthClient.tokens()?.access_token}`)?.responseHeaders['mcp-session-id'];
    assert.ok(typeof aliceSession === 'string', "no Mcp-Session-Id was issued for Alice's session (sessions are needed to keep users apart)");
    const bobToken = bob.oauthClient.tokens()?.access_token;
    assert.ok(bobToken, 'Bob has no access token');
    const hijack = await mcpStatus(ctx, bobToken, { sessionId: aliceSession });
    assert.ok(hijack.status >= 400, `Bob's token was accepted on Alice's session (${hijack.status}): a session must be usable only by the user who opened it`);
  },
});
