import { describe, expect, it } from 'vitest';
import type { FlowEvent } from '../src/flows/flow-model.ts';
import { FLOWS } from '../src/flows/index.ts';
import { mapEvents } from '../src/flows/map-events.ts';
import { CONFIDENTIAL_CLIENT_FLOW } from '../src/flows/confidential-client.ts';
import { PUBLIC_CLIENT_FLOW } from '../src/flows/public-client.ts';
import { RESOURCE_SERVER_FLOW } from '../../../labs/harness/src/flows/resource-server.ts';
import { BEST_PRACTICES_FLOW } from '../../../labs/harness/src/flows/best-practices.ts';
import { toMermaid } from '../src/flows/to-mermaid.ts';
import { problemText } from '../src/flows/text.ts';
import { doneMessage } from '../src/flows/done-message.ts';

const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';
let n = 0;
function event(type: string, extra: Partial<FlowEvent> = {}): FlowEvent {
  n += 1;
  return { id: `idp:${n}`, source: type.startsWith('mcp.') || type === 'user.prompt' || type === 'problem' ? 'runner' : 'idp', type, time: new Date(n * 1000).toISOString(), summary: type, ...extra };
}
const verify = (method: string, path: string, status: number) => event('devicecode.verify', { http: { method, path, status } });
const pending = () => event('token', { grantType: DEVICE, error: { error: 'authorization_pending', aadsts: 70016 } });

/** A first sign-in as the IdP traced it for lab 02's solution (order taken from a real run). */
function firstSignIn(): FlowEvent[] {
  return [
    event('mcp.call'),
    event('discovery'),
    event('devicecode', { scopes: ['User.Read', 'openid', 'profile', 'offline_access'] }),
    pending(),
    event('user.prompt', { detail: { userCode: 'ABCD-EFGH' } }),
    verify('GET', '/devicelogin', 200),
    verify('POST', '/devicelogin', 200),
    verify('POST', '/devicelogin', 303),
    pending(),
    event('signin.page'),
    event('signin', { user: { oid: 'o', username: 'bob@contoso.test' } }),
    verify('GET', '/devicelogin/uid', 303),
    event('consent.page'),
    event('consent'),
    event('token', { grantType: DEVICE, claims: { aud: '00000003-0000-0000-c000-000000000000' } }),
    event('graph', { http: { method: 'GET', path: '/graph/v1.0/me', status: 200 } }),
    event('mcp.result'),
  ];
}

