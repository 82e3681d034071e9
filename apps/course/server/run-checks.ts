import path from 'node:path';
import { checkSubmission, findLab, loadLab, recordLabResult, troubleshootingAnchor, WORK_ROOT, type CheckResult, type GradingIdp, type LabResult } from '@mcp-lab/harness';
import type { CheckOutcome } from '../src/lab/run-messages.ts';
import type { FlowEvent } from '../src/flows/flow-model.ts';
import { labHome } from '../src/content/paths.ts';
import { emit } from './emit.ts';
import { fromTrace } from './flow-events.ts';
import { fromExchange } from './exchange-events.ts';
import { idpForSiteRun } from './run-idp.ts';

/** What a learner may see of a result: a hidden check shows only that it failed (as the CLI's reports do). */
function outcome(result: CheckResult): CheckOutcome {
  const base = { id: result.id, status: result.status, points: result.points, maxPoints: result.maxPoints, visibility: result.visibility, durationMs: result.durationMs };
  if (result.visibility === 'hidden') return { ...base, title: 'hidden' };
  const said = `${result.message ?? ''}\n${result.output ?? ''}`;
  const [en, nl] = [troubleshootingAnchor(said, 'en'), troubleshootingAnchor(said, 'nl')];
  return { ...base, ...(en && nl ? { troubleshooting: { en, nl } } : {}), title: result.title, hint: result.hint, lessonStep: result.lessonStep, ...(result.message ? { message: result.message } : {}), ...(result.output ? { output: result.output } : {}) };
}

/**
 * The trace of one check: the IdP's events after the previous check's last
 * one, up to the moment this check ended (checks run one after another, so
 * these are its own). Admin events (the harness's own look-ups) are left out.
 */
async function traceOf(idp: GradingIdp, since: number, endedAt: number): Promise<{ flow: FlowEvent[]; last: number }> {
  const events = (await idp.events(since)).filter((e) => Date.parse(e.time) <= endedAt);
  return { flow: events.filter((e) => e.type !== 'admin').map(fromTrace), last: events.at(-1)?.id ?? since };
}

/**
 * `check <lab> [--only a,b]`: the lab's checks against `work/<lab>/`, through
 * the harness (checkSubmission, as `mcp-lab check` runs them), each result
 * streamed with its hint and its recorded flow as soon as it is known. A run
 * of every check is recorded in `.lab/progress.json` by the harness's
 * recordLabResult, exactly as the CLI records it; a run of some checks is not.
 */
export async function runChecks(labName: string, only: string[] | undefined): Promise<number> {
  const folder = findLab(labName);
  const lab = await loadLab(folder);
  const dir = path.join(WORK_ROOT, folder.id);
  const unknown = only?.filter((id) => !lab.manifest.checks.some((c) => c.id === id)) ?? [];
  if (unknown.length) {
    emit({ type: 'problem', code: 'UNKNOWN_CHECK', message: `${folder.id} has no check ${unknown.join(', ')}.`, fix: `Its checks: ${lab.manifest.checks.map((c) => c.id).join(', ')}.` });
    return 64;
  }
  const idp = await idpForSiteRun({ allowPrivate: true });
  if (!idp) return 2;
  let result: LabResult;
  try {
    const checks = lab.manifest.checks.filter((c) => !only || only.includes(c.id)).map((c) => c.id);
    emit({ type: 'run', lab: folder.id, dir, idp: { baseUrl: idp.baseUrl, private: idp.ephemeral }, checks });
    let since = await idp.lastEventId();
    let pending: Promise<void> = Promise.resolve();
    result = await checkSubmission(lab, dir, {
      idp,
      ...(only ? { only } : {}),
      onCheckStart: (meta) => {
        pending = pending.then(() => emit({ type: 'check-start', id: meta.id }));
      },
      onCheckEnd: (checkResult, recorded) => {
        const endedAt = Date.now();
        // HTTP labs: what the recording proxy saw of the learner's server, beside the IdP's side.
        const server = recorded.exchanges.map(fromExchange);
        pending = pending.then(async () => {
          const { flow, last } = await traceOf(idp, since, endedAt);
          since = last;
          const both = [...flow, ...server].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
          emit({ type: 'check-end', result: outcome(checkResult), flow: checkResult.visibility === 'hidden' ? [] : both });
        });
      },
    });
    await pending;
  } finally {
    await idp.close();
  }
  // A lab whose checks ran is recorded, also when its server could not start (status error with its checks).
  const recorded = !only && (result.status !== 'error' || result.checks.length > 0);
  if (recorded) recordLabResult(path.join(labHome(), 'progress.json'), result);
  emit({ type: 'done', status: result.status, score: result.score, maxScore: result.maxScore, ...(result.message ? { message: result.message } : {}), recorded });
  return 0;
}
