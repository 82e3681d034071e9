import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { registerHooks } from 'node:module';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type * as WorkflowParser from '@actions/workflow-parser';
import { csvCell, findLab, listLabs, loadLab } from '@mcp-lab/harness';
import { runCli } from './run-cli.ts';

/**
 * The Classroom workflow (.github/workflows/classroom.yml). GitHub's hosted
 * runners cannot be reached from here, so: the file is validated against the
 * Actions workflow schema (GitHub's own parser, @actions/workflow-parser), and
 * its steps are run, as the runner would run them, in a fresh clone of this
 * repository holding a learner's work. `uses:` steps are played by what they
 * do (the clone is the checkout; this Node is Node 24; the artifact folder
 * must exist; the reporter's reading of the result is redone), and `npm ci`,
 * which needs the registry, by a hard-linked copy of this checkout's
 * node_modules. The Classroom result must give the same points as
 * `mcp-lab grade` on the same commit.
 */

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
const WORKFLOW = path.join(REPO, '.github', 'workflows', 'classroom.yml');
fs.mkdirSync(path.join(REPO, '.lab'), { recursive: true });
const root = fs.mkdtempSync(path.join(REPO, '.lab', 'classroom-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | number>;
  env?: Record<string, string>;
}
interface Workflow {
  name: string;
  jobs: Record<string, { name?: string; steps: Step[] }>;
}
interface ClassroomResult {
  version: number;
  status: string;
  max_score: number;
  tests: { name: string; status: string; score: number; message: string | null }[];
}

/** The package imports its JSON schema without an import attribute (it is built for bundlers); Node wants one. */
async function workflowParser(): Promise<typeof WorkflowParser> {
  registerHooks({
    load: (url, context, nextLoad) => (url.includes('/@actions/workflow-parser/') && url.endsWith('.json') ? nextLoad(url, { ...context, importAttributes: { type: 'json' } }) : nextLoad(url, context)),
  });
  return import('@actions/workflow-parser');
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Learner', '-c', 'user.email=learner@example.test', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
}

/** `${{ github.actor }}` and `${{ steps.<id>.outputs.<name> }}`, the only expressions the workflow's commands and env use. */
function expand(text: string, actor: string, outputs: Map<string, Record<string, string>>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_all, expression: string) => {
    if (expression === 'github.actor') return actor;
    const step = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
    if (step) return outputs.get(step[1]!)?.[step[2]!] ?? '';
    throw new Error(`the workflow uses an expression this test does not know: ${expression}`);
  });
}

