import type { FlowArrow, FlowDefinition } from './flow-model.ts';
import { CONFIDENTIAL_CLIENT_FLOW } from './confidential-client.ts';

/** Lab 03's sign-in, as it is: lab 04's server signs people in the same way (over HTTPS). */
const SIGN_IN: readonly FlowArrow[] = CONFIDENTIAL_CLIENT_FLOW.arrows.filter((a) => !['tool-call', 'graph-me', 'tool-result'].includes(a.id));

/**
 * Lab 04: lab 03's server in production. After the sign-in, three tool
 * calls show two of its practices at work: the privileged tool refused for
 * lack of an app role, a profile call while Graph throttles (the retries
 * after Retry-After, then "try again later"), and the same call once Graph
 * lets it through. The runner names the arrow of its own events (the three
 * calls look alike on the wire); the IdP's trace lights Graph's answers by
 * their status.
 */
export const BEST_PRACTICES_FLOW: FlowDefinition = {
  lab: '04-best-practices',
  title: { en: 'Lab 04: app roles and back-off on a production MCP server', nl: 'Lab 04: app-rollen en back-off op een MCP-server in productie' },
  participants: CONFIDENTIAL_CLIENT_FLOW.participants.map((p) => (p.id === 'server' ? { id: 'server', label: { en: 'MCP server (lab 04, HTTPS)', nl: 'MCP-server (lab 04, HTTPS)' } } : p)),
  arrows: [
    ...SIGN_IN,
    {
      id: 'admin-call',
      from: 'client',
      to: 'server',
      label: { en: 'tools/call list_sessions (needs Tools.Admin)', nl: 'tools/call list_sessions (vraagt Tools.Admin)' },
      lights: [{ type: 'mcp.call' }],
    },
    {
      id: 'admin-denied',
      from: 'server',
      to: 'client',
      reply: true,
      label: { en: 'Refused: your token lacks Tools.Admin (audited)', nl: 'Geweigerd: je token mist Tools.Admin (in het auditlog)' },
      lights: [{ type: 'mcp.result' }],
      // The refusal is the point of this step; an answer without it is what fails it (the runner's `not_refused`).
      expectedErrors: ['tool_error'],
    },
    {
      id: 'throttled-call',
      from: 'client',
      to: 'server',
      label: { en: 'tools/call get_user_details while Graph throttles', nl: 'tools/call get_user_details terwijl Graph afknijpt' },
      lights: [{ type: 'mcp.call' }],
    },
    {
      id: 'graph-429',
      from: 'server',
      to: 'graph',
      label: { en: 'GET /me → 429; again after Retry-After, with jitter, three times at most', nl: 'GET /me → 429; opnieuw na Retry-After, met jitter, hooguit drie keer' },
      lights: [{ type: 'graph', status: 429 }],
      expectedErrors: ['TooManyRequests'],
    },
    {
      id: 'try-later',
      from: 'server',
      to: 'client',
      reply: true,
      label: { en: '“Try again later”: a tool error, no hang', nl: '“Probeer het later opnieuw”: een toolfout, geen hangende aanroep' },
      lights: [{ type: 'mcp.result' }],
      expectedErrors: ['tool_error'],
    },
    {
      id: 'tool-call',
      from: 'client',
      to: 'server',
      label: { en: 'tools/call get_user_details, Graph calm again', nl: 'tools/call get_user_details, Graph weer rustig' },
      // The runner's call only: every POST /mcp of this flow answers 200, the refused and throttled calls too.
      lights: [{ type: 'mcp.call' }],
    },
    { id: 'graph-me', from: 'server', to: 'graph', label: { en: 'GET /me with Entra’s token', nl: 'GET /me met het token van Entra' }, lights: [{ type: 'graph', status: 200 }] },
    { id: 'tool-result', from: 'server', to: 'client', reply: true, label: { en: 'The user’s profile', nl: 'Het profiel van de gebruiker' }, lights: [{ type: 'mcp.result' }] },
  ],
  stages: { idp: 'entra-authorize', server: 'unauthorized', mcp: 'tool-result' },
};
