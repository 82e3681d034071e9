'use client';
import { useEffect, useId, useMemo, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import type { Lang } from '../content/languages.ts';
import type { Finding } from '../inspector/analyse-token.ts';
import { LIVE_TOKENS_KEY, parseLiveTokens } from '../inspector/live-tokens.ts';
import { findingText, INSPECTOR_TEXT, localTime, verdictText } from '../inspector/text.ts';
import type { SignatureVerdict } from '../inspector/verify-signature.ts';
import { ClaimsTable } from './ClaimsTable.tsx';

interface Inspection {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  findings: Finding[];
  signature: SignatureVerdict;
}

/** sessionStorage belongs to this tab: a page opened after a live run reads what it left; the event covers changes made meanwhile. */
function subscribeToStorage(onChange: () => void): () => void {
  window.addEventListener('storage', onChange);
  return () => window.removeEventListener('storage', onChange);
}

type State = { kind: 'idle' } | { kind: 'working' } | { kind: 'done'; result: Inspection } | { kind: 'failed'; message: string; fix?: string };

/** Paste a token: header and claims explained, signature checked by the site's server, and what a server must reject. */
export function TokenInspector({ lang }: { lang: Lang }) {
  const t = INSPECTOR_TEXT[lang];
  const id = useId();
  const [token, setToken] = useState('');
  const [jwksUrl, setJwksUrl] = useState('');
  const [audience, setAudience] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const resultHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (state.kind === 'done' || state.kind === 'failed') resultHeading.current?.focus();
  }, [state.kind]);

  // Tokens the last live run in this tab saw issued (claims only), read from sessionStorage.
  const stored = useSyncExternalStore(
    subscribeToStorage,
    () => sessionStorage.getItem(LIVE_TOKENS_KEY),
    () => null,
  );
  const liveTokens = useMemo(() => parseLiveTokens(stored), [stored]);
  const [picked, setPicked] = useState(0);

  const inspect = (event: FormEvent) => {
    event.preventDefault();
    void send({ token, ...(jwksUrl.trim() ? { jwksUrl } : {}), ...(audience.trim() ? { expectedAudience: audience } : {}) });
  };
  const inspectPicked = (event: FormEvent) => {
    event.preventDefault();
    const chosen = liveTokens[picked];
    if (chosen) void send({ claims: chosen.claims, ...(audience.trim() ? { expectedAudience: audience } : {}) });
  };

  const send = async (body: object) => {
    setState({ kind: 'working' });
    try {
      const response = await fetch('/api/inspect-token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = (await response.json()) as Inspection & { message?: string; fix?: string };
      if (!response.ok) setState({ kind: 'failed', message: answer.message ?? String(response.status), ...(answer.fix ? { fix: answer.fix } : {}) });
      else setState({ kind: 'done', result: answer });
    } catch (error) {
      setState({ kind: 'failed', message: (error as Error).message });
    }
  };

  return (
    <div className="inspector">
      <form onSubmit={inspect} className="tool-form">
        <label htmlFor={`${id}-token`}>{t.token}</label>
        <textarea id={`${id}-token`} value={token} onChange={(e) => setToken(e.target.value)} rows={6} required spellCheck={false} aria-describedby={`${id}-token-help`} />
        <p id={`${id}-token-help`} className="muted">
          {t.tokenHelp}
        </p>
        <label htmlFor={`${id}-jwks`}>{t.jwksUrl}</label>
        <input id={`${id}-jwks`} type="url" value={jwksUrl} onChange={(e) => setJwksUrl(e.target.value)} aria-describedby={`${id}-jwks-help`} />
        <p id={`${id}-jwks-help`} className="muted">
          {t.jwksHelp}
        </p>
        <label htmlFor={`${id}-aud`}>{t.audience}</label>
        <input id={`${id}-aud`} value={audience} onChange={(e) => setAudience(e.target.value)} aria-describedby={`${id}-aud-help`} />
        <p id={`${id}-aud-help`} className="muted">
          {t.audienceHelp}
        </p>
        <button type="submit" className="button" disabled={state.kind === 'working'}>
          {state.kind === 'working' ? t.working : t.inspect}
        </button>
      </form>
      {liveTokens.length ? (
        <form onSubmit={inspectPicked} className="tool-form live-tokens">
          <label htmlFor={`${id}-pick`}>{t.pick}</label>
          <select id={`${id}-pick`} value={picked} onChange={(e) => setPicked(Number(e.target.value))} aria-describedby={`${id}-pick-help`}>
            {liveTokens.map((live, i) => (
              <option key={`${live.time}-${i}`} value={i}>
                {localTime(Date.parse(live.time) / 1000, lang)} — {live.summary}
              </option>
            ))}
          </select>
          <p id={`${id}-pick-help`} className="muted">
            {t.pickHelp}
          </p>
          <button type="submit" disabled={state.kind === 'working'}>
            {t.inspectPicked}
          </button>
        </form>
      ) : null}
      <div aria-live="polite">
        {state.kind === 'failed' ? (
          <section className="callout warning" aria-labelledby={`${id}-failed`}>
            <h2 id={`${id}-failed`} ref={resultHeading} tabIndex={-1}>
              {t.failed}
            </h2>
            <p>{state.message}</p>
            {state.fix ? (
              <p>
                <strong>{t.fix}:</strong> {state.fix}
              </p>
            ) : null}
          </section>
        ) : null}
        {state.kind === 'done' ? <Result result={state.result} lang={lang} headingRef={resultHeading} /> : null}
      </div>
    </div>
  );
}

function Result({ result, lang, headingRef }: { result: Inspection; lang: Lang; headingRef: React.RefObject<HTMLHeadingElement | null> }) {
  const t = INSPECTOR_TEXT[lang];
  const signature = verdictText(result.signature, lang);
  return (
    <>
      <h2 ref={headingRef} tabIndex={-1}>
        {t.verdicts}
      </h2>
      <p className={`signature ${signature.ok ? 'ok' : 'bad'}`} data-signature={result.signature.status}>
        <strong>{t.signature}:</strong> {signature.text}
      </p>
      {result.findings.length ? (
        <ul className="findings">
          {result.findings.map((f) => (
            <li key={f.code} className={`finding ${f.severity}`} data-finding={f.code}>
              <strong>{t.severity[f.severity]}:</strong> {findingText(f, lang)}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t.noFindings}</p>
      )}
      {Object.keys(result.header).length ? <ClaimsTable values={result.header} kind="header" caption={t.header} lang={lang} /> : null}
      <ClaimsTable values={result.payload} kind="claims" caption={t.claims} lang={lang} />
    </>
  );
}
