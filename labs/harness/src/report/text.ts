import type { CheckResult, LabManifest, LabResult } from '../model.ts';
import { HIDDEN_CHECK_FAILED, hiddenFailureName, shownChecks } from './audience.ts';
import type { Audience, ShownCheck } from './audience.ts';
import { orderedChecks } from './order.ts';
import { plainText } from './text-safety.ts';
import { checkCommand, lessonRef, readmePath } from './wording.ts';

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
}

const SYMBOL = { pass: '✔', fail: '✘', error: '!' } as const;
/** Lines of captured output shown under the first failure: enough for a stack trace's head. */
const OUTPUT_LINES = 12;

export function toText(result: LabResult, options: TextOptions): string {
  const paint = painter(options.color);
  const lab = result.lab;
  const shown = shownChecks(orderedChecks(result, options.manifest), options.audience);
  const out: string[] = [];

  if (result.status === 'error') {
    out.push(paint.bold(paint.yellow(`${SYMBOL.error} ${lab} could not be checked`)));
    out.push(indent(plainText(result.message ?? 'The checks could not run.'), 2));
    out.push('');
  }

  const first = shown.find((s) => s.kind === 'hidden-failure' || s.check.status !== 'pass');
  if (first) {
    out.push(...firstFailure(lab, first, paint));
    out.push('');
  }

  for (const entry of shown) out.push(checkLine(entry, paint, options.audience));
  if (shown.length > 0) out.push('');

  const counted = shown.filter((s): s is { kind: 'check'; check: CheckResult } => s.kind === 'check');
  const passed = counted.filter((s) => s.check.status === 'pass').length;
  const counts = shown.length > 0 ? `  (${passed} of ${shown.length} checks pass)` : '';
  out.push(`${paint.bold(`Score: ${result.score}/${result.maxScore}`)}${counts}`);
  out.push(nextStep(result, first, options, paint));
  return `${out.join('\n')}\n`;
}

function firstFailure(lab: string, entry: ShownCheck, paint: Painter): string[] {
  if (entry.kind === 'hidden-failure')
    return [
      paint.bold(paint.red(`First failure: ${HIDDEN_CHECK_FAILED}`)),
      `  Hidden checks test the same steps with other inputs. Reread ${readmePath(lab)} and try the cases the visible checks do not cover.`,
    ];
  const check = entry.check;
  const lines = [paint.bold(paint.red(`First ${check.status === 'error' ? 'error' : 'failure'}: ${check.id} — ${plainText(check.title)}`))];
  if (check.message) lines.push(indent(plainText(check.message), 2));
  lines.push(`  ${paint.bold('Hint:')} ${plainText(check.hint)}`);
  lines.push(`  ${paint.bold('Reread:')} ${lessonRef(lab, check.lessonStep)}`);
  if (check.output) {
    const tail = plainText(check.output).trimEnd().split('\n').slice(-OUTPUT_LINES);
    lines.push(`  ${paint.dim('Server output (last lines):')}`);
    lines.push(...tail.map((line) => paint.dim(`    ${line}`)));
  }
  return lines;
}

function checkLine(entry: ShownCheck, paint: Painter, audience: Audience): string {
  if (entry.kind === 'hidden-failure') return `  ${paint.red(SYMBOL.fail)} ${hiddenFailureName(entry)}`;
  const c = entry.check;
  const symbol = c.status === 'pass' ? paint.green(SYMBOL.pass) : c.status === 'fail' ? paint.red(SYMBOL.fail) : paint.yellow(SYMBOL.error);
  const hidden = audience === 'instructor' && c.visibility === 'hidden' ? paint.dim(' [hidden]') : '';
  const points = paint.dim(` (${c.points}/${c.maxPoints})`);
  const line = `  ${symbol} ${c.id} — ${plainText(c.title)}${hidden}${points}`;
  if (c.status === 'pass' || !c.message) return line;
  const reason = c.status === 'error' ? `could not run: ${c.message}` : c.message;
  return `${line}\n${paint.dim(indent(plainText(reason), 6))}`;
}

function nextStep(result: LabResult, first: ShownCheck | undefined, options: TextOptions, paint: Painter): string {
  const again = `then run \`${checkCommand(result.lab)}\` again`;
  if (result.status === 'error')
    return `${paint.bold('Next:')} fix the problem above (\`npm run lab -- doctor\` checks your setup), ${again}.`;
  if (!first) {
    const next = options.nextLab
      ? `next lab: ${options.nextLab} (\`npm run lab -- start ${options.nextLab}\`)`
      : 'that was the last lab';
    return paint.green(paint.bold(`all checks pass — ${next}`));
  }
  const what = first.kind === 'hidden-failure' ? 'what the hidden check tests' : first.check.id;
  return `${paint.bold('Next:')} fix ${what}, ${again}.`;
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
