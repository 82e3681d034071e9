import type { CheckResult, LabManifest, LabResult } from '../model.ts';
import { HIDDEN_CHECK_FAILED, hiddenFailureName, shownChecks } from './audience.ts';
import type { Audience, ShownCheck } from './audience.ts';
import { orderedChecks } from './order.ts';
import { plainText } from './text-safety.ts';
import { checkCommand, lessonRef, readmePath } from './wording.ts';
import { troubleshootingAnchor, troubleshootingUrl, type TroubleLang } from '../troubleshooting.ts';

/**
 * What `mcp-lab check` prints when the checks are done: the first failure
 * first (with its hint and the lesson step to reread), then every check on a
 * line, the score, and the one next step.
 */

export interface TextOptions {
  /** ANSI colours; the CLI decides (TTY, NO_COLOR, FORCE_COLOR). Symbols and words carry the meaning without them. */
  color: boolean;
  /** Learner for `mcp-lab check`; instructor when grading someone's work. */
  audience: Audience;
  /** The lab after this one (folder name), for "all checks pass — next lab: …"; absent after the last lab. */
  nextLab?: string;
  manifest?: LabManifest;
  /** The language of the course page a troubleshooting link points to (default English). */
  lang?: TroubleLang;
}

const SYMBOL = { pass: '✔', fail: '✘', error: '!' } as const;

/** The report's own words, in the learner's language (the checks' titles and hints come localized with the manifest). */
const WORDS = {
  en: {
    couldNotBeChecked: (lab: string) => `${lab} could not be checked`,
    couldNotRun: 'The checks could not run.',
    counts: (passed: number, total: number) => `(${passed} of ${total} checks pass)`,
    hiddenSummary: (passed: number, total: number) => `Hidden checks: ${passed} of ${total} pass (graders see which; you see only how many).`,
    score: 'Score',
    firstFailure: 'First failure',
    firstError: 'First error',
    hiddenAdvice: (readme: string) => `Hidden checks test the same steps with other inputs. Reread ${readme} and try the cases the visible checks do not cover.`,
    hint: 'Hint:',
    reread: 'Reread:',
    troubleshooting: 'Troubleshooting:',
    serverOutput: 'Server output (last lines):',
    couldNotRunReason: (message: string) => `could not run: ${message}`,
    next: 'Next:',
    again: (command: string) => `then run \`${command}\` again`,
    fixSetup: (again: string) => `fix the problem above (\`npm run lab -- doctor\` checks your setup), ${again}.`,
    nextLab: (lab: string) => `next lab: ${lab} (\`npm run lab -- start ${lab}\`)`,
    lastLab: 'that was the last lab',
    allPass: (next: string) => `all checks pass — ${next}`,
    hiddenWhat: 'what the hidden check tests',
    fix: (what: string, again: string) => `fix ${what}, ${again}.`,
  },
  nl: {
    couldNotBeChecked: (lab: string) => `${lab} kon niet worden gecontroleerd`,
    couldNotRun: 'De controles konden niet draaien.',
    counts: (passed: number, total: number) => `(${passed} van ${total} controles geslaagd)`,
    hiddenSummary: (passed: number, total: number) => `Verborgen controles: ${passed} van ${total} geslaagd (docenten zien welke; jij ziet alleen hoeveel).`,
    score: 'Score',
    firstFailure: 'Eerste fout',
    firstError: 'Eerste probleem',
    hiddenAdvice: (readme: string) => `Verborgen controles testen dezelfde stappen met andere invoer. Lees ${readme} opnieuw en probeer de gevallen die de zichtbare controles niet dekken.`,
    hint: 'Hint:',
    reread: 'Lees opnieuw:',
    troubleshooting: 'Probleemoplossing:',
    serverOutput: 'Uitvoer van de server (laatste regels):',
    couldNotRunReason: (message: string) => `kon niet draaien: ${message}`,
    next: 'Volgende stap:',
    again: (command: string) => `voer daarna \`${command}\` opnieuw uit`,
    fixSetup: (again: string) => `los het probleem hierboven op (\`npm run lab -- doctor\` controleert je opstelling), ${again}.`,
    nextLab: (lab: string) => `volgend lab: ${lab} (\`npm run lab -- start ${lab}\`)`,
    lastLab: 'dat was het laatste lab',
    allPass: (next: string) => `alle controles geslaagd — ${next}`,
    hiddenWhat: 'wat de verborgen controle test',
    fix: (what: string, again: string) => `herstel ${what}, ${again}.`,
  },
} as const;
type Words = (typeof WORDS)[keyof typeof WORDS];
/** Lines of captured output shown under the first failure: enough for a stack trace's head. */
const OUTPUT_LINES = 12;

