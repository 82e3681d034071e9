import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LabDefinitionError } from '../define-lab.ts';
import type { LabResult } from '../model.ts';
import { checkSubmission } from '../engine/check-submission.ts';
import type { LabIdp } from '../engine/lab-idp.ts';
import { loadLab } from '../engine/labs.ts';
import { readThreatModel, threatModelFindings } from './threat-model.ts';
import { differencesOutsideTodoBlocks } from './todo-blocks.ts';

/**
 * The maintainer's check of a lab's content (STYLE: "starters fail,
 * solutions pass, mutants are caught, every TODO is covered"). Each finding
 * is a sentence a maintainer can act on; an empty list means the lab holds.
 */
export interface ContentReport {
  lab: string;
  findings: string[];
  solution?: LabResult;
  starter?: LabResult;
  mutants: { name: string; breaks: string; result: LabResult }[];
}

const TODO = /TODO\(([a-z0-9-]+)\)/g;

/** `mutants/<name>/mutant.json`: the check the mutant must fail, why, and its edits to the solution. */
interface MutantSpec {
  breaks?: string;
  why?: string;
  /** Text replacements in solution files; each `find` must occur exactly once, so a mutant cannot silently go stale. */
  edits?: { file: string; find: string; replace: string }[];
}

/** Applies a mutant's edits in `dir`; returns what did not fit (a `find` not present exactly once). */
function applyEdits(dir: string, edits: NonNullable<MutantSpec['edits']>): string[] {
  const stale: string[] = [];
  for (const edit of edits) {
    const file = path.join(dir, edit.file);
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const count = text.split(edit.find).length - 1;
    if (count !== 1) {
      stale.push(`${edit.file}: the text to replace occurs ${count} times (it must occur once)`);
      continue;
    }
    fs.writeFileSync(file, text.replace(edit.find, () => edit.replace));
  }
  return stale;
}
const IGNORED = /(^|[/\\])(node_modules|\.env|\.cache|\.lab-cache)$/;

function files(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (IGNORED.test(full)) return [];
    return e.isDirectory() ? files(full, base) : [path.relative(base, full)];
  });
}

function todosIn(dir: string): Set<string> {
  const found = new Set<string>();
  for (const file of files(dir)) {
    for (const m of fs.readFileSync(path.join(dir, file), 'utf8').matchAll(TODO)) found.add(m[1]!);
  }
  return found;
}

function statusOf(result: LabResult, id: string): string {
  return result.checks.find((c) => c.id === id)?.status ?? 'not run';
}

function readMutantSpec(dir: string): MutantSpec {
  return JSON.parse(fs.readFileSync(path.join(dir, 'mutant.json'), 'utf8')) as MutantSpec;
}

export interface ContentCheckOptions {
  /** The threat model the lab is held to; default `docs/threat-model.md` two folders above the lab (the repository's). */
  threatModel?: string;
}

/**
 * Checks the lab in `labDir`. A lab that does not load (its lab.json invalid,
 * or naming other checks than its checks.ts) has that one finding: nothing
 * else can be checked.
 */
