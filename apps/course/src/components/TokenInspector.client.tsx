'use client';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Lang } from '../content/languages.ts';
import type { Finding } from '../inspector/analyse-token.ts';
import { findingText, INSPECTOR_TEXT, verdictText } from '../inspector/text.ts';
import type { SignatureVerdict } from '../inspector/verify-signature.ts';
import { ClaimsTable } from './ClaimsTable.tsx';

interface Inspection {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  findings: Finding[];
  signature: SignatureVerdict;
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

  const inspect = async (event: FormEvent) => {
    event.preventDefault();
    setState({ kind: 'working' });
    try {
      const response = await fetch('/api/inspect-token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, ...(jwksUrl.trim() ? { jwksUrl } : {}), ...(audience.trim() ? { expectedAudience: audience } : {}) }),
      });
      const body = (await response.json()) as Inspection & { message?: string; fix?: string };
      if (!response.ok) setState({ kind: 'failed', message: body.message ?? String(response.status), ...(body.fix ? { fix: body.fix } : {}) });
      else setState({ kind: 'done', result: body });
    } catch (error) {
      setState({ kind: 'failed', message: (error as Error).message });
    }
  };

  return (
    <div className="inspector">
      <form onSubmit={(e) => void inspect(e)} className="tool-form">
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
      <ClaimsTable values={result.header} kind="header" caption={t.header} lang={lang} />
      <ClaimsTable values={result.payload} kind="claims" caption={t.claims} lang={lang} />
    </>
  );
}