describe('trace to arrows (lab 02)', () => {
  it('lights every arrow of a first sign-in, in the order of the diagram', () => {
    const view = mapEvents(PUBLIC_CLIENT_FLOW, firstSignIn(), { finished: true });
    expect(view.litOrder).toEqual(PUBLIC_CLIENT_FLOW.arrows.map((a) => a.id));
    expect(view.arrows.every((a) => a.state === 'lit')).toBe(true);
    expect(view.unmatched).toEqual([]);
  });

  it('shows the token arrow waiting while the server polls, and the sign-in waiting on its page', () => {
    const events = firstSignIn();
    const pageOpen = mapEvents(PUBLIC_CLIENT_FLOW, events.slice(0, 6)).arrows.find((a) => a.id === 'enter-code');
    expect(pageOpen?.state).toBe('waiting'); // the person has the page, not yet the code in it
    const whileSigningIn = mapEvents(PUBLIC_CLIENT_FLOW, events.slice(0, 10));
    const state = (id: string) => whileSigningIn.arrows.find((a) => a.id === id)?.state;
    expect(state('token')).toBe('waiting');
    expect(state('sign-in')).toBe('waiting');
    expect(state('enter-code')).toBe('lit');
    expect(whileSigningIn.arrows.find((a) => a.id === 'enter-code')?.litBy?.http?.method).toBe('POST'); // the code sent, not the page shown
    expect(state('graph-me')).toBe('idle');
    expect(whileSigningIn.litOrder).toEqual(['tool-call', 'discovery', 'device-code', 'prompt', 'enter-code']);
  });

  it('marks consent skipped when it was given before, once the flow has finished', () => {
    const events = firstSignIn().filter((e) => e.type !== 'consent' && e.type !== 'consent.page');
    expect(mapEvents(PUBLIC_CLIENT_FLOW, events).arrows.find((a) => a.id === 'consent')?.state).toBe('idle');
    expect(mapEvents(PUBLIC_CLIENT_FLOW, events, { finished: true }).arrows.find((a) => a.id === 'consent')?.state).toBe('skipped');
  });

  it('when the IdP remembered the person, the sign-in is skipped and the done line says so (never "every step ran" beside "not yet")', () => {
    const remembered = firstSignIn().filter((e) => e.type !== 'signin' && e.type !== 'signin.page');
    const view = mapEvents(PUBLIC_CLIENT_FLOW, remembered, { finished: true });
    expect(view.arrows.find((a) => a.id === 'sign-in')?.state).toBe('skipped');
    expect(view.arrows.every((a) => a.state !== 'idle')).toBe(true);
    const en = doneMessage(PUBLIC_CLIENT_FLOW, remembered, 'en');
    expect(en).toContain('Sign in (skipped: you were already signed in at the identity provider)');
    expect(en).not.toContain('every step');
    expect(doneMessage(PUBLIC_CLIENT_FLOW, remembered, 'nl')).toContain('je was al aangemeld');
    expect(doneMessage(PUBLIC_CLIENT_FLOW, firstSignIn(), 'en')).toBe('Done: every step of the flow ran.');
  });

  it('fails the arrow where the trace says it failed, and lights it when a retry succeeds', () => {
    const wrongPassword = () => event('signin', { error: { error: 'invalid_grant', aadsts: 50126, description: 'AADSTS50126: Error validating credentials due to invalid username or password.' } });
    const failed = mapEvents(PUBLIC_CLIENT_FLOW, [event('mcp.call'), event('signin.page'), wrongPassword()]).arrows.find((a) => a.id === 'sign-in');
    expect(failed?.state).toBe('failed');
    expect(failed?.problem?.message).toContain('AADSTS50126');
    const retried = mapEvents(PUBLIC_CLIENT_FLOW, [event('mcp.call'), event('signin.page'), wrongPassword(), event('signin.page'), event('signin')]).arrows.find((a) => a.id === 'sign-in');
    expect(retried?.state).toBe('lit');
    expect(retried?.problem).toBeUndefined();
    const expired = mapEvents(PUBLIC_CLIENT_FLOW, [pending(), event('token', { grantType: DEVICE, error: { error: 'expired_token', aadsts: 70019 } })]);
    expect(expired.arrows.find((a) => a.id === 'token')?.state).toBe('failed');
  });

  it('puts a failure the runner saw on the arrow it names, with its fix', () => {
    const down = event('problem', { summary: 'No lab IdP answers at https://localhost:8443', detail: { stage: 'idp' }, fix: 'Start the lab with `npm start`.' });
    const view = mapEvents(PUBLIC_CLIENT_FLOW, [event('mcp.call'), down]);
    expect(view.arrows.find((a) => a.id === 'discovery')).toMatchObject({ state: 'failed', problem: { message: 'No lab IdP answers at https://localhost:8443', fix: 'Start the lab with `npm start`.' } });
  });

  it('says, for a server that did not start, the lab’s own serve command in the page’s language (not `npm start` in the lab folder)', () => {
    const command = 'npm run lab -- serve 03-confidential-client';
    const failed = event('problem', { summary: 'The lab’s server did not start: exit 1', detail: { stage: 'server', code: 'SERVER_DID_NOT_START', command } });
    const view = mapEvents(CONFIDENTIAL_CLIENT_FLOW, [failed]);
    const problem = view.arrows.find((a) => a.state === 'failed')?.problem;
    expect(problem?.command).toBe(command);
    for (const lang of ['en', 'nl'] as const) {
      const said = problemText(problem?.code, lang, problem?.command);
      expect(said?.fix).toContain(`\`${command}\``);
      expect(said?.fix).not.toContain('npm start');
    }
  });

  it('lights the same arrows again for a second, silent call, and keeps events it cannot draw', () => {
    const events = [...firstSignIn(), event('mcp.call'), event('graph'), event('mcp.result'), event('jwks')];
    const view = mapEvents(PUBLIC_CLIENT_FLOW, events);
    expect(view.arrows.find((a) => a.id === 'graph-me')?.events).toHaveLength(2);
    expect(view.arrows.find((a) => a.id === 'tool-call')?.events).toHaveLength(2);
    expect(view.unmatched.map((e) => e.type)).toEqual(['jwks']);
  });
});

