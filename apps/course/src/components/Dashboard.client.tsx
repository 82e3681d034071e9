'use client';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { Lang } from '../content/languages.ts';
import type { DashboardLab, DashboardStatus } from '../lab/lab-status.ts';
import { readRun } from '../lab/read-run.ts';
import { CheckRow, type CheckRun } from './CheckRow.client.tsx';
import { DASHBOARD_TEXT } from './dashboard-text.ts';
import { withCode } from './with-code.tsx';

type Loaded = { kind: 'loading' } | { kind: 'ready'; status: DashboardStatus } | { kind: 'failed'; message: string; fix?: string };

interface RunSummary {
  score?: number;
  maxScore?: number;
  recorded?: boolean;
  privateIdp?: boolean;
  problem?: { message: string; fix: string };
}

async function fetchStatus(): Promise<Loaded> {
  try {
    const response = await fetch('/api/labs', { cache: 'no-store' });
    const body = (await response.json()) as DashboardStatus & { message?: string; fix?: string };
    return response.ok ? { kind: 'ready', status: body } : { kind: 'failed', message: body.message ?? String(response.status), ...(body.fix ? { fix: body.fix } : {}) };
  } catch (error) {
    return { kind: 'failed', message: (error as Error).message };
  }
}


/** The lab dashboard: the IdP's status, every lab with its working copy, and its checks run from here with results streaming in. */
export function Dashboard({ lang }: { lang: Lang }) {
  const t = DASHBOARD_TEXT[lang];
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const load = useCallback(() => {
    void fetchStatus().then(setLoaded);
  }, []);
  useEffect(() => {
    void fetchStatus().then(setLoaded);
  }, []);

  return (
    <>
      <section aria-labelledby="dashboard-status" className="dashboard-status">
        <h2 id="dashboard-status">{t.status}</h2>
        <div aria-live="polite">
          {loaded.kind === 'loading' ? <p>{t.loading}</p> : null}
          {loaded.kind === 'failed' ? (
            <p role="alert">
              {loaded.message} {loaded.fix ? withCode(loaded.fix) : null}
            </p>
          ) : null}
          {loaded.kind === 'ready' ? (
            loaded.status.idp.up ? (
              <p data-idp="up">
                <span className="status-ok">●</span> {t.idpUp} <code>{loaded.status.idp.baseUrl}</code>
              </p>
            ) : (
              <div data-idp="down">
                <p>
                  <span className="status-bad">●</span> {t.idpDown} {loaded.status.idp.message}
                </p>
                <p>
                  <strong>{t.fix}:</strong> {withCode(loaded.status.idp.fix)} {withCode(t.idpDownChecks)}
                </p>
              </div>
            )
          ) : null}
        </div>
        <button type="button" onClick={load}>
          {t.refresh}
        </button>
      </section>
      {loaded.kind === 'ready' ? loaded.status.labs.map((lab) => <LabPanel key={lab.id} lab={lab} lang={lang} onChanged={load} />) : null}
    </>
  );
}

