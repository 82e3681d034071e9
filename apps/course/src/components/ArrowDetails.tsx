import type { Lang } from '../content/languages.ts';
import type { FlowArrow, FlowEvent } from '../flows/flow-model.ts';
import type { ArrowView } from '../flows/map-events.ts';
import { FLOW_TEXT, problemText } from '../flows/text.ts';
import { analyseToken } from '../inspector/analyse-token.ts';
import { findingText } from '../inspector/text.ts';
import { ClaimsTable } from './ClaimsTable.tsx';
import { withCode } from './with-code.tsx';

function headerLines(value: unknown): string {
  return Object.entries((value ?? {}) as Record<string, string>)
    .map(([name, text]) => `${name}: ${text}`)
    .join('\n');
}

/** A recorded HTTP exchange with the lab's server: what went out and what came back. */
function Exchange({ detail, lang, note }: { detail: Record<string, unknown>; lang: Lang; note?: string }) {
  const t = FLOW_TEXT[lang];
  const part = (summary: string, headers: unknown, body: unknown) => (
    <details>
      <summary>{summary}</summary>
      <pre tabIndex={0}>
        {headerLines(headers)}
        {typeof body === 'string' && body ? `\n\n${body}` : ''}
      </pre>
    </details>
  );
  return (
    <>
      {part(t.requestSent, detail.requestHeaders, detail.requestBody)}
      {part(t.responseGot, detail.responseHeaders, detail.responseBody)}
      <p className="muted">{note ?? t.hiddenNote}</p>
    </>
  );
}

function EventDetails({ event, lang }: { event: FlowEvent; lang: Lang }) {
  const t = FLOW_TEXT[lang];
  const answer = event.type === 'mcp.result' && typeof event.detail?.text === 'string' ? event.detail.text : undefined;
  const findings = event.claims ? analyseToken({ header: {}, payload: event.claims }, { now: Math.floor(Date.parse(event.time) / 1000), tenants: [] }) : [];
  return (
    <div className="flow-event" data-event-type={event.type}>
      <p>
        <strong>{event.summary}</strong> <span className="muted">({new Date(event.time).toLocaleTimeString(lang)})</span>
      </p>
      <ul>
        {event.http ? (
          <li>
            {t.request}: <code>{`${event.http.method} ${event.http.path}`}</code> → {t.status} <code>{event.http.status}</code>
          </li>
        ) : null}
        {event.grantType ? (
          <li>
            {t.grant}: <code>{event.grantType}</code>
          </li>
        ) : null}
        {event.scopes?.length ? (
          <li>
            {t.scopes}: <code>{event.scopes.join(' ')}</code>
          </li>
        ) : null}
        {event.user ? (
          <li>
            {t.user}: <code>{event.user.username}</code>
          </li>
        ) : null}
        {event.error ? (
          <li>
            {t.error}: <code>{event.error.error}</code> {event.error.description}
          </li>
        ) : null}
      </ul>
      {event.type === 'http' && event.detail ? (
        <Exchange detail={event.detail} lang={lang} />
      ) : event.http?.requestHeaders ? (
        <Exchange detail={{ requestHeaders: event.http.requestHeaders, responseHeaders: event.http.responseHeaders }} lang={lang} note={t.fingerprintNote} />
      ) : null}
      {answer ? (
        <details>
          <summary>{t.toolAnswer}</summary>
          <pre>{answer}</pre>
        </details>
      ) : null}
      {event.claims ? (
        <>
          <ClaimsTable values={event.claims} kind="claims" caption={t.token} lang={lang} />
          <p className="muted">{t.tokenNote}</p>
          {findings.length ? (
            <>
              <p>{t.verdicts}:</p>
              <ul className="findings">
                {findings.map((f) => (
                  <li key={f.code} className={`finding ${f.severity}`} data-finding={f.code}>
                    {findingText(f, lang)}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

function Problem({ problem, lang }: { problem: NonNullable<ArrowView['problem']>; lang: Lang }) {
  const t = FLOW_TEXT[lang];
  const said = problemText(problem.code, lang, problem.command);
  return (
    <div className="flow-problem" role="alert">
      <p>
        <strong>{t.problem}:</strong> {said?.message ?? problem.message}
      </p>
      {said?.fix || problem.fix ? (
        <p>
          <strong>{t.fix}:</strong> {withCode(said?.fix ?? problem.fix ?? '')}
        </p>
      ) : null}
      {said ? (
        <pre className="problem-detail" tabIndex={0}>
          {problem.message}
        </pre>
      ) : null}
    </div>
  );
}

/** Everything the trace says about one arrow: requests, answers, errors, and tokens decoded with every claim explained. */
export function ArrowDetails({ arrow, view, index, lang }: { arrow: FlowArrow; view: ArrowView; index: number; lang: Lang }) {
  const t = FLOW_TEXT[lang];
  return (
    <section className="flow-details" aria-label={`${index + 1}. ${arrow.label[lang]} — ${t.details}`} data-arrow={arrow.id}>
      <h3>
        {index + 1}. {arrow.label[lang]} — {t.details}
      </h3>
      {view.problem ? <Problem problem={view.problem} lang={lang} /> : null}
      {view.events.length ? view.events.map((e) => <EventDetails key={e.id} event={e} lang={lang} />) : <p>{t.noEvents}</p>}
    </section>
  );
}