export async function checkLabContent(labDir: string, idp: LabIdp, options: ContentCheckOptions = {}): Promise<ContentReport> {
  let lab;
  try {
    lab = await loadLab(labDir);
  } catch (error) {
    if (!(error instanceof LabDefinitionError)) throw error;
    return { lab: path.basename(labDir), findings: [`${path.basename(labDir)}: ${error.code}: ${error.message} Fix: ${error.fix}`], mutants: [] };
  }
  const m = lab.manifest;
  const report: ContentReport = { lab: m.id, findings: [], mutants: [] };
  const say = (finding: string) => report.findings.push(`${m.id}: ${finding}`);
  if (path.basename(labDir) !== m.id) say(`the folder is called ${path.basename(labDir)} but the manifest id is ${m.id}`);
  for (const readme of ['README.md', 'README.nl.md']) if (!fs.existsSync(path.join(labDir, readme))) say(`${readme} is missing`);
  const starterDir = path.join(labDir, 'starter');
  const solutionDir = path.join(labDir, 'solution');
  // A lab without a server (lab 01: a registration) still has a starter and a solution when its checks read files.
  if (m.transport === 'none' && !fs.existsSync(starterDir) && !fs.existsSync(solutionDir)) return report;
  const starterFiles = files(starterDir).sort();
  const solutionFiles = files(solutionDir).sort();
  if (!starterFiles.length) say('starter/ is missing or empty');
  if (!solutionFiles.length) say('solution/ is missing or empty');
  const onlyOne = [...starterFiles.filter((f) => !solutionFiles.includes(f)), ...solutionFiles.filter((f) => !starterFiles.includes(f))];
  if (onlyOne.length) say(`starter/ and solution/ must have the same files; only in one of them: ${onlyOne.join(', ')}`);

  const todos = todosIn(starterDir);
  if (todos.size === 0) say('the starter has no TODO(<marker>): the learner would not know where to work');
  const covered = new Map(m.checks.filter((c) => c.todo).map((c) => [c.todo!, c.id]));
  for (const todo of todos) if (!covered.has(todo)) say(`TODO(${todo}) in the starter is covered by no check (give a check \`todo: '${todo}'\`)`);
  for (const [todo, id] of covered) if (!todos.has(todo)) say(`check ${id} covers TODO(${todo}), which is not in the starter`);
  if (todosIn(solutionDir).size) say(`the solution still has TODOs: ${[...todosIn(solutionDir)].join(', ')}`);
  for (const finding of await differencesOutsideTodoBlocks(starterDir, solutionDir, starterFiles.filter((f) => solutionFiles.includes(f)))) say(finding);

  const mutantsDir = path.join(labDir, 'mutants');
  const mutantNames = fs.existsSync(mutantsDir) ? fs.readdirSync(mutantsDir).sort() : [];
  const threatFile = options.threatModel ?? path.resolve(labDir, '..', '..', 'docs', 'threat-model.md');
  const facts = {
    id: m.id,
    hasServer: m.transport !== 'none',
    checkIds: m.checks.map((c) => c.id),
    mutants: new Map(mutantNames.map((name) => [name, readMutantSpec(path.join(mutantsDir, name)).breaks])),
    todos,
  };
  for (const finding of threatModelFindings(readThreatModel(threatFile)?.get(m.id), facts, path.relative(path.resolve(labDir, '..', '..'), threatFile))) say(finding);

  report.solution = await checkSubmission(lab, solutionDir, { idp, isolateApp: { label: `${m.id} solution` } });
  for (const c of report.solution.checks) if (c.status !== 'pass') say(`the solution does not pass ${c.id} (${c.status}): ${c.message ?? ''}`);
  if (report.solution.status === 'error') say(`the solution could not be checked: ${report.solution.message ?? ''}`);

  report.starter = await checkSubmission(lab, starterDir, { idp, isolateApp: { label: `${m.id} starter` } });
  for (const check of m.checks) {
    const status = statusOf(report.starter, check.id);
    if (check.todo && status === 'pass') say(`the starter passes ${check.id}, which checks TODO(${check.todo}): the check cannot fail`);
    if (!check.todo && status !== 'pass') say(`the starter fails ${check.id} (${status}), which checks no TODO: the starter should pass it`);
  }

  for (const name of mutantNames) {
    const dir = path.join(mutantsDir, name);
    const spec = readMutantSpec(dir);
    if (!spec.breaks || !m.checks.some((c) => c.id === spec.breaks)) {
      say(`mutant ${name} names no check of this lab in mutant.json ("breaks")`);
      continue;
    }
    // A mutant is the solution with a few edits (mutant.json) and/or files laid over it.
    const work = fs.mkdtempSync(path.join(os.tmpdir(), `mcp-lab-mutant-${name}-`));
    try {
      fs.cpSync(solutionDir, work, { recursive: true });
      for (const file of files(dir)) if (file !== 'mutant.json') fs.cpSync(path.join(dir, file), path.join(work, file));
      const stale = applyEdits(work, spec.edits ?? []);
      if (stale.length) {
        say(`mutant ${name} no longer fits the solution: ${stale.join('; ')}`);
        continue;
      }
      const result = await checkSubmission(lab, work, { idp, only: [spec.breaks], isolateApp: { label: `${m.id} mutant ${name}` } });
      report.mutants.push({ name, breaks: spec.breaks, result });
      if (statusOf(result, spec.breaks) !== 'fail') say(`mutant ${name} (${spec.why ?? ''}) is not caught: ${spec.breaks} says ${statusOf(result, spec.breaks)}`);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  return report;
}
