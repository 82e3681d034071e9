'use client';
import { useEffect, useId, useRef, useState } from 'react';
import type { Lang } from '../content/languages.ts';
import type { FlowEvent } from '../flows/flow-model.ts';
import { flowFor } from '../flows/index.ts';
import { doneMessage } from '../flows/done-message.ts';
import { problemText } from '../flows/text.ts';
import { readRun } from '../lab/read-run.ts';
import { rememberLiveTokens, type LiveToken } from '../inspector/live-tokens.ts';
import { FlowDiagram } from './FlowDiagram.client.tsx';
import { withCode } from './with-code.tsx';

const TEXT = {
  en: {
    heading: 'Run it live',
    intro: 'Runs the real flow: the lab’s server started by the check engine, against the lab’s identity provider. You sign in yourself; each arrow lights up as the identity provider reports it.',
    source: 'Which server',
    solution: 'the solution',
    work: 'my working copy (work/)',
    run: 'Run it live',
    stop: 'Stop',
    running: 'Running: the server is starting…',
    failed: 'The flow stopped:',
    stopped: 'Stopped.',
    signInNow: 'Your turn: sign in at the identity provider with this code.',
    signInOpened: 'Your turn: the identity provider’s page opened in a new tab. Enter this code there and sign in.',
    browserNow: 'Your turn: the MCP client wants you to allow it at the server and sign in. Open the page.',
    browserOpened: 'Your turn: the server’s page opened in a new tab. Allow the client there, then sign in at the identity provider.',
    entraNow: 'Your turn: the MCP client wants you to sign in at the identity provider. Open the page.',
    entraOpened: 'Your turn: the identity provider’s sign-in page opened in a new tab. Sign in there (and consent, if it asks).',
    open: 'Open the sign-in page (new tab)',
    openAgain: 'Show the sign-in page again',
    code: 'Code',
    fix: 'Fix',
  },
  nl: {
    heading: 'Live uitvoeren',
    intro: 'Voert de echte flow uit: de server van het lab, gestart door de check-engine, tegen de identity provider van het lab. Je meldt je zelf aan; elke pijl licht op zodra de identity provider hem meldt.',
    source: 'Welke server',
    solution: 'de oplossing',
    work: 'mijn werkkopie (work/)',
    run: 'Live uitvoeren',
    stop: 'Stop',
    running: 'Bezig: de server start…',
    failed: 'De flow is gestopt:',
    stopped: 'Gestopt.',
    signInNow: 'Jouw beurt: meld je aan bij de identity provider met deze code.',
    signInOpened: 'Jouw beurt: de pagina van de identity provider is geopend in een nieuw tabblad. Voer daar deze code in en meld je aan.',
    browserNow: 'Jouw beurt: de MCP-client wil dat je hem toestaat bij de server en je aanmeldt. Open de pagina.',
    browserOpened: 'Jouw beurt: de pagina van de server is geopend in een nieuw tabblad. Sta de client daar toe en meld je daarna aan bij de identity provider.',
    entraNow: 'Jouw beurt: de MCP-client wil dat je je aanmeldt bij de identity provider. Open de pagina.',
    entraOpened: 'Jouw beurt: de aanmeldpagina van de identity provider is geopend in een nieuw tabblad. Meld je daar aan (en geef toestemming, als daarom gevraagd wordt).',
    open: 'Open de aanmeldpagina (nieuw tabblad)',
    openAgain: 'Toon de aanmeldpagina opnieuw',
    code: 'Code',
    fix: 'Oplossing',
  },
} as const;

/** One tab for the IdP's pages: the link and the automatic opening use the same one. */
const SIGN_IN_WINDOW = 'mcp-lab-sign-in';

type Status = { kind: 'idle' } | { kind: 'running' } | { kind: 'done' } | { kind: 'failed'; message: string; fix: string } | { kind: 'stopped' };

