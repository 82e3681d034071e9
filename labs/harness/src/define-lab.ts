import type { z } from 'zod';
import type { CheckMeta} from './model.ts';
import { LabManifest } from './model.ts';
import type { CheckContext } from './engine/check-context.ts';

export type CheckRun = (ctx: CheckContext) => Promise<void>;

export type CheckDefinition = z.input<typeof CheckMeta> & { run: CheckRun };

export type LabInput = Omit<z.input<typeof LabManifest>, 'checks'> & { checks: CheckDefinition[] };

export interface LabDefinition {
  manifest: LabManifest;
  runs: ReadonlyMap<string, CheckRun>;
}

export class LabDefinitionError extends Error {
  readonly code = 'LAB_MANIFEST_INVALID';
}

/**
 * A lab's `checks.ts` default-exports `defineLab({...})`: its manifest (data,
 * validated here) and each check's `run`, which reads like an example client
 * asserting on the learner's server.
 */
export function defineLab(input: LabInput): LabDefinition {
  const { checks, ...rest } = input;
  const parsed = LabManifest.safeParse({ ...rest, checks: checks.map(({ run: _run, ...meta }) => meta) });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(lab)'}: ${i.message}`).join('; ');
    throw new LabDefinitionError(`The lab manifest of ${String(input.id)} is invalid: ${issues}`);
  }
  return { manifest: parsed.data, runs: new Map(checks.map((c) => [c.id, c.run])) };
}

/** Adds an instructor's private checks (from `--checks DIR`) to a lab. */
export function withExtraChecks(lab: LabDefinition, extra: LabDefinition | undefined): LabDefinition {
  if (!extra) return lab;
  const clash = extra.manifest.checks.find((c) => lab.runs.has(c.id));
  if (clash) throw new LabDefinitionError(`The check pack repeats the check id '${clash.id}' of ${lab.manifest.id}; give private checks their own ids.`);
  return {
    manifest: { ...lab.manifest, checks: [...lab.manifest.checks, ...extra.manifest.checks] },
    runs: new Map([...lab.runs, ...extra.runs]),
  };
}
