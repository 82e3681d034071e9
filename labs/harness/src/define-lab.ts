import type { z } from 'zod';
import type { CheckMeta, LabManifest } from './model.ts';
import { LabDefinitionError, parseLabManifest } from './lab-manifest.ts';
import type { CheckContext } from './engine/check-context.ts';

export { LabDefinitionError, type LabDefinitionCode } from './lab-manifest.ts';

export type CheckRun = (ctx: CheckContext) => Promise<void>;

/** A lab's manifest (lab.json) joined with the code of its checks (checks.ts): what the engine runs. */
export interface LabDefinition {
  manifest: LabManifest;
  runs: ReadonlyMap<string, CheckRun>;
}

const CHECKS = Symbol.for('mcp-lab.checks');

/** What a lab's `checks.ts` default-exports: each check's `run`, by check id. */
export interface LabChecks {
  readonly [CHECKS]: true;
  readonly runs: Readonly<Record<string, CheckRun>>;
}

/**
 * A lab's `checks.ts`: `export default defineChecks({ 'tools-list': async (ctx) => {…}, … })`.
 * Only code lives here; everything else about a check (title, hint, points…)
 * is data in the lab's `lab.json`, and loadLab holds the two to the same ids.
 */
export function defineChecks<const Id extends string>(runs: Record<Id, CheckRun>): LabChecks {
  return { [CHECKS]: true, runs: Object.freeze({ ...runs }) };
}

export function isLabChecks(value: unknown): value is LabChecks {
  return typeof value === 'object' && value !== null && (value as Partial<LabChecks>)[CHECKS] === true;
}

/** The check ids of a manifest and a checks module that do not meet: runs without an entry, entries without a run. */
export function checkIdMismatch(manifest: Pick<LabManifest, 'checks'>, checks: LabChecks): { withoutEntry: string[]; withoutRun: string[] } {
  const declared = new Set(manifest.checks.map((c) => c.id));
  return {
    withoutEntry: Object.keys(checks.runs).filter((id) => !declared.has(id)),
    withoutRun: manifest.checks.map((c) => c.id).filter((id) => !Object.hasOwn(checks.runs, id)),
  };
}

/**
 * Joins a lab's manifest with its checks' code. Every check in the manifest
 * needs a run and every run a manifest entry: a run nobody declared would
 * never be graded, an entry without code could never pass.
 */
export function joinLab(manifest: LabManifest, checks: LabChecks, where = manifest.id): LabDefinition {
  const { withoutEntry, withoutRun } = checkIdMismatch(manifest, checks);
  if (withoutEntry.length || withoutRun.length) {
    const said = [
      ...(withoutEntry.length ? [`checks.ts has code for ${withoutEntry.join(', ')}, which lab.json does not list`] : []),
      ...(withoutRun.length ? [`lab.json lists ${withoutRun.join(', ')}, which checks.ts has no code for`] : []),
    ];
    throw new LabDefinitionError(
      'LAB_CHECKS_MISMATCH',
      `The checks of ${where} disagree: ${said.join('; ')}.`,
      'Give each check id one entry in lab.json and one run in checks.ts (a renamed check is renamed in both; progress and gradebooks are keyed by the id).',
    );
  }
  return { manifest, runs: new Map(manifest.checks.map((c) => [c.id, checks.runs[c.id]!])) };
}

export type CheckDefinition = z.input<typeof CheckMeta> & { run: CheckRun };

export type LabInput = Omit<z.input<typeof LabManifest>, 'checks'> & { checks: CheckDefinition[] };

/**
 * A lab built in code, manifest and runs side by side: for tests and for
 * one-off runs (the course's live flow). The labs of the repository are
 * lab.json + checks.ts (loadLab).
 */
export function defineLab(input: LabInput): LabDefinition {
  const { checks, ...rest } = input;
  const manifest = parseLabManifest({ ...rest, checks: checks.map(({ run: _run, ...meta }) => meta) }, `of ${String(input.id)}`);
  return { manifest, runs: new Map(checks.map((c) => [c.id, c.run])) };
}

/** Adds an instructor's private checks (from `--checks DIR`) to a lab. */
export function withExtraChecks(lab: LabDefinition, extra: LabDefinition | undefined): LabDefinition {
  if (!extra) return lab;
  const clash = extra.manifest.checks.find((c) => lab.runs.has(c.id));
  if (clash) throw new LabDefinitionError('LAB_CHECK_PACK_CLASH', `The check pack repeats the check id '${clash.id}' of ${lab.manifest.id}.`, 'Give private checks ids of their own.');
  return {
    manifest: { ...lab.manifest, checks: [...lab.manifest.checks, ...extra.manifest.checks] },
    runs: new Map([...lab.runs, ...extra.runs]),
  };
}