/** "Run it live" on a lab page: the real flow through the site's server and the harness, drawn as it happens. */
export function LiveFlow({ lab, lang }: { lab: string; lang: Lang }) {
  const t = TEXT[lang];
  const id = useId();
  const flow = flowFor(lab);
  const [source, setSource] = useState<'solution' | 'work'>('solution');
  const [events, setEvents] = useState<FlowEvent[]>([]);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [prompt, setPrompt] = useState<{ kind: 'device-code' | 'browser'; userCode: string; verificationUri: string; opened: boolean } | undefined>(undefined);
  const running = useRef<AbortController | undefined>(undefined);
  const openLink = useRef<HTMLAnchorElement>(null);
  // Your turn: focus goes to the link that opens the IdP's page, so the next key press takes you there.
  useEffect(() => {
    if (prompt) openLink.current?.focus();
  }, [prompt]);
  if (!flow) return null;
  // Whether the browser goes to the server's own page first (lab 03's consent page) or straight to the identity provider (lab 05).
  const serverPage = flow.arrows.some((a) => a.from === 'user' && a.to === 'server');

  const run = async () => {
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    setEvents([]);
    setPrompt(undefined);
    setStatus({ kind: 'running' });
    let problem: { message: string; fix: string } | undefined;
    const issued: LiveToken[] = [];
    try {
      await readRun(
        `/api/labs/${lab}/live`,
        { source },
        (message) => {
          if (message.type === 'flow') {
            setEvents((all) => [...all, message.event]);
            if (message.event.claims && message.event.type === 'token') {
              issued.push({ summary: message.event.summary, time: message.event.time, claims: message.event.claims });
              rememberLiveTokens(issued);
            }
          } else if (message.type === 'user-action') {
            // The sign-in page opens by itself when the browser allows it (the click on "Run it live" still counts as the person's); the link is there either way.
            const opened = window.open(message.verificationUri, SIGN_IN_WINDOW);
            if (opened) opened.opener = null;
            setPrompt({ kind: message.kind, userCode: message.userCode, verificationUri: message.verificationUri, opened: Boolean(opened) });
          } else if (message.type === 'problem') problem = problemText(message.code, lang, message.command) ?? { message: message.message, fix: message.fix };
          else if (message.type === 'finished' && !message.ok && !problem) problem = { message: message.detail?.trim() || 'the run stopped', fix: '' };
          else if (message.type === 'done') {
            // The flow's verdict, at once: the stream may stay open a moment while the runner stops the server.
            if (message.status !== 'pass' && !problem) problem = { message: message.message ?? message.status, fix: '' };
            setStatus(problem ? { kind: 'failed', ...problem } : { kind: 'done' });
            setPrompt(undefined);
          }
        },
        controller.signal,
      );
      const ended = problem;
      setStatus((now) => (now.kind === 'running' ? (ended ? { kind: 'failed', ...ended } : { kind: 'done' }) : now));
    } catch (error) {
      setStatus(controller.signal.aborted ? { kind: 'stopped' } : { kind: 'failed', message: (error as Error).message, fix: '' });
    } finally {
      setPrompt(undefined);
    }
  };

  return (
    // Headings without ids: in a lesson, the language switch counts the lesson's own headings (h2[id], h3[id]) only.
    <section className="live-flow" aria-label={t.heading}>
      <h2>{t.heading}</h2>
      <p>{t.intro}</p>
      <div className="flow-controls">
        <fieldset>
          <legend>{t.source}</legend>
          <label>
            <input type="radio" name={`${id}-source`} checked={source === 'solution'} onChange={() => setSource('solution')} /> {t.solution}
          </label>{' '}
          <label>
            <input type="radio" name={`${id}-source`} checked={source === 'work'} onChange={() => setSource('work')} /> {t.work}
          </label>
        </fieldset>
        {status.kind === 'running' ? (
          <button type="button" onClick={() => running.current?.abort()}>
            {t.stop}
          </button>
        ) : (
          <button type="button" className="button" onClick={() => void run()}>
            {t.run}
          </button>
        )}
      </div>
      <div aria-live="polite" className="flow-status" data-status={status.kind}>
        {status.kind === 'running' && !prompt ? <p>{t.running}</p> : null}
        {status.kind === 'done' ? <p>{doneMessage(flow, events, lang)}</p> : null}
        {status.kind === 'stopped' ? <p>{t.stopped}</p> : null}
        {status.kind === 'failed' ? (
          <p>
            {t.failed} {status.message} {status.fix ? <><strong>{t.fix}:</strong> {withCode(status.fix)}</> : null}
          </p>
        ) : null}
        {prompt ? (
          <div className="user-action" data-opened={prompt.opened ? 'yes' : 'no'}>
            <p>{prompt.kind === 'browser' ? (serverPage ? (prompt.opened ? t.browserOpened : t.browserNow) : prompt.opened ? t.entraOpened : t.entraNow) : prompt.opened ? t.signInOpened : t.signInNow}</p>
            {prompt.userCode ? (
              <p>
                {t.code}: <span className="user-code">{prompt.userCode}</span>
              </p>
            ) : null}
            <p>
              <a ref={openLink} href={prompt.verificationUri} target={SIGN_IN_WINDOW} rel="noopener" className="button">
                {prompt.opened ? t.openAgain : t.open}
              </a>
            </p>
          </div>
        ) : null}
      </div>
      <FlowDiagram flow={flow} events={events} finished={status.kind === 'done'} lang={lang} />
    </section>
  );
}
