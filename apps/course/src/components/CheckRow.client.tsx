'use client';
import { useState } from 'react';
import type { Lang } from '../content/languages.ts';
import type { FlowEvent } from '../flows/flow-model.ts';
import { flowFor } from '../flows/index.ts';
import type { CheckOutcome, CheckSummary } from '../lab/run-messages.ts';
import { DASHBOARD_TEXT } from './dashboard-text.ts';
import { FlowReplay } from './FlowReplay.client.tsx';

export interface CheckRun {
  state: 'queued' | 'running' | 'done';
  result?: CheckOutcome;
  flow?: FlowEvent[];
}

/** One check on the dashboard: its last recorded status, or this run's result with its hint, its lesson step and its recorded flow. */
export function CheckRow(props: {
  lab: string;
  check: CheckSummary;
  recorded: 'pass' | 'fail' | 'error' | undefined;
  run: CheckRun | undefined;
  stepLink: string | undefined;
  busy: boolean;
  onRun: () => void;
  lang: Lang;
}) {
  const { lab, check, recorded, run, stepLink, busy, onRun, lang } = props;
  const t = DASHBOARD_TEXT[lang];
  const [replaying, setReplaying] = useState(false);
  const result = run?.result;
  const status = result?.status ?? (run ? (run.state === 'running' ? 'running' : 'queued') : (recorded ?? 'none'));
  // The page's language: Dutch titles and hints come with the lab's summary (lab.json), so a result shows them too.
  const own = lang === 'nl' && check.nl ? check.nl : { title: check.title, hint: check.hint };
  const title = check.visibility === 'hidden' ? t.hidden : own.title;
  const hint = result?.hint ? own.hint : undefined;
  const flow = flowFor(lab);
  return (
    <li className="check-result" data-check={check.id} data-status={status}>
      <p>
        <strong>{title}</strong> <span className="muted">({t.points(check.points)})</span> — <span className="check-status">{t.status_[status]}</span>
      </p>
      {result && result.status !== 'pass' ? (
        <>
          {result.message ? <p className="check-message">{result.message}</p> : null}
          {result.output ? (
            <details className="check-output">
              <summary>{t.output}</summary>
              <pre>{result.output}</pre>
            </details>
          ) : null}
          {hint ? (
            <p className="check-hint">
              <strong>{t.hint}:</strong> {hint}
            </p>
          ) : null}
        </>
      ) : null}
      <div className="check-actions">
        {check.visibility === 'visible' ? (
          <button type="button" onClick={onRun} disabled={busy}>
            {t.runOne(own.title)}
          </button>
        ) : null}
        {result && result.status !== 'pass' && stepLink ? <a href={stepLink}>{t.reread}</a> : null}
        {result && result.status !== 'pass' && result.troubleshooting ? <a href={`/${lang}/troubleshooting#${result.troubleshooting[lang]}`}>{t.troubleshooting}</a> : null}
        {result && result.status !== 'pass' && run?.flow?.length && flow ? (
          <button type="button" aria-expanded={replaying} onClick={() => setReplaying(!replaying)}>
            {replaying ? t.hideReplay : t.replay}
          </button>
        ) : null}
        {result && result.status !== 'pass' && run?.flow && !run.flow.length ? <span className="muted">{t.noFlow}</span> : null}
      </div>
      {replaying && flow && run?.flow ? <FlowReplay flow={flow} events={run.flow} lang={lang} /> : null}
    </li>
  );
}
