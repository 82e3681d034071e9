import assert from 'node:assert/strict';
import { browseAuthorization, defineLab, isLoopbackAddress, oauth, scanForLeaks, CheckCannotRun } from '@mcp-lab/harness';
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
 * names the check here that proves the property.
 */

export default defineLab({
  manifestVersion: 1,
  id: '03-confidential-client',
  title: 'The confidential client: a remote MCP server with the authorization code flow',
  titleNl: 'De confidential client: een externe MCP-server met de authorization code flow',
  lesson: '/en/06-labs/03-confidential-client',
  transport: 'http',
  start: { command: ['node', 'src/server.ts'], ready: 'listening on' },
  env: ['AUTHORITY_HOST', 'TENANT_ID', 'CLIENT_ID', 'CLIENT_SECRET', 'REDIRECT_URI', 'GRAPH_BASE_URL', 'PORT', 'PUBLIC_URL', 'LAB_CACHE_DIR'],
  seededApp: 'webServer',
  timeouts: { checkMs: 40_000, labMs: 400_000 },
  checks: [
    {
      id: 'requires-token',
      title: '/mcp without a valid token answers 401 with a WWW-Authenticate that leads to the metadata',
      points: 1,
      hint: "Protect /mcp with the SDK's requireBearerAuth, giving it resourceMetadataUrl (getOAuthProtectedResourceMetadataUrl of your /mcp URL).",
      lessonStep: '#step-1-protect-mcp',
      taskId: 1,
      testCode: "const res = await fetch(`${PUBLIC_URL}/mcp`, { method: 'POST', body: initialize });\nassert.equal(res.status, 401);\nassert.match(res.headers.get('www-authenticate'), /resource_metadata=/);",
      run: async (ctx) => {
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
    },
    {
      id: 'metadata',
      title: 'the authorization-server and protected-resource metadata are correct',
      points: 1,
      hint: "mcpAuthRouter serves both: give it issuerUrl (PUBLIC_URL) and resourceServerUrl (PUBLIC_URL + '/mcp'), and a provider with clientsStore.registerClient and revokeToken.",
      lessonStep: '#step-2-the-authorization-server',
      taskId: 1,
      testCode: "const as = await get('/.well-known/oauth-authorization-server');\nassert.equal(as.issuer, PUBLIC_URL + '/');\nassert.ok(as.code_challenge_methods_supported.includes('S256'));\nconst prm = await get('/.well-known/oauth-protected-resource/mcp');\nassert.equal(prm.resource, PUBLIC_URL + '/mcp');",
      run: async (ctx) => {
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
    },
    {
      id: 'loopback-only',
      title: 'the server listens on the loopback interface only',
      points: 1,
      hint: "A server only this machine should reach binds to the loopback interface (127.0.0.1 or localhost). Without a host to listen on, Node listens on every interface, and anyone on the same network (a café's Wi-Fi, a shared office) can reach your sign-in pages and /mcp.",
      lessonStep: '#step-7-one-session-per-user',
      taskId: 5,
      testCode: "const addresses = await server.listeningAddresses(); // reported from inside the server's process\nassert.ok(addresses.every(isLoopback));",
      run: async (ctx) => {
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
    },
    {
      id: 'host-and-origin',
      title: 'a foreign Host (DNS rebinding) or a foreign Origin is refused, even with a valid token',
      points: 2,
      hint: "A web page can make its own domain resolve to 127.0.0.1, and the browser then talks to your server while sending that domain as Host: check Host against PUBLIC_URL's host on every route, metadata included. A page from another origin can also send requests to /mcp: refuse a request whose Origin is not PUBLIC_URL's, token or not.",
      lessonStep: '#step-7-one-session-per-user',
      taskId: 5,
      testCode: "assert.equal((await get('/.well-known/oauth-authorization-server', { host: 'evil.example' })).status, 403);\nassert.equal((await postMcp(token, { host: 'evil.example' })).status, 403);\nassert.equal((await postMcp(token, { origin: 'https://evil.example' })).status, 403);\nassert.equal((await postMcp(token, { origin: PUBLIC_URL })).status, 200);",
      todo: 'verify',
      run: async (ctx) => {
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
    },
    {
      id: 'consent-first',
      title: 'every client, registered in advance or just now, gets a consent page before anyone is sent to Entra',
      points: 2,
      hint: "In the provider's authorize(), render the consent page (naming the client) instead of redirecting to Entra, for every client: one you registered in advance (the Inspector) asks on a person's behalf just like one that registered itself. Only POST /consent with decision=approve may go on to Entra.",
      lessonStep: '#step-3-consent-per-client',
      taskId: 2,
      testCode: "const page = await get(authorizeUrl(newClient));\nassert.equal(page.status, 200); // a page, not a redirect to Entra\nassert.match(page.text, /newClient.name/);\nassert.equal(idpAuthorizeEvents(), 0);",
      run: async (ctx) => {
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
    },
    {
      id: 'consent-page-safe',
      title: "the consent page cannot be framed, and shows the client's name as text",
      points: 1,
      hint: "Another site must not be able to show your consent page in a frame and trick the person into clicking Allow (clickjacking): forbid framing with frame-ancestors 'none' (Content-Security-Policy) or X-Frame-Options: DENY. The client's name is chosen by whoever registered the client: escape it, so it can only ever be text on your page.",
      lessonStep: '#step-3-consent-per-client',
      taskId: 2,
      testCode: "const page = await get(authorizeUrl(clientNamed('Tool <b>x</b>')));\nassert.match(page.headers['content-security-policy'], /frame-ancestors 'none'/); // or X-Frame-Options: DENY\nassert.ok(!page.text.includes('<b>x</b>'));",
      run: async (ctx) => {
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
    },
    {
      id: 'consent-form-bound',
      title: 'the consent form works only in the browser it was shown in, and leads only to the registered redirect URI',
      points: 2,
      hint: "Tie each consent form to the browser that was shown it (a secret both in the form and in a cookie, compared on POST): a form posted from elsewhere, without that cookie or with another form's, gets an error page and no redirect. Where the browser goes next comes from the stored authorization request, never from the form.",
      lessonStep: '#step-3-consent-per-client',
      taskId: 2,
      testCode: "const form = await consentForm(authorizeUrl(client)); // the page sets the form's cookie\nassert.equal((await post('/consent', { ...form.fields, decision: 'approve' })).status, 400); // without the cookie\nassert.equal((await post('/consent', { ...form.fields, redirect_uri: 'https://evil.example/cb', decision: 'deny' }, form.cookie)).headers.location.startsWith(REDIRECT_URI), true);",
      todo: 'callback',
      run: async (ctx) => {
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
    },
    {
      id: 'consent-per-user',
      title: "one person's consent to a client is not another's",
      points: 1,
      visibility: 'hidden',
      hint: 'Consent is given by one person to one client. If the server remembers it, it must remember it for that person and that client, and only recognise it in that person’s browser; remembered per client, it lets the client act for anyone it sends to /authorize.',
      lessonStep: '#step-3-consent-per-client',
      taskId: 2,
      testCode: "await signInThrough(client, 'alice'); // Alice allows the client\nconst page = await get(authorizeUrl(client)); // another browser\nassert.equal(page.status, 200); // a consent page again, not a redirect to Entra",
      todo: 'callback',
      run: async (ctx) => {
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
    },
    {
      id: 'entra-sign-in-request',
      title: "the server's own sign-in at Entra carries PKCE (S256), a fresh state and a fresh nonce",
      points: 2,
      hint: "Each time the server sends a browser to Entra it is a client of Entra itself: make a new PKCE pair (S256), a new unguessable state and a new nonce for that one sign-in, and keep them with the pending request. A secret makes the server confidential, but PKCE still protects a code stolen on its way back; the state ties Entra's answer to this sign-in; the nonce ties the ID token to it.",
      lessonStep: '#step-4-the-callback',
      taskId: 3,
      testCode: "const [a, b] = await Promise.all([approveConsent(), approveConsent()]); // each ends at Entra's /authorize\nassert.equal(a.searchParams.get('code_challenge_method'), 'S256');\nassert.notEqual(a.searchParams.get('state'), b.searchParams.get('state'));\nassert.notEqual(a.searchParams.get('nonce'), b.searchParams.get('nonce'));",
      run: async (ctx) => {
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
    },
    {
      id: 'sign-in-flow',
      title: "the full flow as a real user ends in a tool call that returns that user's profile",
      points: 3,
      hint: "At /auth/callback: look up the pending request by state, redeem the code with acquireTokenByCode (with your PKCE verifier), create a grant, and send the browser back to the client with your own one-time code, the client's state and iss naming your server (a client that uses several servers must be able to tell which one answered). The tool calls Graph with the user's Entra token, never with the token the MCP client sent.",
      lessonStep: '#step-4-the-callback',
      taskId: 2,
      testCode: "const client = await connectWithOAuth(mcpUrl, oauthClientSigningInAs('alice'));\nassert.equal(redirectToClient.searchParams.get('iss'), metadata.issuer);\nconst result = await client.callTool({ name: 'get_user_details' });\nassert.match(result.content[0].text, /Alice Jansen/);",
      todo: 'callback',
      run: async (ctx) => {
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
    },
    {
      id: 'state-checked',
      title: '/auth/callback refuses a state it did not issue, and an answer that arrives in another browser',
      points: 2,
      hint: "Keep the state you sent to Entra with the pending request and a cookie for the browser; at /auth/callback refuse (a page, not a redirect) when the state is unknown or the cookie doesn't match.",
      lessonStep: '#step-4-the-callback',
      taskId: 3,
      testCode: "const forged = await get('/auth/callback?code=abc&state=forged');\nassert.equal(forged.status, 400);\nassert.equal(forged.headers.get('location'), null);",
      todo: 'callback',
      run: async (ctx) => {
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
    },
    {
      id: 'pkce-enforced',
      title: "the token endpoint refuses a wrong or missing PKCE verifier",
      points: 2,
      hint: "Store the client's code_challenge with the code you issue and return it from challengeForAuthorizationCode; the SDK's token handler then checks the verifier.",
      lessonStep: '#step-5-your-own-tokens',
      taskId: 3,
      testCode: "assert.equal((await token({ code, code_verifier: 'wrong' })).body.error, 'invalid_grant');\nassert.equal((await token({ code })).status, 400);\nassert.equal((await token({ code, code_verifier })).status, 200);",
      todo: 'callback',
      run: async (ctx) => {
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
    },
    {
      id: 'code-single-use',
      title: 'an authorization code works once, and only for the client it was issued to',
      points: 2,
      hint: 'A code belongs to one client and one redemption: keep the client it was issued to with it and refuse it to anyone else; mark it used when it is redeemed and refuse it the second time (and revoke what it gave: a replay means it was stolen).',
      lessonStep: '#step-5-your-own-tokens',
      taskId: 3,
      testCode: "assert.equal((await token({ code, code_verifier })).status, 200);\nassert.equal((await token({ client_id: otherClient, code: freshCode, code_verifier })).body.error, 'invalid_grant');\nconst replay = await token({ code, code_verifier });\nassert.equal(replay.body.error, 'invalid_grant');",
      todo: 'callback',
      run: async (ctx) => {
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
    },
    {
      id: 'redirect-uri-exact',
      title: 'redirect URIs are matched exactly: no unregistered ones, no changes (or omissions) between authorize and token',
      points: 2,
      hint: 'Keep the redirect_uri of the authorization request with the code and compare it exactly at the token endpoint, where leaving it out is a mismatch too; register only https or loopback http redirect URIs.',
      lessonStep: '#step-5-your-own-tokens',
      taskId: 3,
      testCode: "assert.equal((await get(authorizeUrl({ redirect_uri: 'https://evil.example/cb' }))).status, 400);\nassert.equal((await token({ code, code_verifier, redirect_uri: otherUri })).body.error, 'invalid_grant');",
      todo: 'callback',
      run: async (ctx) => {
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
    },
    {
      id: 'unknown-client',
      title: 'an unknown client is refused at /authorize (without a redirect) and at /token',
      points: 1,
      hint: 'getClient returns undefined for a client it does not know; the SDK handlers then answer invalid_client.',
      lessonStep: '#step-2-the-authorization-server',
      taskId: 3,
      testCode: "assert.equal((await get(authorizeUrl({ client_id: 'nobody' }))).status, 400);\nassert.equal((await token({ client_id: 'nobody' })).body.error, 'invalid_client');",
      run: async (ctx) => {
        await ctx.sharedServer('codes');
        const meta = await asMetadata(ctx);
        const answer = await oauth.getJson(oauth.authorizationUrl(meta.authorization_endpoint, { clientId: 'not-a-registered-client', redirectUri: CLIENT_REDIRECT, challenge: oauth.newPkce().challenge }));
        assertNoRedirect(answer, '/authorize for an unknown client');
        const token = await redeem(meta, 'not-a-registered-client', 'some-code', oauth.newPkce().verifier);
        assert.ok(token.status === 400 || token.status === 401, `/token for an unknown client got ${token.status}`);
        assert.equal(token.body.error, 'invalid_client', `/token for an unknown client should say invalid_client, not ${String(token.body.error)}`);
      },
    },
    {
      id: 'token-lifetime',
      title: 'codes expire within minutes and access tokens within a day: once expired they are refused',
      points: 2,
      hint: 'Everything you hand a client has a lifetime, and the server holds it to that: an authorization code a few minutes at most (the lesson uses 60 s), an access token an hour (never more than a day), each with its expiry stored beside it and compared with the current time whenever it is presented. Tell clients the access token’s lifetime in expires_in.',
      lessonStep: '#step-5-your-own-tokens',
      taskId: 3,
      testCode: "const tokens = await token({ code, code_verifier });\nassert.ok(tokens.expires_in <= 24 * 3600);\nawait advanceServerClock(601); // the server's clock, not the grader's\nassert.equal((await token({ code: unusedCode, code_verifier })).body.error, 'invalid_grant');\nawait advanceServerClock(tokens.expires_in + 60 - 601);\nassert.equal((await postMcp(tokens.access_token)).status, 401);",
      todo: 'verify',
      run: async (ctx) => {
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
    },
    {
      id: 'entra-renewal',
      title: 'an expired Entra access token is renewed without asking the user again',
      points: 2,
      hint: 'Get the Graph token with acquireTokenSilent (the cached account) each time: MSAL redeems the refresh token when the access token has expired.',
      lessonStep: '#step-6-renewal-and-refresh',
      taskId: 4,
      testCode: "await fault({ kind: 'access-token-lifetime', seconds: 60 }); // Entra tokens expire at once for MSAL\nawait signInAndCallTool('alice');\nawait client.callTool({ name: 'get_user_details' });\nassert.ok(trace.some((e) => e.grantType === 'refresh_token'));",
      todo: 'refresh',
      run: async (ctx) => {
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
    },
    {
      id: 'entra-refusal-401',
      title: 'when Entra refuses to renew, the MCP client gets a clean 401 (and can sign in again)',
      points: 2,
      hint: 'When acquireTokenSilent fails with an errorCode that needs the user (invalid_grant, interaction_required, …; decide on errorCode, not instanceof), end the grant and throw InvalidTokenError from verifyAccessToken: requireBearerAuth turns it into a 401.',
      lessonStep: '#step-6-renewal-and-refresh',
      taskId: 4,
      testCode: "await fault({ kind: 'access-token-lifetime', seconds: 60 });\nconst { token } = await signIn('alice');\nawait fault({ kind: 'fail-next-refresh' });\nassert.equal((await postMcp(token)).status, 401);",
      todo: 'refresh',
      run: async (ctx) => {
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
    },
    {
      id: 'token-in-header-only',
      title: 'an access token is accepted in the Authorization header only, never in the URL',
      points: 1,
      visibility: 'hidden',
      hint: 'A token in a URL ends up in browser history, proxy and server logs and Referer headers. MCP clients send it in the Authorization header; accept it nowhere else, not even for a client that finds headers inconvenient.',
      lessonStep: '#step-1-protect-mcp',
      taskId: 1,
      testCode: "assert.equal((await postMcp(token)).status, 200);\nassert.equal((await fetch(`${PUBLIC_URL}/mcp?access_token=${token}`, { method: 'POST', body: initialize })).status, 401);",
      todo: 'verify',
      run: async (ctx) => {
        await ctx.sharedServer('sessions');
        const { access } = await tokensFor(ctx, ctx.user('alice'));
        assert.equal((await mcpStatus(ctx, access)).status, 200, 'the access token does not work in the Authorization header, so the refusals below would prove nothing');
        for (const name of ['access_token', 'token']) {
          const inUrl = await mcpStatus(ctx, undefined, { query: { [name]: access } });
          assert.equal(inUrl.status, 401, `POST /mcp?${name}=<a valid token> without an Authorization header answered ${inUrl.status}: a token in the URL lands in logs and history. Accept it only in the Authorization header.`);
        }
      },
    },
    {
      id: 'refresh-rotation',
      title: 'refresh tokens rotate, and reusing an old one revokes the session',
      points: 2,
      hint: 'exchangeRefreshToken: issue a new refresh token each time and mark the old one used; when a used one comes back, revoke the whole grant.',
      lessonStep: '#step-6-renewal-and-refresh',
      taskId: 4,
      testCode: "const next = await token({ grant_type: 'refresh_token', refresh_token: first });\nassert.notEqual(next.refresh_token, first);\nassert.equal((await token({ grant_type: 'refresh_token', refresh_token: first })).body.error, 'invalid_grant');\nassert.equal((await postMcp(next.access_token)).status, 401);",
      todo: 'refresh',
      run: async (ctx) => {
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
    },
    {
      id: 'revocation',
      title: 'a revoked session gets 401, and a revoked refresh token gives no new tokens',
      points: 1,
      hint: "Implement revokeToken for both kinds of token a client holds: end the grant behind an access or a refresh token; verifyAccessToken and the refresh grant must then refuse its tokens.",
      lessonStep: '#step-6-renewal-and-refresh',
      taskId: 4,
      testCode: "await post('/revoke', { token: access_token, client_id });\nassert.equal((await postMcp(access_token)).status, 401);\nawait post('/revoke', { token: refresh_token, client_id });\nassert.equal((await token({ grant_type: 'refresh_token', refresh_token })).body.error, 'invalid_grant');",
      todo: 'verify',
      run: async (ctx) => {
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
    },
    {
      id: 'no-leaks',
      title: 'the client secret and the Entra tokens never leave the server',
      points: 3,
      hint: "Keep Entra's tokens in MSAL's cache on the server and give clients only your own random tokens; never put the secret or a token in a response, a redirect or a log line.",
      lessonStep: '#step-5-your-own-tokens',
      taskId: 4,
      testCode: "await signInAndCallTool('alice');\nfor (const exchange of recordedHttp) assert.ok(!containsAny(exchange, [CLIENT_SECRET, ...entraTokens]));\nassert.ok(!containsAny(serverOutput, [CLIENT_SECRET, ...entraTokens]));",
      todo: 'callback',
      run: async (ctx) => {
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
    },
    {
      id: 'sessions-per-user',
      title: "two users' sessions at once: each sees only their own profile, and nobody can use another's session",
      points: 3,
      hint: 'One transport per MCP session (keyed by Mcp-Session-Id), remembering who opened it; refuse a request whose token belongs to someone else.',
      lessonStep: '#step-7-one-session-per-user',
      taskId: 5,
      testCode: "const [alice, bob] = await Promise.all([signIn('alice'), signIn('bob')]);\nassert.match(await profile(alice), /Alice/);\nassert.match(await profile(bob), /Bob/);\nassert.notEqual((await postMcp(bob.token, alice.sessionId)).status, 200);",
      todo: 'verify',
      run: async (ctx) => {
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
    },
  ],
});
