import type { FlowDefinition } from './flow-model.ts';

const DEVICE_CODE = 'device_code';

/**
 * Lab 02: a stdio MCP server signs the user in with the device code flow
 * (MSAL PublicClientApplication) and calls Graph /me. One arrow per step a
 * learner should see; the events that light each one are the IdP's trace
 * types (docs/trace-events.md) and the runner's own (`mcp.*`, `user.prompt`).
 */
export const PUBLIC_CLIENT_FLOW: FlowDefinition = {
  lab: '02-public-client',
  title: { en: 'Lab 02: device code sign-in and a Graph call', nl: 'Lab 02: aanmelden met een apparaatcode en een Graph-aanroep' },
  participants: [
    { id: 'client', label: { en: 'MCP client', nl: 'MCP-client' } },
    { id: 'server', label: { en: 'MCP server (lab 02)', nl: 'MCP-server (lab 02)' } },
    { id: 'user', label: { en: 'You (browser)', nl: 'Jij (browser)' } },
    { id: 'idp', label: { en: 'Entra ID (mock)', nl: 'Entra ID (mock)' } },
    { id: 'graph', label: { en: 'Microsoft Graph (mock)', nl: 'Microsoft Graph (mock)' } },
  ],
  arrows: [
    { id: 'tool-call', from: 'client', to: 'server', label: { en: 'tools/call get_user_details', nl: 'tools/call get_user_details' }, lights: [{ type: 'mcp.call' }] },
    { id: 'discovery', from: 'server', to: 'idp', label: { en: 'GET openid-configuration', nl: 'GET openid-configuration' }, lights: [{ type: 'discovery' }] },
    { id: 'device-code', from: 'server', to: 'idp', label: { en: 'POST /devicecode (User.Read)', nl: 'POST /devicecode (User.Read)' }, lights: [{ type: 'devicecode' }] },
    {
      id: 'prompt',
      from: 'server',
      to: 'user',
      reply: true,
      label: { en: 'Go to /devicelogin, enter the code', nl: 'Ga naar /devicelogin, voer de code in' },
      lights: [{ type: 'user.prompt' }],
    },
    {
      id: 'enter-code',
      from: 'user',
      to: 'idp',
      label: { en: 'Enter the code', nl: 'Code invoeren' },
      // The page shown (GET) waits for the person; the code sent (POST) lights the arrow.
      lights: [{ type: 'devicecode.verify', method: 'POST' }],
      waits: [{ type: 'devicecode.verify', method: 'GET' }],
      waitingFor: { en: 'Waiting for you to enter the code', nl: 'Wacht tot je de code invoert' },
    },
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
      label: { en: 'Consent to User.Read', nl: 'Toestemming voor User.Read' },
      lights: [{ type: 'consent' }],
      waits: [{ type: 'consent.page' }],
      waitingFor: { en: 'Waiting for your consent', nl: 'Wacht op je toestemming' },
      optional: { en: 'skipped: consent was given before', nl: 'overgeslagen: toestemming was al gegeven' },
    },
    {
      id: 'token',
      from: 'server',
      to: 'idp',
      label: { en: 'POST /token (device_code) → tokens', nl: 'POST /token (device_code) → tokens' },
      lights: [{ type: 'token', grant: DEVICE_CODE }],
      waits: [{ type: 'token', grant: DEVICE_CODE, errors: ['authorization_pending', 'slow_down'] }],
      waitingFor: { en: 'Polling until you are done', nl: 'Vraagt steeds opnieuw tot je klaar bent' },
    },
    { id: 'graph-me', from: 'server', to: 'graph', label: { en: 'GET /me (Bearer token)', nl: 'GET /me (Bearer-token)' }, lights: [{ type: 'graph' }] },
    { id: 'tool-result', from: 'server', to: 'client', reply: true, label: { en: 'Your profile', nl: 'Je profiel' }, lights: [{ type: 'mcp.result' }] },
  ],
  stages: { idp: 'discovery', server: 'tool-call', mcp: 'tool-result' },
};