/** A GITHUB_OUTPUT file's `name=value` lines. */
function readOutputs(file: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('the Classroom workflow', () => {
  it('is valid against GitHub Actions’ workflow schema, and is what `classroom init` writes', async () => {
    const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await workflowParser();
    const content = fs.readFileSync(WORKFLOW, 'utf8');
    const parsed = parseWorkflow({ name: 'classroom.yml', content }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
    expect(template.errors ?? []).toEqual([]);
    expect(template.jobs.length).toBe(1);
    // The schema check is not vacuous: a misspelt key is refused.
    const broken = parseWorkflow({ name: 'broken.yml', content: content.replace('runs-on:', 'runs-onn:') }, new NoOperationTraceWriter());
    expect(broken.context.errors.getErrors().map((e) => e.message).join('\n')).toMatch(/runs-onn/);

    const target = path.join(root, 'template-repo');
    const init = await runCli(['classroom', 'init', '--dir', target], {}, 30_000);
    expect(init.code, init.stderr).toBe(0);
    expect(fs.readFileSync(path.join(target, '.github', 'workflows', 'classroom.yml'), 'utf8')).toBe(content);
    // Run again: unchanged is fine, a changed file is kept unless --force.
    fs.appendFileSync(path.join(target, '.github', 'workflows', 'classroom.yml'), '# mine\n');
    const again = await runCli(['classroom', 'init', '--dir', target], {}, 30_000);
    expect(again.code).toBe(64);
    expect(again.stderr).toContain('WORKFLOW_EXISTS');
  });

  it('its steps pass in a fresh clone with a learner’s work, and give the points `mcp-lab grade` gives', { timeout: 600_000 }, async () => {
    const actor = 'alice';
    const clone = path.join(root, 'clone');
    git(root, 'clone', '--quiet', REPO, clone);
    // The learner's work: their lab 01 registration and lab 02; lab 03 not started.
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'labs', '01-register-app', 'solution', 'app-manifest.json'), 'utf8')) as { appId: string };
    fs.cpSync(path.join(REPO, 'labs', '01-register-app', 'solution'), path.join(clone, 'work', '01-register-app'), { recursive: true });
    fs.writeFileSync(path.join(clone, 'work', '01-register-app', 'app-manifest.json'), JSON.stringify({ ...manifest, appId: 'a11ce5e0-0000-4000-8000-00000000a11c' }, null, 2));
    fs.cpSync(path.join(REPO, 'labs', '02-public-client', 'solution'), path.join(clone, 'work', '02-public-client'), { recursive: true });
    git(clone, 'add', 'work');
    git(clone, 'commit', '--quiet', '-m', 'my labs');

    const workflow = parse(fs.readFileSync(path.join(clone, '.github', 'workflows', 'classroom.yml'), 'utf8')) as Workflow;
    const [job] = Object.values(workflow.jobs);
    expect(job!.name).toBe('Autograding Tests');
    const outputs = new Map<string, Record<string, string>>();
    const home = fs.mkdtempSync(path.join(root, 'home-'));
    let reported: { total: number; max: number; result: ClassroomResult } | undefined;
    let artifact = '';
    for (const step of job!.steps) {
      if (step.uses?.startsWith('actions/checkout@')) {
        expect(git(clone, 'log', '-1', '--format=%s').trim()).toBe('my labs');
      } else if (step.uses?.startsWith('actions/setup-node@')) {
        expect(String(step.with?.['node-version'])).toBe('24');
        expect(process.version).toMatch(/^v24\./);
      } else if (step.run?.startsWith('npm ci')) {
        // The registry is not reached from a test: the same packages, hard-linked (the sandbox refuses links out of node_modules).
        execFileSync('cp', ['-al', path.join(REPO, 'node_modules'), path.join(clone, 'node_modules')]);
      } else if (step.run) {
        const outputFile = path.join(root, `output-${step.id ?? 'step'}`);
        fs.writeFileSync(outputFile, '');
        // What a runner gives a step: a plain environment, not this test's.
        const env = { PATH: process.env.PATH!, HOME: home, CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_ACTOR: actor, GITHUB_OUTPUT: outputFile };
        const ran = spawnSync('bash', ['-e', '-c', expand(step.run, actor, outputs)], { cwd: clone, env, encoding: 'utf8', timeout: 500_000 });
        expect(ran.status, `${step.name ?? step.run}\n${ran.stdout}\n${ran.stderr}`).toBe(0);
        if (step.id) outputs.set(step.id, readOutputs(outputFile));
      } else if (step.uses?.startsWith('actions/upload-artifact@')) {
        artifact = path.join(clone, String(step.with?.path));
        expect(fs.readdirSync(artifact)).toContain('classroom-result.json');
      } else if (step.uses?.startsWith('classroom-resources/autograding-grading-reporter@')) {
        // The reporter: each runner's result is <RUNNER>_RESULTS, base64 JSON; the points are the sum of tests[].score out of max_score.
        const runner = String(step.with?.runners);
        const encoded = expand(step.env?.[`${runner.toUpperCase()}_RESULTS`] ?? '', actor, outputs);
        const result = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as ClassroomResult;
        reported = { total: result.tests.reduce((s, t) => s + t.score, 0), max: result.max_score, result };
      } else {
        throw new Error(`a step this test does not know how to play: ${JSON.stringify(step)}`);
      }
    }
    expect(reported).toBeDefined();
    const { result } = reported!;
    expect(result.version).toBe(1);
    expect(result.status).toBe('fail');
    // Per-check points: lab 01 and 02 in full, every check of lab 03 at 0 as not handed in.
    expect(result.tests.filter((t) => t.name.startsWith('03-confidential-client')).every((t) => t.score === 0 && t.message?.startsWith('not handed in'))).toBe(true);
    expect(result.tests.find((t) => t.name.startsWith('02-public-client · returns-profile'))).toMatchObject({ status: 'pass', score: 3 });
    const fullMarks = async (lab: string) => (await loadLab(findLab(lab))).manifest.checks.reduce((sum, c) => sum + c.points, 0);
    const [lab01, lab02] = [await fullMarks('01-register-app'), await fullMarks('02-public-client')];
    expect(reported!.total).toBe(lab01 + lab02);
    // Every lab of the repository has a column; only 01 and 02 were handed in.
    const labIds = listLabs().map((l) => l.id);
    const handedIn = new Map([['01-register-app', lab01], ['02-public-client', lab02]]);
    const maxAll = (await Promise.all(labIds.map(fullMarks))).reduce((sum, points) => sum + points, 0);
    expect(JSON.parse(fs.readFileSync(path.join(artifact, 'classroom-result.json'), 'utf8'))).toEqual(result);

    // The instructor grades the same commit: the same points.
    const classDir = path.join(root, 'class');
    git(root, 'clone', '--quiet', clone, path.join(classDir, actor));
    const grades = path.join(root, 'grades');
    const graded = spawnSync(process.execPath, [path.join(clone, 'apps', 'lab', 'src', 'cli.ts'), 'grade', '--class', classDir, '--all', '--out', grades], {
      cwd: clone,
      env: { PATH: process.env.PATH!, HOME: home },
      encoding: 'utf8',
      timeout: 500_000,
    });
    expect(graded.status, graded.stderr).toBe(0);
    const [header, line] = fs.readFileSync(path.join(grades, 'gradebook.csv'), 'utf8').trim().split(/\r?\n/);
    // username,name,email,section,<one column per lab>,total,max,status
    const columns = header!.split(',');
    const row = line!.split(',');
    const cell = (name: string) => row[columns.indexOf(name)];
    expect(cell('username')).toBe(actor);
    expect(Number(cell('total'))).toBe(reported!.total);
    expect(Number(cell('max'))).toBe(reported!.max);
    // And the artifact merges like any grade output.
    const merged = path.join(root, 'merged');
    const merge = spawnSync(process.execPath, [path.join(clone, 'apps', 'lab', 'src', 'cli.ts'), 'grade', '--merge', artifact, '--out', merged], { cwd: clone, env: { PATH: process.env.PATH!, HOME: home }, encoding: 'utf8' });
    expect(merge.status, merge.stderr).toBe(0);
    const labCells = labIds.map((id) => String(handedIn.get(id) ?? '')).join(',');
    const missing = labIds.filter((id) => !handedIn.has(id)).map((id) => `missing ${id}`).join('; ');
    // Several notes are joined with "; ", which the gradebook quotes (spreadsheets in some locales split on it).
    const status = csvCell(missing);
    expect(fs.readFileSync(path.join(merged, 'gradebook.csv'), 'utf8').trim().split(/\r?\n/)[1]).toBe(`${actor},,,,${labCells},${lab01 + lab02},${maxAll},${status}`);
  });
});
