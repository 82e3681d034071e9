import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { differencesOutsideTodoBlocks } from '../src/content/todo-blocks.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'labs', '90-echo');

let lab: string;
beforeEach(() => {
  lab = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-blocks-'));
  fs.cpSync(path.join(FIXTURE, 'starter'), path.join(lab, 'starter'), { recursive: true });
  fs.cpSync(path.join(FIXTURE, 'solution'), path.join(lab, 'solution'), { recursive: true });
});
afterEach(() => fs.rmSync(lab, { recursive: true, force: true }));

const starter = (file = 'server.mjs') => path.join(lab, 'starter', file);
const solution = (file = 'server.mjs') => path.join(lab, 'solution', file);
const edit = (file: string, find: string, replace: string) => {
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain(find);
  fs.writeFileSync(file, text.replace(find, replace));
};
const check = (files = ['server.mjs']) => differencesOutsideTodoBlocks(path.join(lab, 'starter'), path.join(lab, 'solution'), files);

describe('starter and solution differ only inside TODO blocks', () => {
  it('holds for the fixture lab, whose starter and solution differ inside the TODO(echo) block only', async () => {
    expect(fs.readFileSync(starter(), 'utf8')).not.toBe(fs.readFileSync(solution(), 'utf8'));
    expect(await check()).toEqual([]);
  });

  it('fails a starter edited outside a TODO block, naming the file, the line and the fix', async () => {
    edit(starter(), "new McpServer({ name: 'echo', version: '1.0.0' })", "new McpServer({ name: 'echo', version: '0.1.0' })");
    const findings = await check();
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(/^starter\/server\.mjs:9 differs from the solution outside a TODO block/);
    expect(findings[0]).toContain('make the line the same in starter and solution, or move the learner\'s change inside a TODO block');
  });

  it('fails a signature that changes from starter to solution: the line before the TODO is outside its block', async () => {
    edit(starter(), 'async ({ text }) => {', 'async (_args) => {');
    expect(await check()).toEqual([expect.stringMatching(/^starter\/server\.mjs:10 /)]);
  });

  it('fails a solution with code after the closing brace of the block', async () => {
    edit(solution(), '\n});\n', "\n});\nserver.registerTool('extra', { description: 'not in the starter' }, async () => ({ content: [] }));\n");
    expect(await check()).toEqual([expect.stringMatching(/^starter\/server\.mjs:13 /)]);
  });

  it('lets imports differ: the learner adds the imports their code uses', async () => {
    edit(solution(), "import { z } from 'zod';\n", "import { z } from 'zod';\nimport assert from 'node:assert';\n");
    expect(await check()).toEqual([]);
  });

  it('takes a TODO at the top level of a file to run to the end of the file', async () => {
    edit(starter(), 'const server = new McpServer', '// TODO(echo): write the server\nconst server = new McpServer');
    edit(solution(), "const server = new McpServer({ name: 'echo', version: '1.0.0' });", "const server = new McpServer({ name: 'echo-server', version: '2.0.0' });\nconsole.error('started');");
    expect(await check()).toEqual([]);
  });

  it('reads braces in strings and regexes as text, not as blocks', async () => {
    edit(starter(), '  // TODO(echo)', "  const braces = /}\\{/.test('}');\n  // TODO(echo)");
    edit(solution(), '  return { content', "  const braces = /}\\{/.test('}');\n  return { content");
    expect(await check()).toEqual([]);
    edit(solution(), "test('}')", "test('}}')");
    expect(await check()).toEqual([expect.stringMatching(/^starter\/server\.mjs:11 /)]);
  });

  it('holds a file without code to be the same in both, unless it holds a TODO', async () => {
    fs.writeFileSync(starter('notes.md'), 'Start here.\n');
    fs.writeFileSync(solution('notes.md'), 'Done.\n');
    expect(await check(['notes.md'])).toEqual([expect.stringContaining("starter/notes.md differs from the solution's and has no TODO")]);
    fs.writeFileSync(starter('notes.md'), 'TODO(echo): write your notes here.\n');
    expect(await check(['notes.md'])).toEqual([]);
  });
});
