import fs from 'node:fs';
import path from 'node:path';
import { checkLanguage, checkSubmission, inLanguage, listLabs, loadLab, parseRoster, readLabManifest, withCheckPack, writeClassOutputs, type LabDefinition, type LabResult, type RosterEntry } from '@mcp-lab/harness';
import { CliError, EXIT } from '../cli-error.ts';
import { idpForRun } from '../lab-run.ts';
import { resolveLab } from './labs.ts';
import { learnerLab, type LearnerLab } from './learner-folders.ts';
import { loadLabMaxima, readGradeOutputs } from './grade-merge.ts';

export interface GradeOptions {
  class?: string;
  /** Output folders of earlier runs (or Classroom artifacts) to gather into one gradebook instead of grading. */
  merge?: string[];
  lab?: string;
  all?: boolean;
  roster?: string;
  out: string;
  jobs: number;
  checks?: string;
  /** `en` or `nl`: the checks' titles and hints and the words around them in the per-learner files (default: from LANG). */
  lang?: string;
}

/** Runs `work` over `items` with at most `jobs` at a time, in order of start. */
async function pool<T>(items: T[], jobs: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
}

/** One submission to grade: whose, which lab, where, with which registration. */
export type GradeJob = { username: string; lab: LabDefinition } & LearnerLab;

/**
 * Grades `jobs` against one private IdP, `parallel` learners at a time; one
 * learner's labs run in lab order, one after another. Each later lab imports
 * the learner's lab 01 manifest for its run (learner-registration.ts in the
 * harness). `grade` and `classroom grade` both grade through here, so a
 * Classroom run scores a commit exactly as the instructor's run does.
 */
export async function gradeJobs(learners: readonly string[], jobs: readonly GradeJob[], parallel: number): Promise<Map<string, Record<string, LabResult>>> {
  const results = new Map<string, Record<string, LabResult>>(learners.map((u) => [u, {}]));
  const idp = await idpForRun({ private: true });
  let done = 0;
  const byLearner = learners.map((username) => jobs.filter((j) => j.username === username)).filter((list) => list.length > 0);
  try {
    await pool(byLearner, Math.max(1, parallel), async (learnerJobs) => {
      for (const job of learnerJobs) {
        const result = await checkSubmission(job.lab, job.dir, {
          idp,
          isolateApp: { label: `${job.username} ${job.lab.manifest.id}` },
          ...(job.registration ? { registration: job.registration } : {}),
        });
        results.get(job.username)![job.lab.manifest.id] = result;
        done++;
        process.stderr.write(`[${done}/${jobs.length}] ${job.username} ${job.lab.manifest.id}: ${result.score}/${result.maxScore} ${result.status}\n`);
      }
    });
  } finally {
    await idp.close();
  }
  return results;
}

/**
 * `mcp-lab grade`: every learner folder under --class (a copy of their
 * `work/` tree with --all, or of one lab's folder with --lab), checked with
 * --jobs in parallel against one private IdP; gradebook.csv, report.html and
 * every learner's results in every format under --out.
 */
export async function runGrade(o: GradeOptions): Promise<number> {
  if (o.merge) return runMerge(o, o.merge);
  if (!o.class) throw new CliError('NO_CLASS', 'Say what to grade.', 'Pass --class <dir> (one sub-folder per learner), or --merge <dir>… to gather earlier results.', EXIT.usage);
  if (Boolean(o.lab) === Boolean(o.all)) throw new CliError('LAB_OR_ALL', 'Say which lab to grade.', 'Pass --lab <lab> (each learner folder is that lab’s folder) or --all (each learner folder holds lab folders, like work/).', EXIT.usage);
  const classDir = path.resolve(o.class);
  if (!fs.existsSync(classDir)) throw new CliError('NO_CLASS_FOLDER', `${classDir} does not exist.`, 'Point --class at the folder with one sub-folder per learner.', EXIT.usage);
  const roster = readRoster(o.roster);
  const folders = o.all ? listLabs() : [resolveLab(o.lab!)];
  const labs: LabDefinition[] = [];
  const lang = checkLanguage(o.lang);
  for (const folder of folders) labs.push(inLanguage(await withCheckPack(await loadLab(folder), o.checks), lang));
  const learners = fs
    .readdirSync(classDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();

  const jobs: GradeJob[] = [];
  for (const username of learners) {
    for (const lab of labs) {
      const found = learnerLab(path.join(classDir, username), lab.manifest.id, { labFolderItself: !o.all });
      if (found) jobs.push({ username, lab, ...found });
    }
  }
  const results = await gradeJobs(learners, jobs, o.jobs);
  const written = await writeClassOutputs(
    path.resolve(o.out),
    { roster, results, labs: labs.map((l) => ({ id: l.manifest.id, maxScore: l.manifest.checks.reduce((s, c) => s + c.points, 0) })) },
    { audience: 'instructor', manifests: new Map(labs.map((l) => [l.manifest.id, l.manifest])), lang },
  );
  return summarise(learners, jobs.length, roster, written);
}

function readRoster(file: string | undefined): RosterEntry[] | undefined {
  if (!file) return undefined;
  try {
    return parseRoster(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError('BAD_ROSTER', (error as Error).message, 'The roster is a CSV with a `username` column (optional: name, email, section).', EXIT.usage);
  }
}

/**
 * `grade --merge DIR…`: one gradebook, report and set of learner files from
 * earlier runs' outputs (a class graded in parts, or Classroom artifacts).
 * Nothing is checked again; the same writers make the same files a single
 * run would have made.
 */
async function runMerge(o: GradeOptions, dirs: string[]): Promise<number> {
  if (o.class || o.lab || o.all) throw new CliError('MERGE_OR_GRADE', '--merge gathers earlier results; it grades nothing.', 'Leave out --class, --lab and --all with --merge.', EXIT.usage);
  const roster = readRoster(o.roster);
  loadLabMaxima();
  const merged = readGradeOutputs(dirs);
  const manifests = new Map<string, LabDefinition['manifest']>();
  for (const lab of merged.labs) {
    const folder = listLabs().find((l) => l.id === lab.id);
    if (folder) manifests.set(lab.id, readLabManifest(folder));
  }
  const written = await writeClassOutputs(path.resolve(o.out), { roster, results: merged.results, labs: merged.labs }, { audience: 'instructor', manifests });
  return summarise([...merged.results.keys()].sort(), merged.files, roster, written);
}

function summarise(learners: string[], submissions: number, roster: RosterEntry[] | undefined, written: Awaited<ReturnType<typeof writeClassOutputs>>): number {
  const rostered = new Set(roster?.map((r) => r.username) ?? []);
  const extra = roster ? learners.filter((u) => !rostered.has(u)) : [];
  const missing = roster ? roster.filter((r) => !learners.includes(r.username)).map((r) => r.username) : [];
  process.stdout.write(
    [
      `Graded ${learners.length} learner folder(s), ${submissions} submission(s).`,
      `Gradebook: ${written.gradebook}`,
      `Report:    ${written.report}`,
      ...(missing.length ? [`In the roster, no submission: ${missing.join(', ')}`] : []),
      ...(extra.length ? [`Submitted, not in the roster: ${extra.join(', ')}`] : []),
      ...(written.refused.length ? [`Refused (unsafe folder names): ${written.refused.map((r) => `${r.username} (${r.reason})`).join(', ')}`] : []),
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}
