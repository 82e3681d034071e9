import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

/**
 * `grade --merge DIR…` gathers earlier outputs into one gradebook: a class
 * graded in two parts and merged gives the same gradebook, report and
 * learner files as the class graded in one run.
 */

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
fs.mkdirSync(path.join(REPO, '.lab'), { recursive: true });
const root = fs.mkdtempSync(path.join(REPO, '.lab', 'grade-merge-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const ANSWER_LAB = {
  manifestVersion: 1,
  id: '94-answer',
  title: 'the answer',
  titleNl: 'het antwoord',
  lesson: '/en/labs/94-answer',
  transport: 'none',
  env: [],
  checks: [
    { id: 'answer', title: 'answer.txt holds 42', hint: 'h', nl: { title: 'answer.txt bevat 42', hint: 'h' }, points: 2, lessonStep: '#s', testCode: 't' },
    { id: 'question', title: 'question.txt asks it', hint: 'h', nl: { title: 'question.txt vraagt het', hint: 'h' }, points: 1, lessonStep: '#s', testCode: 't', visibility: 'hidden' },
  ],
};
const ANSWER_CHECKS = `import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { defineChecks } from '@mcp-lab/harness';

const read = (dir: string, file: string) => (fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file), 'utf8').trim() : '');

export default defineChecks({
  answer: async (ctx) => assert.equal(read(ctx.dir, 'answer.txt'), '42'),
  question: async (ctx) => assert.ok(read(ctx.dir, 'question.txt').endsWith('?')),
});
`;

const learners: Record<string, { answer: string; question: string }> = {
  alice: { answer: '42', question: 'what is it?' },
  bob: { answer: '41', question: 'what is it?' },
  carol: { answer: '42', question: 'no question' },
  dave: { answer: '', question: '' },
};

function classFolder(name: string, who: string[]): string {
  const dir = path.join(root, name);
  for (const learner of who) {
    const lab = path.join(dir, learner, '94-answer');
    fs.mkdirSync(lab, { recursive: true });
    fs.writeFileSync(path.join(lab, 'answer.txt'), learners[learner]!.answer);
    fs.writeFileSync(path.join(lab, 'question.txt'), learners[learner]!.question);
  }
  return dir;
}

/** A results.json without what differs between any two runs: when, how long, from which folder. */
function stable(file: string): unknown {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> & { checks: Record<string, unknown>[] };
  const { startedAt: _s, durationMs: _d, submission: _f, ...rest } = doc;
  return { ...rest, checks: doc.checks.map(({ durationMs: _c, ...check }) => check) };
}

describe('mcp-lab grade --merge', () => {
  const labs = path.join(root, 'labs');
  fs.mkdirSync(path.join(labs, '94-answer'), { recursive: true });
  fs.writeFileSync(path.join(labs, '94-answer', 'lab.json'), JSON.stringify(ANSWER_LAB));
  fs.writeFileSync(path.join(labs, '94-answer', 'checks.ts'), ANSWER_CHECKS);
  const env = { MCP_LAB_LABS_DIR: labs, MCP_LAB_WORK_DIR: path.join(root, 'work'), MCP_LAB_HOME: path.join(root, 'home') };
  const grade = async (args: string[]) => {
    const result = await runCli(['grade', ...args], env, 110_000);
    expect(result.code, result.stderr).toBe(0);
    return result;
  };

  it('of two partial runs equals one full run', { timeout: 240_000 }, async () => {
    const full = path.join(root, 'full');
    const partA = path.join(root, 'part-a');
    const partB = path.join(root, 'part-b');
    const merged = path.join(root, 'merged');
    await grade(['--class', classFolder('class', Object.keys(learners)), '--all', '--out', full]);
    await grade(['--class', classFolder('class-a', ['alice', 'bob']), '--all', '--out', partA]);
    await grade(['--class', classFolder('class-b', ['carol', 'dave']), '--all', '--out', partB]);
    const result = await grade(['--merge', partA, partB, '--out', merged]);
    expect(result.stdout).toContain('Graded 4 learner folder(s), 4 submission(s).');

    const gradebook = fs.readFileSync(path.join(full, 'gradebook.csv'), 'utf8');
    expect(gradebook.trim().split(/\r?\n/)).toEqual([
      'username,name,email,section,94-answer,total,max,status',
      'alice,,,,3,3,3,ok',
      'bob,,,,1,1,3,ok',
      'carol,,,,2,2,3,ok',
      'dave,,,,0,0,3,ok',
    ]);
    expect(fs.readFileSync(path.join(merged, 'gradebook.csv'), 'utf8')).toBe(gradebook);
    const report = (dir: string) => fs.readFileSync(path.join(dir, 'report.html'), 'utf8').replace(/generated [^<]+/, 'generated …');
    expect(report(merged)).toBe(report(full));
    for (const learner of Object.keys(learners)) {
      for (const file of ['results.json']) expect(stable(path.join(merged, learner, '94-answer', file))).toEqual(stable(path.join(full, learner, '94-answer', file)));
    }
  });

  it('refuses a folder with no results, saying what it expects', { timeout: 60_000 }, async () => {
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty, { recursive: true });
    const result = await runCli(['grade', '--merge', empty, '--out', path.join(root, 'nowhere')], env, 50_000);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('NOTHING_TO_MERGE');
  });
});
