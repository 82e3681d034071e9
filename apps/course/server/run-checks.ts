import { checkLab, troubleshootingAnchor, UnknownCheckError, type CheckedLab, type CheckResult, type LabIdp } from '@mcp-lab/harness';
import { progressFile } from '@mcp-lab/harness/progress';
import type { CheckOutcome } from '../src/lab/run-messages.ts';
import type { FlowEvent } from '../src/flows/flow-model.ts';
import { labHome } from '../src/content/paths.ts';
import { emit } from './emit.ts';
import { fromTrace } from './flow-events.ts';
import { fromExchange } from './exchange-events.ts';
import { idpForSiteChecks } from './run-idp.ts';

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
async function traceOf(idp: LabIdp, since: number, endedAt: number): Promise<{ flow: FlowEvent[]; last: number }> {
  const events = (await idp.events(since)).filter((e) => Date.parse(e.time) <= endedAt);
  return { flow: events.filter((e) => e.type !== 'admin').map(fromTrace), last: events.at(-1)?.id ?? since };
}

/**
 * `check <lab> [--only a,b]`: the lab's checks against `work/<lab>/`, through
 * the harness's checkLab (as `mcp-lab check` runs them), each result streamed
 * with its hint and its recorded flow as soon as it is known. A run of every
 * check is recorded in `.lab/progress.json` by checkLab, exactly as the CLI
 * records it; a run of some checks is not.
 */
export async function runChecks(labName: string, only: string[] | undefined): Promise<number> {
  let since = 0;
  let pending: Promise<void> = Promise.resolve();
  let idp: LabIdp | undefined;
  let checked: CheckedLab;
  try {
    checked = await checkLab(labName, {
      ...(only ? { only } : {}),
      idp: async () => {
        const chosen = await idpForSiteChecks();
        // checkLab closes the IdP when the checks end; the last checks' traces are still being read from it then.
        return { ...chosen, close: () => pending.then(() => chosen.close()) };
      },
      progressFile: progressFile(labHome()),
      onStart: async (run) => {
        idp = run.idp;
        emit({ type: 'run', lab: run.lab.folder.id, dir: run.dir, idp: { baseUrl: run.idp.baseUrl, private: run.idp.ephemeral }, checks: run.checks });
        since = await run.idp.lastEventId();
      },
      onCheckStart: (meta) => {
        pending = pending.then(() => emit({ type: 'check-start', id: meta.id }));
      },
      onCheckEnd: (checkResult, recorded) => {
        const endedAt = Date.now();
        // HTTP labs: what the recording proxy saw of the learner's server, beside the IdP's side.
        const server = recorded.exchanges.map(fromExchange);
        pending = pending.then(async () => {
          const { flow, last } = await traceOf(idp!, since, endedAt);
          since = last;
          const both = [...flow, ...server].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
          emit({ type: 'check-end', result: outcome(checkResult), flow: checkResult.visibility === 'hidden' ? [] : both });
        });
      },
    });
  } catch (error) {
    if (!(error instanceof UnknownCheckError)) throw error;
    emit({ type: 'problem', code: error.code, message: error.message, fix: error.fix });
    return 64;
  }
  await pending;
  const { result, recorded, notRecorded } = checked;
  if (recorded?.setAside) process.stderr.write(`progress: ${progressFile(labHome())} could not be read; it is kept as ${recorded.setAside}, and a new one holds this result.\n`);
  if (notRecorded) process.stderr.write(`progress: ${notRecorded.code}: ${notRecorded.message} ${notRecorded.fix}\n`);
  emit({ type: 'done', status: result.status, score: result.score, maxScore: result.maxScore, ...(result.message ? { message: result.message } : {}), recorded: recorded !== undefined });
  return 0;
}
