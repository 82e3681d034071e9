import type { Lang } from '../content/languages.ts';
import type { ArrowState } from './flow-model.ts';

/** The live diagram's, the replay's and the dashboard's words. */
export const FLOW_TEXT = {
  en: {
    steps: 'Steps of the flow',
    stepsHelp: 'Each step lights up when its event arrives. Choose a step to see what was really sent and answered.',
    state: { idle: 'not yet', waiting: 'waiting', lit: 'done', failed: 'failed', skipped: 'skipped' } satisfies Record<ArrowState, string>,
    details: 'What happened at this step',
    noEvents: 'Nothing has happened at this step yet.',
    request: 'Request',
    status: 'status',
    grant: 'grant',
    scopes: 'scopes',
    user: 'user',
    error: 'error',
    problem: 'What went wrong',
    fix: 'Fix',
    token: 'Access token issued at this step (decoded from the trace)',
    tokenNote: 'The trace never carries the token itself, only its claims: the signature cannot be checked here. Paste the token in the token inspector to check it.',
    verdicts: 'What a server must say about this token',
    toolAnswer: 'The tool’s answer',
    requestSent: 'Request: headers and body',
    responseGot: 'Response: headers and body',
    hiddenNote: 'Tokens, codes, cookies and secrets are cut to their first characters.',
    fingerprintNote: 'Credentials, cookies and codes show as fingerprints (the first 8 characters of their SHA-256): the trace never holds a usable value.',
    announceLit: (n: number, label: string) => `Step ${n} done: ${label}`,
    announceFailed: (n: number, label: string) => `Step ${n} failed: ${label}`,
    announceWaiting: (n: number, label: string, what: string) => `Step ${n}: ${what || label}`,
    loading: 'Drawing the diagram…',
    failedToDraw: 'The diagram could not be drawn; the list of steps shows the same.',
  },
  nl: {
    steps: 'Stappen van de flow',
    stepsHelp: 'Elke stap licht op zodra zijn gebeurtenis binnenkomt. Kies een stap om te zien wat er echt is verstuurd en beantwoord.',
    state: { idle: 'nog niet', waiting: 'wacht', lit: 'klaar', failed: 'mislukt', skipped: 'overgeslagen' } satisfies Record<ArrowState, string>,
    details: 'Wat er bij deze stap gebeurde',
    noEvents: 'Bij deze stap is nog niets gebeurd.',
    request: 'Verzoek',
    status: 'status',
    grant: 'grant',
    scopes: 'scopes',
    user: 'gebruiker',
    error: 'fout',
    problem: 'Wat er misging',
    fix: 'Oplossing',
    token: 'Access token dat bij deze stap is uitgegeven (gedecodeerd uit de trace)',
    tokenNote: 'De trace bevat nooit het token zelf, alleen de claims: de handtekening kan hier niet worden gecontroleerd. Plak het token in de tokeninspecteur om dat te doen.',
    verdicts: 'Wat een server over dit token moet zeggen',
    toolAnswer: 'Het antwoord van de tool',
    requestSent: 'Verzoek: headers en body',
    responseGot: 'Antwoord: headers en body',
    hiddenNote: 'Tokens, codes, cookies en geheimen zijn ingekort tot hun eerste tekens.',
    fingerprintNote: 'Credentials, cookies en codes staan er als vingerafdruk (de eerste 8 tekens van hun SHA-256): de trace bevat nooit een bruikbare waarde.',
    announceLit: (n: number, label: string) => `Stap ${n} klaar: ${label}`,
    announceFailed: (n: number, label: string) => `Stap ${n} mislukt: ${label}`,
    announceWaiting: (n: number, label: string, what: string) => `Stap ${n}: ${what || label}`,
    loading: 'Diagram wordt getekend…',
    failedToDraw: 'Het diagram kon niet worden getekend; de lijst met stappen toont hetzelfde.',
  },
} as const satisfies Record<Lang, object>;

/** The runner's failures (their `code`), said in the page's language; the runner's own words follow as the details. */
const PROBLEM_TEXT: Record<string, Record<Lang, { message: string; fix: string }>> = {
  IDP_UNREACHABLE: {
    en: { message: 'The lab’s identity provider does not answer.', fix: 'Start the lab with `npm start`: it starts the identity provider and this site together.' },
    nl: { message: 'De identity provider van het lab antwoordt niet.', fix: 'Start het lab met `npm start`: dat start de identity provider en deze site samen.' },
  },
  IDP_NOT_THE_LABS: {
    en: { message: 'An identity provider answers, but not the one this lab started, so the site cannot follow the flow there.', fix: 'Stop it and start the lab with `npm start`.' },
    nl: { message: 'Er antwoordt een identity provider, maar niet die van dit lab, dus de site kan de flow daar niet volgen.', fix: 'Stop hem en start het lab met `npm start`.' },
  },
  NO_WORKING_COPY: {
    en: { message: 'You have no working copy of this lab yet.', fix: 'Create it on the lab dashboard or with `npm run lab -- start <lab>`, or run the solution.' },
    nl: { message: 'Je hebt nog geen werkkopie van dit lab.', fix: 'Maak hem op het labdashboard of met `npm run lab -- start <lab>`, of voer de oplossing uit.' },
  },
  SERVER_DID_NOT_START: {
    en: { message: 'The lab’s server did not start.', fix: 'Run `{command}` to see its error, fix it, and try again. Is its port taken? Stop the other program.' },
    nl: { message: 'De server van het lab startte niet.', fix: 'Voer `{command}` uit om de fout te zien, los hem op en probeer opnieuw. Is de poort bezet? Stop het andere programma.' },
  },
  NO_MCP_HANDSHAKE: {
    en: { message: 'The server stopped or did not answer MCP before the tool could be called.', fix: 'The server must answer MCP on stdin/stdout and log to stderr only. Its output is below.' },
    nl: { message: 'De server stopte of antwoordde niet in MCP voordat de tool kon worden aangeroepen.', fix: 'De server moet MCP beantwoorden op stdin/stdout en alleen naar stderr loggen. Zijn uitvoer staat hieronder.' },
  },
  SIGN_IN_FAILED: {
    en: { message: 'Connecting and signing in through the MCP client failed.', fix: 'Open the last step that lit or failed: its answer says what the server or the identity provider refused.' },
    nl: { message: 'Verbinden en aanmelden via de MCP-client mislukte.', fix: 'Open de laatste stap die oplichtte of mislukte: het antwoord zegt wat de server of de identity provider weigerde.' },
  },
  TOOL_CALL_FAILED: {
    en: { message: 'The tool call failed.', fix: 'See the server’s output: did it crash, or write to stdout?' },
    nl: { message: 'De tool-aanroep mislukte.', fix: 'Bekijk de uitvoer van de server: crashte hij, of schreef hij naar stdout?' },
  },
};

/**
 * A runner failure in the page's language. `{command}` in a fix is the
 * command the runner named (the lab's serve command); without one the
 * runner's own fix is used, which names it itself.
 */
export function problemText(code: string | undefined, lang: Lang, command: string | undefined): { message: string; fix: string } | undefined {
  const said = code ? PROBLEM_TEXT[code]?.[lang] : undefined;
  if (!said) return undefined;
  if (!said.fix.includes('{command}')) return said;
  return command ? { message: said.message, fix: said.fix.replaceAll('{command}', command) } : undefined;
}
