import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckLang } from '../check-language.ts';
import type { LabManifest, LabResult } from '../model.ts';
import type { Audience } from './audience.ts';
import type { ClassResults } from './class-results.ts';
import { toExercism } from './exercism.ts';
import { toGradebookCsv } from './gradebook.ts';
import { toGradescope } from './gradescope.ts';
import { toJson } from './json.ts';
import { toJunit } from './junit.ts';
import { toReportHtml } from './report-html.ts';
import { safeName, UnsafeNameError } from './safe-name.ts';
import { toText } from './text.ts';

/** The files written for each learner and lab: `<out>/<username>/<lab>/<file>`. */
export const LEARNER_FILES = ['results.json', 'junit.xml', 'exercism.json', 'gradescope.json', 'results.txt'] as const;

export interface WriteOptions {
  /**
   * Who the per-learner files are for. Instructor: hidden checks in full (for
   * the instructor's own records). Learner: files that can be handed back.
   * `exercism.json` is always the learner view (Exercism shows it to students).
   */
  audience: Audience;
  /** Lab id → manifest, to order checks as the lab declares them. */
  manifests?: ReadonlyMap<string, LabManifest>;
  /** The lab after a given one, for the "next lab" line of results.txt. */
  nextLab?: (lab: string) => string | undefined;
  /** The language of the fixed words in the per-learner files (default English; titles and hints come with the results). */
  lang?: CheckLang;
}

/**
 * Writes every format for one learner. The username and the lab ids become
 * folder names and are refused (UnsafeNameError) unless each is one ordinary
 * path segment; nothing is written for a refused learner. Returns the files
 * written.
 */
export async function writeLearnerResults(
  outDir: string,
  username: string,
  results: Readonly<Partial<Record<string, LabResult>>>,
  options: WriteOptions,
): Promise<string[]> {
  const learnerDir = inside(outDir, safeName(username, 'username'));
  const plan: [string, string][] = [];
  for (const [labId, result] of Object.entries(results)) {
    if (!result) continue;
    if (result.lab !== labId) throw new Error(`the result under '${labId}' is for lab '${result.lab}'`);
    const labDir = inside(learnerDir, safeName(labId, 'lab'));
    const manifest = options.manifests?.get(labId);
    const common = { audience: options.audience, ...(manifest ? { manifest } : {}), ...(options.lang ? { lang: options.lang } : {}) };
    const nextLab = options.nextLab?.(labId);
    const files: Record<(typeof LEARNER_FILES)[number], string> = {
      'results.json': toJson(result, { audience: options.audience, ...(manifest ? { manifest } : {}) }),
      'junit.xml': toJunit(result, common),
      'exercism.json': toExercism(result, { ...(manifest ? { manifest } : {}), ...(options.lang ? { lang: options.lang } : {}) }),
      'gradescope.json': toGradescope(result, common),
      'results.txt': toText(result, { ...common, color: false, ...(nextLab ? { nextLab } : {}) }),
    };
    for (const file of LEARNER_FILES) plan.push([path.join(labDir, file), files[file]]);
  }
  // Everything is rendered before anything is written: a bad lab leaves no half-written learner folder.
  for (const [file, content] of plan) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content, 'utf8');
  }
  return plan.map(([file]) => file);
}

export interface ClassWriteResult {
  gradebook: string;
  report: string;
  /** Per-learner files written. */
  files: string[];
  /** Learners whose folder name was refused: still in the gradebook and report, but without per-learner files. */
  refused: { username: string; reason: string }[];
}

/**
 * Everything `mcp-lab grade` writes into `--out`: gradebook.csv, report.html
 * and the per-learner files. One unsafe username does not stop the class: it
 * is reported in `refused`, the others are written.
 */
export async function writeClassOutputs(
  outDir: string,
  input: ClassResults,
  options: WriteOptions & { generatedAt?: string },
): Promise<ClassWriteResult> {
  await mkdir(outDir, { recursive: true });
  const gradebook = path.join(outDir, 'gradebook.csv');
  const report = path.join(outDir, 'report.html');
  await writeFile(gradebook, toGradebookCsv(input), 'utf8');
  await writeFile(report, toReportHtml(input, options.generatedAt ? { generatedAt: options.generatedAt } : {}), 'utf8');
  const files: string[] = [];
  const refused: ClassWriteResult['refused'] = [];
  for (const [username, results] of input.results) {
    try {
      files.push(...(await writeLearnerResults(outDir, username, results, options)));
    } catch (error) {
      if (!(error instanceof UnsafeNameError)) throw error;
      refused.push({ username, reason: error.message });
    }
  }
  return { gradebook, report, files, refused };
}

/** `parent/child`, checked to stay inside `parent` (belt and braces after safeName). */
function inside(parent: string, child: string): string {
  const base = path.resolve(parent);
  const full = path.resolve(base, child);
  if (path.dirname(full) !== base) throw new UnsafeNameError(`refusing ${JSON.stringify(child)}: it leaves ${base}`);
  return full;
}
