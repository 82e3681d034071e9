import type { CheckResult } from '../model.ts';
import { lessonRef } from './wording.ts';
import { reportWords, type ReportWords } from './words.ts';

/**
 * What went wrong with a check and what to do, as lines of plain text: the
 * message, the hint and the lesson step to reread. Shared by the formats that
 * show one block of text per test (JUnit, Exercism, Gradescope).
 */
export function failureDetails(lab: string, check: CheckResult, words: ReportWords = reportWords()): string {
  const lines: string[] = [];
  if (check.message) lines.push(check.message);
  else lines.push(check.status === 'error' ? words.checkCouldNotRun : words.checkFailed);
  lines.push(`${words.hint} ${check.hint}`);
  lines.push(`${words.reread} ${lessonRef(lab, check.lessonStep)}`);
  return lines.join('\n');
}

/** The first line of a message, for one-line places (JUnit's `message` attribute). */
export function firstLine(text: string, max = 200): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
