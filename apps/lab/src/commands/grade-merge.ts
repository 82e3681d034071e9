import fs from 'node:fs';
import path from 'node:path';
import { labResultFromJson, listLabs, readLabManifest, type GradeLab, type LabResult } from '@mcp-lab/harness';
import { CliError, EXIT } from '../cli-error.ts';

/** What `grade --merge` gathered: every learner's newest result per lab, and the labs in order. */
export interface MergedClass {
  results: Map<string, Record<string, LabResult>>;
  labs: GradeLab[];
  /** Result files read. */
  files: number;
}

/** The labs an output graded: the lab columns of its gradebook.csv (between `section` and `total`). */
function gradedLabs(dir: string): string[] {
  const file = path.join(dir, 'gradebook.csv');
  if (!fs.existsSync(file)) return [];
  // The header is ours: plain names, no quoting (lab ids are folder names).
  const header = (fs.readFileSync(file, 'utf8').split(/\r?\n/, 1)[0] ?? '').replace(/^\uFEFF/, '').split(',');
  const from = header.indexOf('section');
  const to = header.indexOf('total');
  return from >= 0 && to > from ? header.slice(from + 1, to) : [];
}

/** A lab's points from its manifest here, for a lab an output graded but no learner handed in. */
function maxOfLab(id: string): number {
  return maxScoreOf.get(id) ?? 0;
}
const maxScoreOf = new Map<string, number>();

/** Loads the maximum of each lab in this repository (the default check set), for {@link maxOfLab}. */
export function loadLabMaxima(): void {
  for (const folder of listLabs()) {
    const manifest = readLabManifest(folder);
    maxScoreOf.set(manifest.id, manifest.checks.reduce((s, c) => s + c.points, 0));
  }
}

function subfolders(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

/**
 * Reads the per-learner `results.json` files of earlier `grade` runs or
 * Classroom artifacts (`<dir>/<learner>/<lab>/results.json`, the layout both
 * write; a folder that holds such output folders is searched one level down,
 * as `gh run download` leaves one folder per artifact). When the same learner
 * and lab come more than once, the newest run counts. A lab is out of the
 * points its newest result says (the manifest and any check pack of that run).
 */
export function readGradeOutputs(dirs: readonly string[]): MergedClass {
  const results = new Map<string, Record<string, LabResult>>();
  const maxScores = new Map<string, { score: number; at: string }>();
  let files = 0;
  const graded = new Set<string>();
  const readOutput = (dir: string): boolean => {
    let found = false;
    for (const lab of gradedLabs(dir)) graded.add(lab);
    for (const learner of subfolders(dir)) {
      for (const lab of subfolders(path.join(dir, learner))) {
        const file = path.join(dir, learner, lab, 'results.json');
        if (!fs.existsSync(file)) continue;
        let result: LabResult;
        try {
          result = labResultFromJson(fs.readFileSync(file, 'utf8'));
        } catch (error) {
          throw new CliError('BAD_RESULTS_FILE', `${file}: ${(error as Error).message}`, 'Merge only folders written by `mcp-lab grade` or the Classroom workflow (same mcp-lab version); remove or regrade the learner whose file this is.', EXIT.usage);
        }
        found = true;
        files++;
        const mine = results.get(learner) ?? {};
        const earlier = mine[result.lab];
        if (!earlier || Date.parse(earlier.startedAt) <= Date.parse(result.startedAt)) mine[result.lab] = result;
        results.set(learner, mine);
        const max = maxScores.get(result.lab);
        if (!max || max.at <= result.startedAt) maxScores.set(result.lab, { score: result.maxScore, at: result.startedAt });
      }
    }
    return found;
  };
  for (const dir of dirs) {
    const full = path.resolve(dir);
    if (!fs.existsSync(full) || !fs.statSync(full).isDirectory()) throw new CliError('NO_MERGE_FOLDER', `${full} is not a folder.`, 'Pass the --out folders of earlier `grade` runs, or the folder of downloaded Classroom artifacts.', EXIT.usage);
    if (readOutput(full)) continue;
    // A folder of artifacts: each sub-folder is one output.
    const inner = subfolders(full).filter((name) => readOutput(path.join(full, name)));
    if (inner.length === 0) throw new CliError('NOTHING_TO_MERGE', `${full} holds no <learner>/<lab>/results.json.`, 'Pass the --out folders of earlier `grade` runs, or the folder of downloaded Classroom artifacts.', EXIT.usage);
  }
  // Every lab an output graded, with a result or not (a lab nobody handed in still counts toward the maximum).
  const ids = [...new Set([...maxScores.keys(), ...graded])].sort();
  const labs = ids.map((id) => ({ id, maxScore: maxScores.get(id)?.score ?? maxOfLab(id) }));
  return { results, labs, files };
}
