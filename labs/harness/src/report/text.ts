import type { CheckResult, LabManifest, LabResult } from '../model.ts';
import { hiddenFailureName, shownChecks } from './audience.ts';
import type { Audience, ShownCheck } from './audience.ts';
import { orderedChecks } from './order.ts';
import { plainText } from './text-safety.ts';
import { checkCommand, lessonRef, readmePath } from './wording.ts';
import { reportWords, type ReportWords as Words } from './words.ts';
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

/** Lines of captured output shown under the first failure: enough for a stack trace's head. */
const OUTPUT_LINES = 12;

export function toText(result: LabResult, options: TextOptions): string {
  const paint = painter(options.color);
  const words = reportWords(options.lang);
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
export function hiddenSummary(checks: readonly CheckResult[], words: Words = reportWords()): string | undefined {
  const hidden = checks.filter((c) => c.visibility === 'hidden');
  if (hidden.length === 0) return undefined;
  return words.hiddenSummary(hidden.filter((c) => c.status === 'pass').length, hidden.length);
}

function firstFailure(lab: string, entry: ShownCheck, paint: Painter, lang: TroubleLang, words: Words): string[] {
  if (entry.kind === 'hidden-failure') return [paint.bold(paint.red(`${words.firstFailure}: ${words.hiddenCheckFailed}`)), `  ${words.hiddenAdvice(readmePath(lab))}`];
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
  if (entry.kind === 'hidden-failure') return `  ${paint.red(SYMBOL.fail)} ${hiddenFailureName(entry, words)}`;
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
