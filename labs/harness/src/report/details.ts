import type { CheckResult } from '../model.ts';
import { lessonRef } from './wording.ts';

/**
 * What went wrong with a check and what to do, as lines of plain text: the
 * message, the hint and the lesson step to reread. Shared by the formats that
 * show one block of text per test (JUnit, Exercism, Gradescope).
 */
export function failureDetails(lab: string, check: CheckResult): string {
  const lines: string[] = [];
  if (check.message) lines.push(check.message);
  else lines.push(check.status === 'error' ? 'The check could not run.' : 'The check failed.');
  lines.push(`Hint: ${check.hint}`);
  lines.push(`Reread: ${lessonRef(lab, check.lessonStep)}`);
  return lines.join('\n');
}

/** The first line of a message, for one-line places (JUnit's `message` attribute). */
export function firstLine(text: string, max = 200): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
