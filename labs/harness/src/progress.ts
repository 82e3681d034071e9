import fs from 'node:fs';
import path from 'node:path';
import type { LabResult } from './model.ts';

/**
 * `.lab/progress.json`, the one progress store (docs/design.md §6): the CLI writes
 * `labs`, the course site writes `lessons`; each writer keeps the other's part
 * and rewrites the file whole (write to a temp file, then rename).
 */
export interface Progress {
  version: 1;
  lessons: Record<string, unknown>;
  labs: Record<string, LabProgress>;
}

export interface LabProgress {
  status: LabResult['status'];
  score: number;
  maxScore: number;
  /** Visible checks by id; hidden ones are only counted. */
  checks: Record<string, 'pass' | 'fail' | 'error'>;
  hiddenFailed: number;
  /** ISO 8601 */
  at: string;
}

export function readProgress(file: string): Progress {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Progress>;
    if (parsed.version === 1) return { version: 1, lessons: parsed.lessons ?? {}, labs: parsed.labs ?? {} };
  } catch {
    // Missing or unreadable: start afresh (the file only ever holds progress, nothing else is lost).
  }
  return { version: 1, lessons: {}, labs: {} };
}

export function recordLabResult(file: string, result: LabResult): Progress {
  const progress = readProgress(file);
  progress.labs[result.lab] = {
    status: result.status,
    score: result.score,
    maxScore: result.maxScore,
    checks: Object.fromEntries(result.checks.filter((c) => c.visibility === 'visible').map((c) => [c.id, c.status])),
    hiddenFailed: result.checks.filter((c) => c.visibility === 'hidden' && c.status !== 'pass').length,
    at: new Date().toISOString(),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(progress, null, 2)}\n`);
  fs.renameSync(temp, file);
  return progress;
}
