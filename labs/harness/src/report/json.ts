import { z } from 'zod';
import type { LabManifest, LabResult } from '../model.ts';
import { HIDDEN_CHECK_FAILED, shownChecks } from './audience.ts';
import type { Audience } from './audience.ts';
import { orderedChecks } from './order.ts';

/**
 * The project's own results format (`check --format json`, `results.json` per
 * learner). Documented in docs/results-format.md; bump `schemaVersion` on any
 * change a reader could notice.
 */

const Status = z.enum(['pass', 'fail', 'error']);

/** A recorded flow event: the fields the diagram needs are checked; the details (headers, bodies, claims) pass as they are. */
const FlowEventJson = z.looseObject({
  id: z.string(),
  source: z.enum(['idp', 'runner']),
  type: z.string(),
  time: z.string(),
  summary: z.string(),
});

export const CheckResultJson = z
  .object({
    id: z.string().min(1),
    title: z.string().min(1),
    status: Status,
    points: z.number().min(0),
    maxPoints: z.number().min(0),
    visibility: z.enum(['visible', 'hidden']),
    message: z.string().optional(),
    output: z.string().optional(),
    hint: z.string(),
    lessonStep: z.string(),
    taskId: z.number().int().min(1).optional(),
    testCode: z.string(),
    durationMs: z.number().min(0),
    /** Instructor documents: a failed check's recorded flow (FlowEvent, labs/harness/src/flows/flow-model.ts), for report.html. */
    flow: z.array(FlowEventJson).optional(),
  })
  .strict();
export type CheckResultJson = z.infer<typeof CheckResultJson>;

/** What a learner sees of a hidden check that failed: that it exists and failed, nothing else. */
export const HiddenFailureJson = z
  .object({
    hidden: z.literal(true),
    status: z.literal('fail'),
    message: z.literal(HIDDEN_CHECK_FAILED),
  })
  .strict();
export type HiddenFailureJson = z.infer<typeof HiddenFailureJson>;

export const LabResultJson = z
  .object({
    schemaVersion: z.literal(1),
    audience: z.enum(['learner', 'instructor']),
    lab: z.string().min(1),
    status: Status,
    score: z.number().min(0),
    maxScore: z.number().min(0),
    message: z.string().optional(),
    startedAt: z.iso.datetime({ offset: true }),
    durationMs: z.number().min(0),
    submission: z.string(),
    registration: z.object({ appId: z.string(), source: z.enum(['lab-01-manifest', 'dotenv', 'seeded']), note: z.string().optional() }).strict().optional(),
    environment: z.object({ node: z.string(), platform: z.string(), harness: z.string() }).strict(),
    checks: z.array(z.union([CheckResultJson, HiddenFailureJson])),
  })
  .strict()
  .superRefine((doc, ctx) => {
    // The audience is a promise about the content: check it, so a reader can trust it.
    for (const [i, check] of doc.checks.entries()) {
      if (doc.audience === 'learner' && 'visibility' in check && check.visibility === 'hidden')
        ctx.addIssue({ code: 'custom', path: ['checks', i], message: 'a learner document shows a hidden check in full' });
      if (doc.audience === 'instructor' && 'hidden' in check)
        ctx.addIssue({ code: 'custom', path: ['checks', i], message: 'an instructor document anonymises a hidden check' });
    }
  });
export type LabResultJson = z.infer<typeof LabResultJson>;

export interface JsonOptions {
  audience: Audience;
  /** Orders the checks as the lab declares them (see orderedChecks). */
  manifest?: LabManifest;
}

/** The document as an object (for callers that embed it); `toJson` is its text. */
export function toJsonDocument(result: LabResult, options: JsonOptions): LabResultJson {
  const checks = shownChecks(orderedChecks(result, options.manifest), options.audience).map(
    (shown): CheckResultJson | HiddenFailureJson => {
      if (shown.kind === 'hidden-failure') return { hidden: true, status: 'fail', message: HIDDEN_CHECK_FAILED };
      const c = shown.check;
      // Copied field by field: a future field on CheckResult must be a decision here, not a leak.
      return {
        id: c.id,
        title: c.title,
        status: c.status,
        points: c.points,
        maxPoints: c.maxPoints,
        visibility: c.visibility,
        ...(c.message === undefined ? {} : { message: c.message }),
        ...(c.output === undefined ? {} : { output: c.output }),
        hint: c.hint,
        lessonStep: c.lessonStep,
        ...(c.taskId === undefined ? {} : { taskId: c.taskId }),
        testCode: c.testCode,
        durationMs: c.durationMs,
        // What the IdP and the server exchanged is for the instructor's report, not a learner's copy.
        ...(c.flow && options.audience === 'instructor' ? { flow: c.flow.map((e) => ({ ...e })) } : {}),
      };
    },
  );
  return {
    schemaVersion: 1,
    audience: options.audience,
    lab: result.lab,
    status: result.status,
    score: result.score,
    maxScore: result.maxScore,
    ...(result.message === undefined ? {} : { message: result.message }),
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    submission: result.submission,
    ...(result.registration ? { registration: { ...result.registration } } : {}),
    environment: { node: result.environment.node, platform: result.environment.platform, harness: result.environment.harness },
    checks,
  };
}

/** `results.json`: the document, pretty-printed, with a final newline. */
export function toJson(result: LabResult, options: JsonOptions): string {
  return `${JSON.stringify(toJsonDocument(result, options), null, 2)}\n`;
}
