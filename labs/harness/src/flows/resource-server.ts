import type { FlowDefinition } from './flow-model.ts';

/**
 * Lab 05: a remote MCP server (Streamable HTTP) that is a resource server of
 * Entra. The MCP client learns from the server's protected-resource metadata
 * where to sign in, signs the learner in at Entra with its pre-registered
 * client ID, and sends Entra's access token (audience: the server) with every
 * request; the server validates it against Entra's keys and calls Graph with
 * an on-behalf-of token of its own. Arrows lit by `http` events are the
 * recording proxy's exchanges with the server; the others are the IdP's trace.
 */
export const RESOURCE_SERVER_FLOW: FlowDefinition = {
  lab: '05-resource-server',
  title: { en: 'Lab 05: an MCP server that accepts Entra’s tokens and calls Graph on-behalf-of', nl: 'Lab 05: een MCP-server die tokens van Entra aanneemt en Graph on-behalf-of aanroept' },
  participants: [
    { id: 'client', label: { en: 'MCP client', nl: 'MCP-client' } },
    { id: 'user', label: { en: 'You (browser)', nl: 'Jij (browser)' } },
    { id: 'server', label: { en: 'MCP server (lab 05)', nl: 'MCP-server (lab 05)' } },
    { id: 'idp', label: { en: 'Entra ID (mock)', nl: 'Entra ID (mock)' } },
    { id: 'graph', label: { en: 'Microsoft Graph (mock)', nl: 'Microsoft Graph (mock)' } },
  ],
  arrows: [
    {
      id: 'server-metadata',
      from: 'server',
      to: 'idp',
      label: { en: 'At start: GET openid-configuration (issuer, jwks_uri)', nl: 'Bij het starten: GET openid-configuration (issuer, jwks_uri)' },
      lights: [{ type: 'discovery' }],
    },
    { id: 'unauthorized', from: 'client', to: 'server', label: { en: 'POST /mcp without a token → 401 + resource_metadata', nl: 'POST /mcp zonder token → 401 + resource_metadata' }, lights: [{ type: 'http', method: 'POST', path: '/mcp', status: 401 }] },
    {
      id: 'resource-metadata',
      from: 'client',
      to: 'server',
      label: { en: 'GET protected resource metadata: Entra, and the scope to ask for', nl: 'GET protected resource metadata: Entra, en de scope om te vragen' },
      lights: [{ type: 'http', method: 'GET', path: '/.well-known/oauth-protected-resource' }],
    },
    { id: 'entra-metadata', from: 'client', to: 'idp', label: { en: 'GET Entra’s openid-configuration (v2.0)', nl: 'GET openid-configuration van Entra (v2.0)' }, lights: [{ type: 'discovery' }] },
    {
      id: 'prompt',
      from: 'client',
      to: 'user',
      reply: true,
      label: { en: 'Opens Entra’s /authorize in your browser', nl: 'Opent /authorize van Entra in je browser' },
      lights: [{ type: 'user.prompt' }],
    },
    {
      id: 'entra-authorize',
      from: 'user',
      to: 'idp',
      label: { en: 'GET /authorize (pre-registered client ID, PKCE, api://…/user_impersonation)', nl: 'GET /authorize (vooraf geregistreerde client-ID, PKCE, api://…/user_impersonation)' },
      lights: [{ type: 'authorize' }],
    },
    {
      id: 'sign-in',
      from: 'user',
      to: 'idp',
      label: { en: 'Sign in', nl: 'Aanmelden' },
      lights: [{ type: 'signin' }],
      waits: [{ type: 'signin.page' }],
      waitingFor: { en: 'Waiting for you to sign in', nl: 'Wacht tot je je aanmeldt' },
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
    { id: 'code', from: 'idp', to: 'user', reply: true, label: { en: 'Code for the MCP client', nl: 'Code voor de MCP-client' }, lights: [{ type: 'authorize.result' }] },
    {
      id: 'client-token',
      from: 'client',
      to: 'idp',
      label: { en: 'POST /token (code + PKCE verifier): an access token for the server', nl: 'POST /token (code + PKCE-verifier): een access token voor de server' },
      lights: [{ type: 'token', grant: 'authorization_code' }],
    },
    {
      id: 'tool-call',
      from: 'client',
      to: 'server',
      label: { en: 'POST /mcp with Entra’s token: initialize, tools/call', nl: 'POST /mcp met het token van Entra: initialize, tools/call' },
      lights: [{ type: 'http', method: 'POST', path: '/mcp', status: 200 }, { type: 'mcp.call' }],
    },
    {
      id: 'jwks',
      from: 'server',
      to: 'idp',
      label: { en: 'GET the signing keys (JWKS), to verify the token', nl: 'GET de ondertekeningssleutels (JWKS), om het token te verifiëren' },
      lights: [{ type: 'jwks' }],
      optional: { en: 'skipped: the server had the keys already', nl: 'overgeslagen: de server had de sleutels al' },
    },
    {
      id: 'obo',
      from: 'server',
      to: 'idp',
      label: { en: 'POST /token on-behalf-of (the user’s token + the server’s credential)', nl: 'POST /token on-behalf-of (het token van de gebruiker + de credential van de server)' },
      lights: [{ type: 'token', grant: 'jwt-bearer' }],
      optional: { en: 'skipped: MSAL had a Graph token for this user in its cache', nl: 'overgeslagen: MSAL had een Graph-token voor deze gebruiker in zijn cache' },
    },
    { id: 'graph-me', from: 'server', to: 'graph', label: { en: 'GET /me with the server’s own Graph token', nl: 'GET /me met het eigen Graph-token van de server' }, lights: [{ type: 'graph' }] },
    { id: 'tool-result', from: 'server', to: 'client', reply: true, label: { en: 'The user’s profile (no token)', nl: 'Het profiel van de gebruiker (geen token)' }, lights: [{ type: 'mcp.result' }] },
  ],
  stages: { idp: 'entra-authorize', server: 'unauthorized', mcp: 'tool-result' },
};
