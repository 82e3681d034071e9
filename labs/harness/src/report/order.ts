import type { CheckMeta, CheckResult, LabManifest, LabResult } from '../model.ts';

/**
 * The checks of a result in the lab manifest's order. Outputs promise manifest
 * order (Exercism requires the tests file's order), and the engine may finish
 * checks in another order. A manifest check missing from the result (the lab
 * stopped before it) is listed as an error, so that CI counts every test;
 * checks the manifest does not know (an instructor's private pack) follow in
 * the order they ran. Without a manifest the result's own order is kept.
 */
export function orderedChecks(result: LabResult, manifest?: LabManifest): CheckResult[] {
  if (!manifest) return [...result.checks];
  if (manifest.id !== result.lab) throw new Error(`the manifest is for lab '${manifest.id}', the result for '${result.lab}'`);
  const byId = new Map(result.checks.map((check) => [check.id, check]));
  const ordered: CheckResult[] = [];
  for (const meta of manifest.checks) {
    const found = byId.get(meta.id);
    byId.delete(meta.id);
    ordered.push(found ?? notRun(meta, result));
  }
  return [...ordered, ...byId.values()];
}

function notRun(meta: CheckMeta, result: LabResult): CheckResult {
  return {
    id: meta.id,
    title: meta.title,
    status: 'error',
    points: 0,
    maxPoints: meta.points,
    visibility: meta.visibility,
    message: result.message ? `did not run: ${result.message}` : 'did not run: the lab stopped before this check',
    hint: meta.hint,
    lessonStep: meta.lessonStep,
    ...(meta.taskId === undefined ? {} : { taskId: meta.taskId }),
    testCode: meta.testCode,
    durationMs: 0,
  };
}
