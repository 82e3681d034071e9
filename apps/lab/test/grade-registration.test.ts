import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

/**
 * `grade --all` runs a learner's labs in lab order, so lab 01's check has
 * imported the learner's registration into the grader's IdP before a later
 * lab's run looks for the CLIENT_ID in that learner's .env.
 */

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
// Inside the repository, so the labs' checks.ts files resolve @mcp-lab/harness.
const scratch = path.join(REPO, '.lab');
fs.mkdirSync(scratch, { recursive: true });
const root = fs.mkdtempSync(path.join(scratch, 'grade-registration-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

// A later lab that passes only when it runs with the learner's own registration, not the seeded app.
const USES_REGISTRATION_LAB = {
  manifestVersion: 1,
  id: '92-uses-registration',
  title: 'uses the learner registration',
  titleNl: 'gebruikt de registratie van de cursist',
  lesson: '/en/labs/92-uses-registration',
  transport: 'none',
  env: ['CLIENT_ID', 'TENANT_ID'],
  checks: [
    {
      id: 'own-registration',
      title: 'the run uses the learner registration',
      hint: 'h',
      nl: { title: 'de run gebruikt de registratie van de cursist', hint: 'h' },
      points: 1,
      lessonStep: '#s',
      testCode: 'assert.equal(env.CLIENT_ID, dotenv.CLIENT_ID)',
    },
  ],
};
const USES_REGISTRATION_CHECKS = `import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { defineChecks } from '@mcp-lab/harness';

export default defineChecks({
  'own-registration': async (ctx) => {
    const dotenv = parseEnv(fs.readFileSync(path.join(ctx.dir, '.env'), 'utf8'));
    // labEnv passes the .env's CLIENT_ID on only when the IdP knows that app.
    assert.equal(ctx.env.CLIENT_ID, dotenv.CLIENT_ID, 'the IdP did not know the learner registration when this lab started');
    await Promise.resolve();
  },
});
`;

describe('mcp-lab grade --all with lab 01', () => {
  it('imports each learner’s registration before the labs that use it, with --jobs 2', { timeout: 120_000 }, async () => {
    const labs = path.join(root, 'labs');
    fs.mkdirSync(path.join(labs, '01-register-app'), { recursive: true });
    for (const file of ['lab.json', 'checks.ts']) fs.copyFileSync(path.join(REPO, 'labs', '01-register-app', file), path.join(labs, '01-register-app', file));
    fs.mkdirSync(path.join(labs, '92-uses-registration'));
    fs.writeFileSync(path.join(labs, '92-uses-registration', 'lab.json'), JSON.stringify(USES_REGISTRATION_LAB));
    fs.writeFileSync(path.join(labs, '92-uses-registration', 'checks.ts'), USES_REGISTRATION_CHECKS);

    const solution = path.join(REPO, 'labs', '01-register-app', 'solution');
    const { appId } = JSON.parse(fs.readFileSync(path.join(solution, 'app-manifest.json'), 'utf8')) as { appId: string };
    const classDir = path.join(root, 'class');
    for (const learner of ['alice', 'bob']) {
      fs.cpSync(solution, path.join(classDir, learner, '01-register-app'), { recursive: true });
      fs.mkdirSync(path.join(classDir, learner, '92-uses-registration'));
      fs.writeFileSync(path.join(classDir, learner, '92-uses-registration', '.env'), `CLIENT_ID=${appId}\n`);
    }
    const out = path.join(root, 'grades');
    const env = { MCP_LAB_LABS_DIR: labs, MCP_LAB_WORK_DIR: path.join(root, 'work'), MCP_LAB_HOME: path.join(root, 'home') };
    const result = await runCli(['grade', '--class', classDir, '--all', '--out', out, '--jobs', '2'], env, 110_000);
    expect(result.code, result.stderr).toBe(0);
    const rows = fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trim().split(/\r?\n/);
    expect(rows[0]).toBe('username,name,email,section,01-register-app,92-uses-registration,total,max,status');
    // Every check of lab 01 (15 points) and the later lab's one.
    expect(rows.slice(1)).toEqual(['alice,,,,15,1,16,16,ok', 'bob,,,,15,1,16,16,ok']);
  });
});
