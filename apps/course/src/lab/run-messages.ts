import type { FlowEvent } from '../flows/flow-model.ts';

/**
 * What the lab runner (apps/course/server/lab-runner.ts, a child process of
 * the site's server) writes, one JSON object per line, and the site streams
 * to the browser unchanged. Trace events are the IdP's (docs/trace-events.md).
 */
export interface CheckSummary {
  id: string;
  title: string;
  points: number;
  hint: string;
  lessonStep: string;
  visibility: 'visible' | 'hidden';
  /** The title and hint in Dutch (each check's `nl` in the lab's lab.json). */
  nl?: { title: string; hint: string };
}

export interface LabSummary {
  id: string;
  title: string;
  titleNl: string;
  transport: 'none' | 'stdio' | 'http';
  /** How the learner starts the server by hand (`npm run lab -- serve <lab>`); absent for a lab without one. */
  serveCommand?: string;
  checks: CheckSummary[];
}

export interface CheckOutcome {
  id: string;
  title: string;
  status: 'pass' | 'fail' | 'error';
  points: number;
  maxPoints: number;
  visibility: 'visible' | 'hidden';
  message?: string;
  /** What the server printed during the check (capped by the harness). */
  output?: string;
  hint?: string;
  lessonStep?: string;
  /** The troubleshooting page's entry for an error the message names (an AADSTS code…), per language. */
  troubleshooting?: { en: string; nl: string };
  durationMs: number;
}

export type RunMessage =
  | { type: 'run'; lab: string; dir: string; idp: { baseUrl: string; private: boolean }; checks: string[] }
  | { type: 'check-start'; id: string }
  | { type: 'check-end'; result: CheckOutcome; flow: FlowEvent[] }
  | { type: 'done'; status: 'pass' | 'fail' | 'error'; score: number; maxScore: number; message?: string; recorded: boolean }
  | { type: 'flow'; event: FlowEvent }
  /** The flow needs the person: a device code to enter at `verificationUri`, or a page to open in the browser (`browser`, no code). */
  | { type: 'user-action'; kind: 'device-code' | 'browser'; userCode: string; verificationUri: string }
  | { type: 'problem'; code: string; message: string; fix: string; /** The one command that helps (e.g. the lab's `serve`), for the page's own words. */ command?: string }
  | { type: 'finished'; ok: boolean; detail?: string };
