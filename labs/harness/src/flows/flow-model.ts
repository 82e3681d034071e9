/** The languages a flow's words come in (the course's languages). */
export type Lang = 'en' | 'nl';

/**
 * A flow diagram as data: who takes part, which arrows there are, and which
 * events light each arrow. Adding a lab's flow is adding one of these
 * (labs/harness/src/flows/<lab>.ts) — the mapping (map-events.ts), the
 * Mermaid source (to-mermaid.ts), the course's pages and the grader's
 * report.html (report/flow-svg.ts) do the rest. Pure data and functions: the
 * course's browser code imports them too.
 */

/** One thing that happened: an IdP trace event (docs/trace-events.md) or a step the site's runner took itself. */
export interface FlowEvent {
  /** `idp:<trace id>` or `run:<n>`: unique within a run. */
  id: string;
  source: 'idp' | 'runner';
  /** The trace type (`token`, `devicecode`, …), or the runner's: `mcp.call`, `mcp.result`, `user.prompt`, `http` (an exchange with the lab's server), `problem`. */
  type: string;
  time: string;
  summary: string;
  tenantId?: string;
  clientId?: string;
  /** IdP events carry their headers too, credentials as fingerprints (mock-idp's trace-headers.ts). */
  http?: { method: string; path: string; status: number; requestHeaders?: Record<string, string>; responseHeaders?: Record<string, string> };
  grantType?: string;
  user?: { oid: string; username: string };
  scopes?: string[];
  claims?: Record<string, unknown>;
  error?: { error: string; aadsts?: number; description?: string };
  detail?: Record<string, unknown>;
  /** The arrow this event belongs on, when the runner knows better than the matchers. */
  arrow?: string;
  /** For runner failures: what to do about it. */
  fix?: string;
}

export interface EventMatch {
  type: string;
  /** Token events: the grant, e.g. `device_code` matches `urn:ietf:params:oauth:grant-type:device_code` too. */
  grant?: string;
  /** Matches only events whose error code is one of these. */
  errors?: readonly string[];
  /** HTTP exchanges (the recording proxy's, type `http`) and IdP requests: the method, a path prefix, the status. */
  method?: string;
  path?: string;
  status?: number;
}

export interface FlowArrow {
  id: string;
  from: string;
  to: string;
  label: Record<Lang, string>;
  /** An answer (drawn dashed). */
  reply?: boolean;
  /** Events that light this arrow (an event with an error makes it failed, unless the error is one of `expectedErrors`). */
  lights: readonly EventMatch[];
  /**
   * Error codes this arrow exists to show (a refusal, a 429): such an answer
   * is the step done as it should be, so it lights the arrow; any other error
   * still fails it.
   */
  expectedErrors?: readonly string[];
  /** Events that mean the arrow is under way but not done: polling, a page shown to a person. */
  waits?: readonly EventMatch[];
  /** Said in the step list when the arrow waits for the learner. */
  waitingFor?: Record<Lang, string>;
  /** A step a flow may leave out (consent given before); said why when the flow ends without it. */
  optional?: Record<Lang, string>;
}

export interface FlowDefinition {
  /** The lab folder this flow belongs to. */
  lab: string;
  title: Record<Lang, string>;
  participants: readonly { id: string; label: Record<Lang, string> }[];
  arrows: readonly FlowArrow[];
  /** The arrow a failure the runner reports belongs on, by where it happened (`problem` events with `detail.stage`). */
  stages: Readonly<Record<ProblemStage, string>>;
}

/** Where a live run can fail before any trace shows it: the IdP is down, the server does not start, the MCP exchange breaks. */
export type ProblemStage = 'idp' | 'server' | 'mcp';

export type ArrowState = 'idle' | 'waiting' | 'lit' | 'failed' | 'skipped';