describe('trace to arrows (lab 03)', () => {
  const at = (ms: number) => new Date(Date.UTC(2026, 10, 26, 8, 44, 9, ms)).toISOString();
  const http = (ms: number, method: string, path: string, status: number): FlowEvent => ({ id: `run:${ms}`, source: 'runner', type: 'http', time: at(ms), summary: `${method} ${path}`, http: { method, path, status } });
  const idp = (ms: number, type: string, extra: Partial<FlowEvent> = {}): FlowEvent => ({ id: `idp:${ms}`, source: 'idp', type, time: at(ms), summary: type, ...extra });
  const runner = (ms: number, type: string): FlowEvent => ({ id: `run:${ms}`, source: 'runner', type, time: at(ms), summary: type });

  /** As a real run delivered them: the proxy's exchanges and the IdP's trace arrive interleaved, out of time order. */
  const arrived: FlowEvent[] = [
    http(43, 'POST', '/mcp', 401),
    http(60, 'GET', '/.well-known/oauth-protected-resource/mcp', 200),
    http(67, 'GET', '/.well-known/oauth-authorization-server', 200),
    idp(127, 'discovery'),
    idp(150, 'authorize'),
    idp(157, 'signin.page'),
    http(75, 'POST', '/register', 201),
    runner(80, 'user.prompt'),
    http(98, 'GET', '/authorize?client_id=x', 200),
    http(107, 'POST', '/consent', 302),
    idp(202, 'signin'),
    idp(209, 'authorize'),
    idp(213, 'consent.page'),
    idp(216, 'consent'),
    idp(223, 'authorize.result'),
    idp(244, 'token', { grantType: 'authorization_code' }),
    http(227, 'GET', '/auth/callback', 302),
    runner(337, 'mcp.call'),
    idp(354, 'graph'),
    runner(362, 'mcp.result'),
    http(269, 'POST', '/token', 200),
    http(286, 'POST', '/mcp', 200),
    http(328, 'POST', '/mcp', 202),
  ];

  it('lights every arrow in the order of the diagram, whatever order the two streams delivered them in', () => {
    const view = mapEvents(CONFIDENTIAL_CLIENT_FLOW, arrived, { finished: true });
    expect(view.litOrder).toEqual(CONFIDENTIAL_CLIENT_FLOW.arrows.map((a) => a.id));
    expect(view.arrows.every((a) => a.state === 'lit')).toBe(true);
    expect(view.unmatched.map((e) => e.type)).toEqual(['discovery', 'http']); // the notification POST (202) has no arrow of its own
  });

  it('tells the 401 without a token from the calls with one', () => {
    const view = mapEvents(CONFIDENTIAL_CLIENT_FLOW, arrived);
    expect(view.arrows.find((a) => a.id === 'unauthorized')?.events.map((e) => e.http?.status)).toEqual([401]);
    expect(view.arrows.find((a) => a.id === 'tool-call')?.events.map((e) => e.type)).toEqual(['http', 'mcp.call']);
  });
});