export function toText(result: LabResult, options: TextOptions): string {
  const paint = painter(options.color);
  const words = WORDS[options.lang ?? 'en'];
  const lab = result.lab;
  const shown = shownChecks(orderedChecks(result, options.manifest), options.audience);
  const out: string[] = [];

  if (result.status === 'error') {
    out.push(paint.bold(paint.yellow(`${SYMBOL.error} ${words.couldNotBeChecked(lab)}`)));
    out.push(indent(plainText(result.message ?? words.couldNotRun), 2));
    out.push('');
  }

  const first = shown.find((s) => s.kind === 'hidden-failure' || s.check.status !== 'pass');
  if (first) {
    out.push(...firstFailure(lab, first, paint, options.lang ?? 'en', words));
    out.push('');
  }

  for (const entry of shown) out.push(checkLine(entry, paint, options.audience, words));
  if (shown.length > 0) out.push('');

  const counted = shown.filter((s): s is { kind: 'check'; check: CheckResult } => s.kind === 'check');
  const passed = counted.filter((s) => s.check.status === 'pass').length;
  const counts = shown.length > 0 ? `  ${words.counts(passed, shown.length)}` : '';
  const hidden = options.audience === 'learner' ? hiddenSummary(result.checks, words) : undefined;
  if (hidden) out.push(hidden);
  out.push(`${paint.bold(`${words.score}: ${result.score}/${result.maxScore}`)}${counts}`);
  out.push(nextStep(result, first, options, paint, words));
  return `${out.join('\n')}\n`;
}

/**
 * Learners are told that hidden checks exist and how many passed — never
 * which (the lab pages promise exactly that much). Undefined when the lab has none.
 */
function hiddenSummary(checks: readonly CheckResult[], words: Words = WORDS.en): string | undefined {
  const hidden = checks.filter((c) => c.visibility === 'hidden');
  if (hidden.length === 0) return undefined;
  return words.hiddenSummary(hidden.filter((c) => c.status === 'pass').length, hidden.length);
}

function firstFailure(lab: string, entry: ShownCheck, paint: Painter, lang: TroubleLang, words: Words): string[] {
  if (entry.kind === 'hidden-failure') return [paint.bold(paint.red(`${words.firstFailure}: ${HIDDEN_CHECK_FAILED}`)), `  ${words.hiddenAdvice(readmePath(lab))}`];
  const check = entry.check;
  const lines = [paint.bold(paint.red(`${check.status === 'error' ? words.firstError : words.firstFailure}: ${check.id} — ${plainText(check.title)}`))];
  if (check.message) lines.push(indent(plainText(check.message), 2));
  lines.push(`  ${paint.bold(words.hint)} ${plainText(check.hint)}`);
  lines.push(`  ${paint.bold(words.reread)} ${lessonRef(lab, check.lessonStep)}`);
  // An error the course's troubleshooting page explains (an AADSTS code, a certificate or port problem): link its entry.
  const anchor = troubleshootingAnchor(`${check.message ?? ''}\n${check.output ?? ''}`, lang);
  if (anchor) lines.push(`  ${paint.bold(words.troubleshooting)} ${troubleshootingUrl(lang, anchor)}`);
  if (check.output) {
    const tail = plainText(check.output).trimEnd().split('\n').slice(-OUTPUT_LINES);
    lines.push(`  ${paint.dim(words.serverOutput)}`);
    lines.push(...tail.map((line) => paint.dim(`    ${line}`)));
  }
  return lines;
}

function checkLine(entry: ShownCheck, paint: Painter, audience: Audience, words: Words): string {
  if (entry.kind === 'hidden-failure') return `  ${paint.red(SYMBOL.fail)} ${hiddenFailureName(entry)}`;
  const c = entry.check;
  const symbol = c.status === 'pass' ? paint.green(SYMBOL.pass) : c.status === 'fail' ? paint.red(SYMBOL.fail) : paint.yellow(SYMBOL.error);
  const hidden = audience === 'instructor' && c.visibility === 'hidden' ? paint.dim(' [hidden]') : '';
  const points = paint.dim(` (${c.points}/${c.maxPoints})`);
  const line = `  ${symbol} ${c.id} — ${plainText(c.title)}${hidden}${points}`;
  if (c.status === 'pass' || !c.message) return line;
  const reason = c.status === 'error' ? words.couldNotRunReason(c.message) : c.message;
  return `${line}\n${paint.dim(indent(plainText(reason), 6))}`;
}

function nextStep(result: LabResult, first: ShownCheck | undefined, options: TextOptions, paint: Painter, words: Words): string {
  const again = words.again(checkCommand(result.lab));
  if (result.status === 'error') return `${paint.bold(words.next)} ${words.fixSetup(again)}`;
  if (!first) return paint.green(paint.bold(words.allPass(options.nextLab ? words.nextLab(options.nextLab) : words.lastLab)));
  const what = first.kind === 'hidden-failure' ? words.hiddenWhat : first.check.id;
  return `${paint.bold(words.next)} ${words.fix(what, again)}`;
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}

interface Painter {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
}

function painter(color: boolean): Painter {
  const sgr = (open: number, close: number) => (s: string) => (color ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39) };
}
