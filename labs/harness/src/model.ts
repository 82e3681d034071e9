import { z } from 'zod';
import type { FlowEvent } from './flows/flow-model.ts';

/**
 * The data every lab declares about itself (docs/design.md §5): one manifest per lab,
 * `labs/<folder>/lab.json`, validated here; the engine is generic over it.
 */

/** The lab configuration contract (docs/design.md §5): the only variables a lab server reads. */
export const LAB_ENV_VARS = [
  'AUTHORITY_HOST',
  'TENANT_ID',
  'CLIENT_ID',
  'CLIENT_SECRET',
  'REDIRECT_URI',
  'GRAPH_BASE_URL',
  'PORT',
  'PUBLIC_URL',
  'LAB_AUTH_MODE',
  'LAB_CACHE_DIR',
  // Lab 04 (production practices): TLS, app roles, the audit log, the session store's key, and the credentials that replace a secret.
  'TLS_CERT_FILE',
  'TLS_KEY_FILE',
  'ROLES_SCOPE',
  'AUDIT_LOG',
  'AUDIT_LOG_MAX_BYTES',
  'TOKEN_STORE_KEY',
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'CLIENT_CERTIFICATE_FILE',
  /** Lab 05: the access token version the API is registered for (1 or 2; the manifest's requestedAccessTokenVersion). */
  'TOKEN_VERSION',
] as const;
export type LabEnvVar = (typeof LAB_ENV_VARS)[number];
export type LabEnv = Partial<Record<LabEnvVar, string>>;

export const CheckMeta = z
  .object({
    /** Stable across versions: progress and gradebooks are keyed by it. */
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'check ids are kebab-case'),
    title: z.string().min(1),
    points: z.number().int().min(0),
    /** What to try when the check fails; names the lesson step to reread. */
    hint: z.string().min(1),
    /** Hidden checks count toward the grade, but learners only see that a hidden check failed. */
    visibility: z.enum(['visible', 'hidden']).default('visible'),
    /** The anchor in the lab's README (and course page) this check belongs to, e.g. `#step-3-silent-sign-in`. */
    lessonStep: z.string().regex(/^#[a-z0-9-]+$/),
    /** Exercism's `task_id`: which task of the exercise the check belongs to. */
    taskId: z.number().int().min(1).optional(),
    /** What Exercism shows as the test's code: the assertion in a few readable lines. */
    testCode: z.string().min(1),
    /** The starter's `TODO(<marker>)` this check covers (the content check proves each TODO is covered). */
    todo: z.string().regex(/^[a-z0-9-]+$/).optional(),
    /** The title and hint in Dutch (check-language.ts); every check of a lab.json has them (lab-manifest.ts). */
    nl: z.strictObject({ title: z.string().min(1), hint: z.string().min(1) }).optional(),
  })
  .strict();
export type CheckMeta = z.infer<typeof CheckMeta>;

export const LabManifest = z
  .object({
    manifestVersion: z.literal(1),
    /** The folder name, canonical in every output (docs/design.md §2): `02-public-client`. */
    id: z.string().regex(/^\d\d-[a-z0-9]+(-[a-z0-9]+)*$/),
    title: z.string().min(1),
    titleNl: z.string().min(1),
    /** The course page of the lab, e.g. `/en/06-labs/02-public-client` (a test holds it to the course's URL). */
    lesson: z.string().startsWith('/'),
    /** How the checks talk to the submission. */
    transport: z.enum(['none', 'stdio', 'http']),
    /** How to start the submission's server (relative to its folder); absent for `none`. */
    start: z
      .object({
        command: z.array(z.string().min(1)).min(1),
        /** For HTTP servers: stdout/stderr line that says it listens (a regex). */
        ready: z.string().optional(),
      })
      .strict()
      .optional(),
    /** The docs/design.md §5 variables this lab's server reads. */
    env: z.array(z.enum(LAB_ENV_VARS)),
    /** The seeded app registration whose IDs fill CLIENT_ID (and CLIENT_SECRET) unless the learner's `.env` names one the IdP knows. */
    seededApp: z.enum(['publicClient', 'webServer', 'protectedApi']).optional(),
    timeouts: z
      .object({
        /** One check, including starting the server it needs. */
        checkMs: z.number().int().positive().default(20_000),
        /** The whole lab. */
        labMs: z.number().int().positive().default(120_000),
      })
      .strict()
      .default({ checkMs: 20_000, labMs: 120_000 }),
    /**
     * How many checks may run at once. Each extra lane signs in with a copy of
     * the run's app registration, so a check's trace, device codes and faults
     * (all filtered by CLIENT_ID) stay its own. Stdio labs only: an HTTP lab's
     * checks share one recording proxy, so they run one after another.
     */
    parallelChecks: z.number().int().min(1).max(4).default(1),
    checks: z.array(CheckMeta).min(1),
  })
  .strict()
  .superRefine((lab, ctx) => {
    const seen = new Set<string>();
    for (const [i, check] of lab.checks.entries()) {
      if (seen.has(check.id)) ctx.addIssue({ code: 'custom', path: ['checks', i, 'id'], message: `duplicate check id '${check.id}'` });
      seen.add(check.id);
    }
    if (lab.transport !== 'none' && !lab.start) ctx.addIssue({ code: 'custom', path: ['start'], message: `a ${lab.transport} lab needs 'start'` });
    if (lab.parallelChecks > 1 && lab.transport !== 'stdio') ctx.addIssue({ code: 'custom', path: ['parallelChecks'], message: `only stdio labs run checks in parallel (a ${lab.transport} lab's checks share one recording proxy)` });
  });
export type LabManifest = z.infer<typeof LabManifest>;

/** pass: the check held; fail: it did not; error: the check could not run (the submission hung, crashed, the IdP was down…). */
export type CheckStatus = 'pass' | 'fail' | 'error';

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  points: number;
  maxPoints: number;
  visibility: 'visible' | 'hidden';
  /** Why it failed or could not run, in words a learner can act on. */
  message?: string;
  /** Server output captured during the check (capped). */
  output?: string;
  /** Failed checks of labs with a flow diagram: what the IdP and the server exchanged during the check, secrets cut short (report.html draws it). */
  flow?: FlowEvent[];
  hint: string;
  lessonStep: string;
  taskId?: number;
  testCode: string;
  durationMs: number;
}

export interface LabResult {
  /** The lab folder name. */
  lab: string;
  /** pass: every check passed; fail: a check failed; error: the lab could not be checked. */
  status: CheckStatus;
  score: number;
  maxScore: number;
  checks: CheckResult[];
  /** When the whole lab could not run: why. */
  message?: string;
  /** ISO 8601 */
  startedAt: string;
  durationMs: number;
  /** The submission folder that was checked. */
  submission: string;
  /** The app registration the learner's server signed in with, and where it came from (labs with a seeded app). */
  registration?: { appId: string; source: 'lab-01-manifest' | 'dotenv' | 'seeded'; note?: string };
  environment: { node: string; platform: string; harness: string };
}