describe('trace to arrows (lab 04)', () => {
  const at = (ms: number) => new Date(Date.UTC(2026, 11, 6, 3, 0, 0, ms)).toISOString();
  const http = (ms: number, method: string, path: string, status: number): FlowEvent => ({ id: `http:${ms}`, source: 'runner', type: 'http', time: at(ms), summary: `${method} ${path}`, http: { method, path, status } });
  const idp = (ms: number, type: string, extra: Partial<FlowEvent> = {}): FlowEvent => ({ id: `idp:${ms}`, source: 'idp', type, time: at(ms), summary: type, ...extra });
  const runner = (ms: number, type: string, arrow: string, extra: Partial<FlowEvent> = {}): FlowEvent => ({ id: `run:${ms}`, source: 'runner', type, time: at(ms), summary: type, arrow, ...extra });
  const toolError = { error: 'tool_error', description: 'This tool needs the app role Tools.Admin.' };
  const throttled = (ms: number) => idp(ms, 'graph', { http: { method: 'GET', path: '/graph/v1.0/me', status: 429 }, error: { error: 'TooManyRequests', description: 'Too many requests.' } });
  /** Lab 03's sign-in (its events), then the runner's three calls: every POST /mcp answers 200, the refused ones too. */
  const signIn: FlowEvent[] = [
    http(10, 'POST', '/mcp', 401),
    http(20, 'GET', '/.well-known/oauth-protected-resource/mcp', 200),
    http(30, 'GET', '/.well-known/oauth-authorization-server', 200),
    http(40, 'POST', '/register', 201),
    { id: 'run:50', source: 'runner', type: 'user.prompt', time: at(50), summary: 'prompt' },
    http(60, 'GET', '/authorize', 200),
    http(70, 'POST', '/consent', 302),
    idp(80, 'authorize'),
    idp(90, 'signin'),
    idp(100, 'consent'),
    idp(110, 'authorize.result'),
    http(120, 'GET', '/auth/callback', 302),
    idp(130, 'token', { grantType: 'authorization_code' }),
    http(140, 'POST', '/token', 200),
    http(150, 'POST', '/mcp', 200), // initialize
  ];
  const calls = (adminResult: FlowEvent): FlowEvent[] => [
    runner(200, 'mcp.call', 'admin-call'),
    http(201, 'POST', '/mcp', 200),
    adminResult,
    runner(300, 'mcp.call', 'throttled-call'),
    http(301, 'POST', '/mcp', 200),
    throttled(310),
    throttled(320),
    throttled(330),
    runner(340, 'mcp.result', 'try-later', { error: { error: 'tool_error', description: 'Microsoft Graph is busy (throttled). Try again later.' } }),
    runner(400, 'mcp.call', 'tool-call'),
    http(401, 'POST', '/mcp', 200),
    idp(410, 'graph', { http: { method: 'GET', path: '/graph/v1.0/me', status: 200 } }),
    runner(420, 'mcp.result', 'tool-result'),
  ];

  it('lights the refusal and the 429s as the steps they are, in the order of the diagram: the MCP exchanges before the calls light nothing early', () => {
    const view = mapEvents(BEST_PRACTICES_FLOW, [...signIn, ...calls(runner(210, 'mcp.result', 'admin-denied', { error: toolError }))], { finished: true });
    expect(view.litOrder).toEqual(BEST_PRACTICES_FLOW.arrows.map((a) => a.id));
    expect(view.arrows.every((a) => a.state === 'lit')).toBe(true);
    expect(view.arrows.find((a) => a.id === 'graph-429')?.events).toHaveLength(3); // the server tried again after Retry-After
    expect(view.arrows.find((a) => a.id === 'admin-denied')?.litBy?.error?.description).toContain('Tools.Admin');
  });

  it('fails the refusal’s arrow when the privileged tool answered, and the 429 arrow on any other Graph error', () => {
    const answered = runner(210, 'mcp.result', 'admin-denied', { error: { error: 'not_refused', description: 'list_sessions answered' } });
    const view = mapEvents(BEST_PRACTICES_FLOW, [...signIn, ...calls(answered)]);
    expect(view.arrows.find((a) => a.id === 'admin-denied')).toMatchObject({ state: 'failed', problem: { message: 'not_refused: list_sessions answered' } });
    const refused = idp(310, 'graph', { http: { method: 'GET', path: '/graph/v1.0/me', status: 429 }, error: { error: 'InvalidAuthenticationToken', description: 'no' } });
    expect(mapEvents(BEST_PRACTICES_FLOW, [refused]).arrows.find((a) => a.id === 'graph-429')?.state).toBe('failed');
  });
});

