import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

/**
 * Each learner is graded on the registration they handed in for lab 01
 * (app-manifest.json), imported into the grader's IdP for each later lab —
 * with no .env anywhere, as in a Classroom clone. Two learners who hand in
 * the same appId each get their own registration (told apart by the display
 * name of the manifest they handed in).
 */

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
// Inside the repository, so the labs' checks.ts files resolve @mcp-lab/harness.
const scratch = path.join(REPO, '.lab');
fs.mkdirSync(scratch, { recursive: true });
const root = fs.mkdtempSync(path.join(scratch, 'grade-own-registration-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

// A later lab that passes only when its run signs in with the registration this learner handed in.
const OWN_REGISTRATION_LAB = {
  manifestVersion: 1,
  id: '93-own-registration',
  title: 'runs with the learner registration',
  titleNl: 'draait met de registratie van de cursist',
  lesson: '/en/labs/93-own-registration',
  transport: 'none',
  env: ['CLIENT_ID', 'TENANT_ID'],
  seededApp: 'webServer',
  checks: [
    {
      id: 'own-registration',
      title: 'the run signs in as the learner registration',
      hint: 'h',
      nl: { title: 'de run meldt zich aan als de registratie van de cursist', hint: 'h' },
      points: 1,
      lessonStep: '#s',
      testCode: 'assert.equal(app.displayName, handedIn.displayName)',
    },
  ],
};
const OWN_REGISTRATION_CHECKS = `import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { defineChecks } from '@mcp-lab/harness';

export default defineChecks({
  'own-registration': async (ctx) => {
    const handedIn = JSON.parse(fs.readFileSync(path.join(ctx.dir, 'expected.json'), 'utf8'));
    assert.equal(ctx.env.CLIENT_ID, handedIn.appId, 'the run did not use the appId this learner handed in');
    const app = await ctx.idp.admin('GET', '/apps/' + ctx.env.CLIENT_ID);
    assert.equal(app.displayName, handedIn.displayName, 'the registration in the IdP is not the one this learner handed in');
  },
});
`;

const solution = path.join(REPO, 'labs', '01-register-app', 'solution');
const base = JSON.parse(fs.readFileSync(path.join(solution, 'app-manifest.json'), 'utf8')) as Record<string, unknown>;
const SHARED = '7e5a0000-0000-4000-8000-0000000000c1';
const learners: Record<string, { appId: string; displayName: string }> = {
  alice: { appId: '7e5a0000-0000-4000-8000-0000000000a1', displayName: 'Alice’s MCP server' },
  bob: { appId: '7e5a0000-0000-4000-8000-0000000000b1', displayName: 'Bob’s MCP server' },
  // Carol and Dave hand in the same appId (a copied manifest) with names of their own.
  carol: { appId: SHARED, displayName: 'Carol’s MCP server' },
  dave: { appId: SHARED, displayName: 'Dave’s MCP server' },
};

function makeLabs(): string {
  const labs = path.join(root, 'labs');
  fs.mkdirSync(path.join(labs, '01-register-app'), { recursive: true });
  for (const file of ['lab.json', 'checks.ts']) fs.copyFileSync(path.join(REPO, 'labs', '01-register-app', file), path.join(labs, '01-register-app', file));
  fs.mkdirSync(path.join(labs, '93-own-registration'));
  fs.writeFileSync(path.join(labs, '93-own-registration', 'lab.json'), JSON.stringify(OWN_REGISTRATION_LAB));
  fs.writeFileSync(path.join(labs, '93-own-registration', 'checks.ts'), OWN_REGISTRATION_CHECKS);
  return labs;
}

/** A learner's work tree (`<root>/01-register-app`, `<root>/93-own-registration`), with no .env. */
function makeWorkTree(dir: string, learner: { appId: string; displayName: string }): void {
  fs.cpSync(solution, path.join(dir, '01-register-app'), { recursive: true });
  fs.writeFileSync(path.join(dir, '01-register-app', 'app-manifest.json'), JSON.stringify({ ...base, ...learner }, null, 2));
  fs.mkdirSync(path.join(dir, '93-own-registration'), { recursive: true });
  fs.writeFileSync(path.join(dir, '93-own-registration', 'expected.json'), JSON.stringify(learner));
}

function readResults(out: string, user: string, lab: string): { score: number; registration?: { appId: string; source: string } } {
  return JSON.parse(fs.readFileSync(path.join(out, user, lab, 'results.json'), 'utf8')) as { score: number; registration?: { appId: string; source: string } };
}

describe('grading on each learner’s own registration', () => {
  const labs = makeLabs();
  const env = { MCP_LAB_LABS_DIR: labs, MCP_LAB_WORK_DIR: path.join(root, 'work'), MCP_LAB_HOME: path.join(root, 'home') };

  it('grade --all: every later lab runs with the learner’s lab 01 manifest; a shared appId is never shared', { timeout: 180_000 }, async () => {
    const classDir = path.join(root, 'class-all');
    for (const [name, learner] of Object.entries(learners)) makeWorkTree(path.join(classDir, name), learner);
    const out = path.join(root, 'grades-all');
    const result = await runCli(['grade', '--class', classDir, '--all', '--out', out, '--jobs', '4'], env, 170_000);
    expect(result.code, result.stderr).toBe(0);
    const rows = fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
    expect(rows).toEqual(['alice,,,,15,1,16,16,ok', 'bob,,,,15,1,16,16,ok', 'carol,,,,15,1,16,16,ok', 'dave,,,,15,1,16,16,ok']);
    for (const [name, learner] of Object.entries(learners)) {
      expect(readResults(out, name, '93-own-registration').registration).toEqual({ appId: learner.appId, source: 'lab-01-manifest' });
    }
  });

  it('grade --lab on one later lab: a clone of the learner’s repository (work/<lab>) uses its lab 01 manifest too', { timeout: 120_000 }, async () => {
    const classDir = path.join(root, 'class-one-lab');
    for (const name of ['alice', 'bob']) makeWorkTree(path.join(classDir, name, 'work'), learners[name]!);
    const out = path.join(root, 'grades-one-lab');
    const result = await runCli(['grade', '--class', classDir, '--lab', '93-own-registration', '--out', out, '--jobs', '2'], env, 110_000);
    expect(result.code, result.stderr).toBe(0);
    expect(fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trim().split(/\r?\n/).slice(1)).toEqual(['alice,,,,1,1,1,ok', 'bob,,,,1,1,1,ok']);
    expect(readResults(out, 'bob', '93-own-registration').registration).toEqual({ appId: learners.bob!.appId, source: 'lab-01-manifest' });
  });
});
