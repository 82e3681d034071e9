import type { FlowDefinition } from './flow-model.ts';

/**
 * Lab 03: a remote MCP server (Streamable HTTP) that is an OAuth
 * authorization server for MCP clients and a confidential client of Entra.
 * The MCP client finds the server's metadata, registers, sends the learner's
 * browser through the server's consent page to Entra and back to its
 * loopback redirect URI, and gets the server's own token; the server keeps Entra's tokens and calls Graph. Arrows lit by
 * `http` events are the recording proxy's exchanges with the server; the
 * others are the IdP's trace.
 */
export const CONFIDENTIAL_CLIENT_FLOW: FlowDefinition = {
  lab: '03-confidential-client',
  title: { en: 'Lab 03: an MCP server that signs its users in with Entra', nl: 'Lab 03: een MCP-server die zijn gebruikers laat aanmelden bij Entra' },
  participants: [
    { id: 'client', label: { en: 'MCP client', nl: 'MCP-client' } },
    { id: 'user', label: { en: 'You (browser)', nl: 'Jij (browser)' } },
    { id: 'server', label: { en: 'MCP server (lab 03)', nl: 'MCP-server (lab 03)' } },
    { id: 'idp', label: { en: 'Entra ID (mock)', nl: 'Entra ID (mock)' } },
    { id: 'graph', label: { en: 'Microsoft Graph (mock)', nl: 'Microsoft Graph (mock)' } },
  ],
  arrows: [
    { id: 'unauthorized', from: 'client', to: 'server', label: { en: 'POST /mcp without a token → 401', nl: 'POST /mcp zonder token → 401' }, lights: [{ type: 'http', method: 'POST', path: '/mcp', status: 401 }] },
    {
      id: 'resource-metadata',
      from: 'client',
      to: 'server',
      label: { en: 'GET protected resource metadata', nl: 'GET protected resource metadata' },
      lights: [{ type: 'http', method: 'GET', path: '/.well-known/oauth-protected-resource' }],
    },
    {
      id: 'server-metadata',
      from: 'client',
      to: 'server',
      label: { en: 'GET authorization server metadata', nl: 'GET authorization server metadata' },
      lights: [{ type: 'http', method: 'GET', path: '/.well-known/oauth-authorization-server' }],
    },
    { id: 'register', from: 'client', to: 'server', label: { en: 'POST /register (the client registers)', nl: 'POST /register (de client registreert zich)' }, lights: [{ type: 'http', method: 'POST', path: '/register' }] },
    {
      id: 'prompt',
      from: 'client',
      to: 'user',
      reply: true,
      label: { en: 'Opens /authorize in your browser', nl: 'Opent /authorize in je browser' },
      lights: [{ type: 'user.prompt' }],
    },
    {
      id: 'authorize',
      from: 'user',
      to: 'server',
      label: { en: 'GET /authorize (PKCE): the server’s consent page', nl: 'GET /authorize (PKCE): de toestemmingspagina van de server' },
      lights: [{ type: 'http', method: 'GET', path: '/authorize' }],
    },
    {
      id: 'server-consent',
      from: 'user',
      to: 'server',
      label: { en: 'Allow: on to Entra', nl: 'Toestaan: door naar Entra' },
      lights: [{ type: 'http', method: 'POST', path: '/consent' }],
    },
    { id: 'entra-authorize', from: 'user', to: 'idp', label: { en: 'GET /authorize (state, nonce, PKCE)', nl: 'GET /authorize (state, nonce, PKCE)' }, lights: [{ type: 'authorize' }] },
    {
      id: 'sign-in',
      from: 'user',
      to: 'idp',
      label: { en: 'Sign in', nl: 'Aanmelden' },
      lights: [{ type: 'signin' }],
      waits: [{ type: 'signin.page' }],
      waitingFor: { en: 'Waiting for you to sign in', nl: 'Wacht tot je je aanmeldt' },
      // The IdP's session cookie: a person signed in there a moment ago is not asked again.
      optional: { en: 'skipped: you were already signed in at the identity provider', nl: 'overgeslagen: je was al aangemeld bij de identity provider' },
    },
    {
      id: 'consent',
      from: 'user',
      to: 'idp',
      label: { en: 'Consent', nl: 'Toestemming' },
      lights: [{ type: 'consent' }],
      waits: [{ type: 'consent.page' }],
      waitingFor: { en: 'Waiting for your consent', nl: 'Wacht op je toestemming' },
      optional: { en: 'skipped: consent was given before', nl: 'overgeslagen: toestemming was al gegeven' },
    },
    { id: 'code', from: 'idp', to: 'user', reply: true, label: { en: 'Code for the server', nl: 'Code voor de server' }, lights: [{ type: 'authorize.result' }] },
    { id: 'callback', from: 'user', to: 'server', label: { en: 'GET /auth/callback (code, state)', nl: 'GET /auth/callback (code, state)' }, lights: [{ type: 'http', method: 'GET', path: '/auth/callback' }] },
    {
      id: 'redeem',
      from: 'server',
      to: 'idp',
      label: { en: 'POST /token (code + client secret)', nl: 'POST /token (code + client secret)' },
      lights: [{ type: 'token', grant: 'authorization_code' }],
    },
    { id: 'server-token', from: 'client', to: 'server', label: { en: 'POST /token: the server’s own token', nl: 'POST /token: het eigen token van de server' }, lights: [{ type: 'http', method: 'POST', path: '/token' }] },
    {
      id: 'tool-call',
      from: 'client',
      to: 'server',
      label: { en: 'POST /mcp with the Bearer token: initialize, tools/call', nl: 'POST /mcp met het Bearer-token: initialize, tools/call' },
      lights: [{ type: 'http', method: 'POST', path: '/mcp', status: 200 }, { type: 'mcp.call' }],
    },
    { id: 'graph-me', from: 'server', to: 'graph', label: { en: 'GET /me with Entra’s token', nl: 'GET /me met het token van Entra' }, lights: [{ type: 'graph' }] },
    { id: 'tool-result', from: 'server', to: 'client', reply: true, label: { en: 'The user’s profile', nl: 'Het profiel van de gebruiker' }, lights: [{ type: 'mcp.result' }] },
  ],
  stages: { idp: 'entra-authorize', server: 'unauthorized', mcp: 'tool-result' },
};