function LabPanel({ lab, lang, onChanged }: { lab: DashboardLab; lang: Lang; onChanged: () => void }) {
  const t = DASHBOARD_TEXT[lang];
  const id = useId();
  const [runs, setRuns] = useState<Record<string, CheckRun>>({});
  const [summary, setSummary] = useState<RunSummary | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [creating, setCreating] = useState<string | undefined>(undefined);
  const [announcement, setAnnouncement] = useState('');
  const panel = useRef<HTMLElement>(null);
  const title = lang === 'nl' ? lab.titleNl : lab.title;
  const checkTitle = (checkId: string) => {
    const check = lab.checks.find((c) => c.id === checkId);
    return (lang === 'nl' ? check?.nl?.title : undefined) ?? check?.title ?? checkId;
  };

  const run = async (only?: string[]) => {
    setBusy(true);
    setSummary(undefined);
    const ids = lab.checks.filter((c) => !only || only.includes(c.id)).map((c) => c.id);
    setRuns(Object.fromEntries(ids.map((c) => [c, { state: 'queued' as const }])));
    const started = performance.now();
    let first = true;
    const next: RunSummary = {};
    await readRun(`/api/labs/${lab.id}/check`, only ? { only } : {}, (message) => {
      if (message.type === 'run') next.privateIdp = message.idp.private;
      if (message.type === 'check-start') {
        setRuns((all) => ({ ...all, [message.id]: { state: 'running' } }));
        setAnnouncement(`${checkTitle(message.id)}: ${t.status_.running}`);
      }
      if (message.type === 'check-end') {
        if (first) {
          first = false;
          panel.current?.setAttribute('data-first-result-ms', String(Math.round(performance.now() - started)));
        }
        setRuns((all) => ({ ...all, [message.result.id]: { state: 'done', result: message.result, flow: message.flow } }));
        setAnnouncement(`${message.result.visibility === 'hidden' ? t.hidden : checkTitle(message.result.id)}: ${t.status_[message.result.status]}`);
      }
      if (message.type === 'done') Object.assign(next, { score: message.score, maxScore: message.maxScore, recorded: message.recorded });
      if (message.type === 'problem') next.problem = { message: message.message, fix: message.fix };
      if (message.type === 'finished' && !message.ok && next.score === undefined && !next.problem) next.problem = { message: message.detail?.trim() || 'the run stopped', fix: '' };
    }).catch((error: unknown) => {
      next.problem = { message: (error as Error).message, fix: '' };
    });
    setSummary(next);
    setAnnouncement(next.problem ? next.problem.message : next.score !== undefined ? t.summary(next.score, next.maxScore ?? 0) : '');
    setBusy(false);
    if (next.recorded) onChanged();
  };

  const createWork = async () => {
    setCreating(t.creating);
    const response = await fetch(`/api/labs/${lab.id}/work`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const body = (await response.json()) as { output?: string; message?: string; fix?: string };
    setCreating(response.ok ? body.output : `${body.message ?? ''} ${body.fix ?? ''}`);
    onChanged();
  };

  const progress = lab.progress;
  return (
    <section className="dashboard-lab" aria-labelledby={`${id}-title`} data-lab={lab.id} ref={panel}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p>
        <code>{lab.id}</code> {lab.page ? <a href={lab.page[lang]}>{t.labPage}</a> : null}
      </p>
      <p>
        <strong>{t.work}:</strong> {lab.work.exists ? <code>{lab.work.path}</code> : t.workMissing}{' '}
        {!lab.work.exists && lab.transport !== 'none' ? (
          <button type="button" onClick={() => void createWork()}>
            {t.createWork}
          </button>
        ) : null}
      </p>
      {creating ? <p aria-live="polite">{creating}</p> : null}
      <p className="lab-server" data-running={lab.server ? String(lab.server.running) : undefined}>
        <strong>{t.server}:</strong>{' '}
        {lab.transport === 'stdio' ? t.serverStdio : lab.transport === 'none' ? t.serverNone : lab.server?.running ? (
          <>
            <span className="status-ok">●</span> {t.serverUp} <code>{lab.server.url}</code>
          </>
        ) : (
          <>
            <span className="status-bad">●</span> {t.serverDown(lab.server?.url ?? '')} {lab.serveCommand ? <span className="serve-hint">{withCode(t.serverStart(lab.serveCommand))}</span> : null}
          </>
        )}
      </p>
      <p className="last-run">{progress ? t.lastRun(`${progress.score}/${progress.maxScore} (${t.status_[progress.status]})`, new Date(progress.at).toLocaleString(lang)) : t.neverRun}</p>
      <h3>{t.checks}</h3>
      <button type="button" className="button" onClick={() => void run()} disabled={busy}>
        {busy ? t.running : t.runAll}
      </button>
      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
      <ul className="check-results">
        {lab.checks.map((check) => (
          <CheckRow
            key={check.id}
            lab={lab.id}
            check={check}
            recorded={progress?.checks[check.id]}
            run={runs[check.id]}
            stepLink={lab.steps[check.lessonStep]?.[lang]}
            busy={busy}
            onRun={() => void run([check.id])}
            lang={lang}
          />
        ))}
      </ul>
      {summary ? (
        <div className="run-summary" data-recorded={String(Boolean(summary.recorded))}>
          {summary.problem ? (
            <p role="alert">
              {summary.problem.message} {summary.problem.fix ? <><strong>{t.fix}:</strong> {withCode(summary.problem.fix)}</> : null}
            </p>
          ) : null}
          {summary.score !== undefined ? <p>{t.summary(summary.score, summary.maxScore ?? 0)}</p> : null}
          {summary.recorded && summary.score === summary.maxScore && lab.transport !== 'none' ? <p className="all-pass-env">{withCode(t.allPassEnv)}</p> : null}
          {summary.score !== undefined ? <p>{withCode(summary.recorded ? t.recorded : t.notRecorded)}</p> : null}
          {summary.privateIdp ? <p className="muted">{t.privateIdp}</p> : null}
        </div>
      ) : null}
    </section>
  );
}
