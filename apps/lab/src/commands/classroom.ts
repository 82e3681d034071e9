import fs from 'node:fs';
import path from 'node:path';
import { WORK_ROOT, checkLanguage, classroomOutput, inLanguage, listLabs, loadLab, toClassroomResult, withCheckPack, writeClassOutputs, type LabDefinition } from '@mcp-lab/harness';
import { CliError, EXIT } from '../cli-error.ts';
import { gradeJobs, type GradeJob } from './grade.ts';
import { learnerLab } from './learner-folders.ts';

/** The workflow `classroom init` writes; the repository's own .github/workflows/classroom.yml is a copy (a test holds them equal). */
const WORKFLOW_TEMPLATE = path.join(import.meta.dirname, '..', 'classroom', 'classroom.yml');
const WORKFLOW_PATH = path.join('.github', 'workflows', 'classroom.yml');
/** The file with the result Classroom's reporter reads, beside the learner's results. */
const RESULT_FILE = 'classroom-result.json';

export interface ClassroomGradeOptions {
  learner?: string;
  work?: string;
  out: string;
  jobs: number;
  checks?: string;
  /** `en` or `nl`: the language of the checks and of the words around them (default: from LANG). */
  lang?: string;
}

/**
 * `mcp-lab classroom grade`: what the Classroom workflow runs in a learner's
 * repository. Grades every lab of this commit's work/ tree as one learner
 * through the same code as `mcp-lab grade`, writes that learner's results
 * (the same layout as `grade --out`, so `grade --merge` gathers them; the
 * learner's view, as the learner can download their run's artifact), and the
 * Classroom result: `classroom-result.json` and, under GitHub Actions, the
 * step output `result` (base64 JSON) the reporter action reads.
 */
export async function runClassroomGrade(o: ClassroomGradeOptions): Promise<number> {
  const learner = o.learner || process.env.GITHUB_ACTOR || 'learner';
  const work = path.resolve(o.work ?? WORK_ROOT);
  if (!fs.existsSync(work)) throw new CliError('NO_WORK_FOLDER', `${work} does not exist.`, 'Run this at the root of a learner’s repository (it has a work/ folder), or pass --work <dir>.', EXIT.usage);
  const labs: LabDefinition[] = [];
  const lang = checkLanguage(o.lang);
  for (const folder of listLabs()) labs.push(inLanguage(await withCheckPack(await loadLab(folder), o.checks), lang));
  const jobs: GradeJob[] = labs.flatMap((lab) => {
    const found = learnerLab(work, lab.manifest.id, { labFolderItself: false });
    return found ? [{ username: learner, lab, ...found }] : [];
  });
  const results = await gradeJobs([learner], jobs, o.jobs);
  const out = path.resolve(o.out);
  await writeClassOutputs(
    out,
    { roster: undefined, results, labs: labs.map((l) => ({ id: l.manifest.id, maxScore: l.manifest.checks.reduce((s, c) => s + c.points, 0) })) },
    { audience: 'learner', manifests: new Map(labs.map((l) => [l.manifest.id, l.manifest])), lang },
  );
  const classroom = toClassroomResult(
    labs.map((l) => ({ id: l.manifest.id, checks: l.manifest.checks, folder: `work/${l.manifest.id}` })),
    results.get(learner) ?? {},
    lang,
  );
  fs.writeFileSync(path.join(out, RESULT_FILE), `${JSON.stringify(classroom, null, 2)}\n`);
  if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, `result=${classroomOutput(classroom)}\n`);
  const points = classroom.tests.reduce((sum, t) => sum + t.score, 0);
  for (const test of classroom.tests) process.stdout.write(`${test.status === 'pass' ? '✔' : '✘'} ${test.name} (${test.score})\n`);
  process.stdout.write(`Points ${points}/${classroom.max_score}\nResults: ${out}\n`);
  return EXIT.ok;
}

/**
 * `mcp-lab classroom init [--dir REPO] [--force]`: puts the Classroom workflow
 * in a repository (the assignment's template): .github/workflows/classroom.yml.
 */
export function runClassroomInit(o: { dir?: string; force?: boolean }): number {
  const target = path.join(path.resolve(o.dir ?? process.cwd()), WORKFLOW_PATH);
  const text = fs.readFileSync(WORKFLOW_TEMPLATE, 'utf8');
  if (fs.existsSync(target) && !o.force) {
    if (fs.readFileSync(target, 'utf8') === text) {
      process.stdout.write(`${target} is already the current workflow.\n`);
      return EXIT.ok;
    }
    throw new CliError('WORKFLOW_EXISTS', `${target} exists and differs from the workflow this version writes.`, 'Look at the difference, then run again with --force to replace it.', EXIT.usage);
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
  process.stdout.write(`Wrote ${target}.\nCommit it to the assignment's template repository: every learner's push then grades itself, and GitHub Classroom shows the points.\n`);
  return EXIT.ok;
}
