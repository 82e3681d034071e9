import fs from 'node:fs';
import path from 'node:path';
import { withExtraChecks, type LabDefinition } from '../define-lab.ts';
import { inLanguage, type CheckLang } from '../check-language.ts';
import type { CheckMeta, LabResult } from '../model.ts';
import { isRecordable, ProgressFileError, recordLabResult, type ProgressWrite } from '../progress.ts';
import { checkSubmission, type CheckSubmissionOptions } from './check-submission.ts';
import type { LabIdp } from './lab-idp.ts';
import { findLab, loadLab, WORK_ROOT, type LabFolder } from './labs.ts';
import { registrationBeside } from './learner-registration.ts';
import { idpForRun } from './run-idp.ts';

/** A lab as a run uses it, loaded once: its folder, and its definition with any check pack and language applied. */
export interface OpenLab {
  folder: LabFolder;
  definition: LabDefinition;
}

/** An instructor's private check pack for this lab: `<DIR>/<lab folder>/checks.ts` (docs/design.md §5); none there, the lab as it is. */
export async function withCheckPack(def: LabDefinition, packDir: string | undefined): Promise<LabDefinition> {
  if (!packDir) return def;
  const file = path.join(path.resolve(packDir), def.manifest.id, 'checks.ts');
  if (!fs.existsSync(file)) return def;
  return withExtraChecks(def, await loadLab(path.dirname(file)));
}

/** Loads a lab (named as docs/design.md §2 allows, or a folder already found) with an instructor's check pack, in a language. */
export async function openLab(lab: string | LabFolder, options: { checkPack?: string; lang?: CheckLang } = {}): Promise<OpenLab> {
  const folder = typeof lab === 'string' ? findLab(lab) : lab;
  const loaded = await withCheckPack(await loadLab(folder), options.checkPack);
  return { folder, definition: options.lang ? inLanguage(loaded, options.lang) : loaded };
}

export class UnknownCheckError extends Error {
  readonly code = 'UNKNOWN_CHECK';
  readonly fix: string;
  constructor(lab: LabDefinition, unknown: readonly string[]) {
    super(`${lab.manifest.id} has no check ${unknown.join(', ')}.`);
    this.name = 'UnknownCheckError';
    this.fix = `Its checks: ${lab.manifest.checks.map((c) => c.id).join(', ')}.`;
  }
}

export interface CheckLabOptions {
  /** The submission; default the learner's working copy, `work/<lab folder>/`. */
  dir?: string;
  /** Only these checks (their ids). A run of some checks is never recorded as progress. */
  only?: readonly string[];
  /** The IdP of the run, closed after it; default idpForRun() (the learner's running IdP, else a private one). */
  idp?: () => Promise<LabIdp>;
  /** The lab 01 manifest to grade with; default the one beside `dir` in its work tree. */
  registration?: CheckSubmissionOptions['registration'];
  /** Where to record the result (`.lab/progress.json`); none, not recorded. */
  progressFile?: string;
  /** Once the IdP is chosen, before the first check. */
  onStart?: (run: { lab: OpenLab; idp: LabIdp; dir: string; checks: string[] }) => void | Promise<void>;
  onCheckStart?: (check: CheckMeta) => void;
  onCheckEnd?: CheckSubmissionOptions['onCheckEnd'];
}

export interface CheckedLab {
  lab: OpenLab;
  dir: string;
  result: LabResult;
  /** Set when the result was recorded (a run of every check that checked something; see isRecordable). */
  recorded?: ProgressWrite;
  /** Set when the store refused the write (a file of a newer version, a lock never let go): why, with the fix. */
  notRecorded?: ProgressFileError;
}

/**
 * "Check a lab", the one way `mcp-lab check`/`watch` and the site's Check
 * button do it: the lab loaded once, the IdP picked, the checks run against
 * the submission, the IdP let go, the result recorded in progress.
 */
export async function checkLab(lab: string | LabFolder | OpenLab, options: CheckLabOptions = {}): Promise<CheckedLab> {
  const open = typeof lab === 'object' && 'definition' in lab ? lab : await openLab(lab);
  const { folder, definition } = open;
  const unknown = options.only?.filter((id) => !definition.manifest.checks.some((c) => c.id === id)) ?? [];
  if (unknown.length > 0) throw new UnknownCheckError(definition, unknown);
  const dir = path.resolve(options.dir ?? path.join(WORK_ROOT, folder.id));
  const idp = await (options.idp ?? (() => idpForRun()))();
  let result: LabResult;
  try {
    await options.onStart?.({ lab: open, idp, dir, checks: definition.manifest.checks.filter((c) => !options.only || options.only.includes(c.id)).map((c) => c.id) });
    result = await checkSubmission(definition, dir, {
      idp,
      registration: options.registration ?? registrationBeside(dir, folder.id),
      ...(options.only ? { only: options.only } : {}),
      ...(options.onCheckStart ? { onCheckStart: options.onCheckStart } : {}),
      ...(options.onCheckEnd ? { onCheckEnd: options.onCheckEnd } : {}),
    });
  } finally {
    await idp.close();
  }
  if (options.progressFile === undefined || options.only || !isRecordable(result)) return { lab: open, dir, result };
  try {
    return { lab: open, dir, result, recorded: await recordLabResult(options.progressFile, result) };
  } catch (error) {
    // The run is done and its result is worth showing: a store that refuses the write is said beside it, not instead of it.
    if (!(error instanceof ProgressFileError)) throw error;
    return { lab: open, dir, result, notRecorded: error };
  }
}