describe('trace to arrows (lab 05)', () => {
  const at = (ms: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, 0, ms)).toISOString();
  const idp = (ms: number, type: string, extra: Partial<FlowEvent> = {}): FlowEvent => ({ id: `idp:${ms}`, source: 'idp', type, time: at(ms), summary: type, ...extra });
  const http = (ms: number, method: string, path: string, status: number): FlowEvent => ({ id: `http:${ms}`, source: 'runner', type: 'http', time: at(ms), summary: `${method} ${path}`, http: { method, path, status } });
  const runner = (ms: number, type: string): FlowEvent => ({ id: `runner:${ms}`, source: 'runner', type, time: at(ms), summary: type });
  /** A first run of lab 05's solution as the two streams delivered it (order and repeats taken from a real run; times made up). */
  const arrived: FlowEvent[] = [
    idp(10, 'discovery'),
    http(20, 'POST', '/mcp', 401),
    idp(40, 'discovery'),
    runner(50, 'user.prompt'),
    idp(60, 'authorize'),
    http(30, 'GET', '/.well-known/oauth-protected-resource/mcp', 200),
    idp(70, 'signin.page'),
    idp(80, 'signin'),
    idp(90, 'authorize'),
    idp(100, 'consent.page'),
    idp(110, 'consent'),
    idp(120, 'authorize.result'),
    idp(130, 'discovery'),
    idp(140, 'token', { grantType: 'authorization_code' }),
    idp(150, 'jwks'),
    http(145, 'GET', '/.well-known/oauth-protected-resource/mcp', 200),
    http(160, 'POST', '/mcp', 200),
    runner(170, 'mcp.call'),
    http(175, 'POST', '/mcp', 202),
    idp(180, 'discovery'),
    idp(190, 'token', { grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer' }),
    idp(200, 'graph', { http: { method: 'GET', path: '/graph/v1.0/me', status: 200 } }),
    runner(210, 'mcp.result'),
  ];

  it('lights every arrow of a first run, and tells the server’s start-up discovery from the client’s', () => {
    const view = mapEvents(RESOURCE_SERVER_FLOW, arrived, { finished: true });
    expect(view.arrows.every((a) => a.state === 'lit')).toBe(true);
    // The server fetches Entra's keys while it answers the first request that carries a token.
    expect(view.litOrder).toEqual(RESOURCE_SERVER_FLOW.arrows.map((a) => a.id).filter((id) => id !== 'jwks').toSpliced(10, 0, 'jwks'));
    expect(view.arrows.find((a) => a.id === 'server-metadata')?.events.map((e) => e.time)).toEqual([at(10)]);
    expect(view.arrows.find((a) => a.id === 'obo')?.events.map((e) => e.grantType)).toEqual(['urn:ietf:params:oauth:grant-type:jwt-bearer']);
    expect(view.arrows.find((a) => a.id === 'client-token')?.events.map((e) => e.grantType)).toEqual(['authorization_code']);
    expect(view.unmatched.map((e) => e.http?.status)).toEqual([202]); // the notification POST has no arrow of its own
  });

  it('marks the key fetch and the on-behalf-of exchange skipped when the server had both already', () => {
    const again = arrived.filter((e) => e.type !== 'jwks' && e.grantType !== 'urn:ietf:params:oauth:grant-type:jwt-bearer');
    const view = mapEvents(RESOURCE_SERVER_FLOW, again, { finished: true });
    expect(view.arrows.filter((a) => a.state === 'skipped').map((a) => a.id)).toEqual(['jwks', 'obo']);
  });
});

describe('flows as data', () => {
  for (const flow of Object.values(FLOWS)) {
    it(`${flow.lab}: arrows name known participants, ids are unique, the Mermaid source has one message per arrow`, () => {
      const participants = new Set(flow.participants.map((p) => p.id));
      for (const arrow of flow.arrows) {
        expect(participants.has(arrow.from), arrow.id).toBe(true);
        expect(participants.has(arrow.to), arrow.id).toBe(true);
        expect(arrow.label.nl, arrow.id).toBeTruthy();
      }
      expect(new Set(flow.arrows.map((a) => a.id)).size).toBe(flow.arrows.length);
      for (const arrow of Object.values(flow.stages)) expect(flow.arrows.some((a) => a.id === arrow), arrow).toBe(true);
      for (const lang of ['en', 'nl'] as const) {
        const messages = toMermaid(flow, lang).split('\n').filter((l) => /->>|-->>/.test(l));
        expect(messages).toHaveLength(flow.arrows.length);
      }
    });
  }
});
