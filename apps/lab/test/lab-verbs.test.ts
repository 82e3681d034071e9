import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const FIXTURE_LABS = path.resolve(import.meta.dirname, '..', '..', '..', 'labs', 'harness', 'test', 'fixtures', 'labs');
const SUBMISSIONS = path.join(FIXTURE_LABS, '90-echo', 'submissions');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-verbs-'));
const env = {
  MCP_LAB_LABS_DIR: FIXTURE_LABS,
  MCP_LAB_WORK_DIR: path.join(root, 'work'),
  MCP_LAB_HOME: path.join(root, 'lab-home'),
};
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('learner verbs', () => {
  it('start creates work/<lab> from the starter with a .env, and never overwrites it', async () => {
    const first = await runCli(['start', 'echo'], env, 60_000);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const work = path.join(env.MCP_LAB_WORK_DIR, '90-echo');
    expect(fs.readFileSync(path.join(work, 'server.mjs'), 'utf8')).toContain('TODO(echo)');
    const dotenv = fs.readFileSync(path.join(work, '.env'), 'utf8');
    expect(dotenv).toMatch(/^CLIENT_ID=02c11e00-0000-4000-8000-000000000002$/m);
    expect(dotenv).toMatch(/^AUTHORITY_HOST=https:\/\/localhost:8443$/m);
    fs.writeFileSync(path.join(work, 'notes.txt'), 'mine');
    const again = await runCli(['start', '90'], env);
    expect(again.stdout).toContain('already exists: your work is kept');
    expect(fs.readFileSync(path.join(work, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('check on the starter fails its TODO check (exit 1), records progress, and hint points at it', async () => {
    const result = await runCli(['check', '90-echo'], env, 60_000);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('First failure: echo-returns-text');
    expect(result.stdout).toContain('Reread: labs/90-echo/README.md#step-2');
    const progress = JSON.parse(fs.readFileSync(path.join(env.MCP_LAB_HOME, 'progress.json'), 'utf8')) as { labs: Record<string, { checks: Record<string, string> }> };
    expect(progress.labs['90-echo']?.checks).toEqual({ 'lists-echo': 'pass', 'echo-returns-text': 'fail' });
    const hint = await runCli(['hint', 'echo'], env);
    expect(hint.stdout).toContain('echo-returns-text');
    expect(hint.stdout).toContain('hint: Return the input text');
  });

  it('check, hint: Dutch titles and hints with --lang nl or a Dutch LANG (from the lab’s lab.json)', async () => {
    const dutch = await runCli(['check', '90-echo', '--lang', 'nl'], env, 60_000);
    expect(dutch.code).toBe(1);
    expect(dutch.stdout).toContain('echo-returns-text — echo geeft de tekst terug die hij kreeg');
    expect(dutch.stdout).toContain('Geef de invoertekst terug als resultaat van de tool.');
    // The words around the titles are Dutch too: the live lines on stderr and the report's labels.
    expect(dutch.stderr).toContain('90-echo controleren in');
    expect(dutch.stderr).toContain('✘ echo geeft de tekst terug die hij kreeg');
    expect(dutch.stdout).toContain('Lees opnieuw: labs/90-echo/README.md#step-2');
    for (const english of ['Checking', 'First failure', 'Reread', 'Next:', 'checks pass']) expect(dutch.stdout + dutch.stderr).not.toContain(english);
    const byLocale = await runCli(['hint', 'echo', 'lists-echo'], { ...env, LANG: 'nl_NL.UTF-8' });
    expect(byLocale.stdout).toContain('lists-echo: tools/list toont de tool echo\nhint: Registreer een tool met de naam echo.\nlees opnieuw: labs/90-echo/README.md');
    const english = await runCli(['hint', 'echo', 'lists-echo', '--lang', 'en'], { ...env, LANG: 'nl_NL.UTF-8' });
    expect(english.stdout).toContain('hint: Register a tool called echo.\nreread: labs/90-echo/README.md');
  });

  it('check --format junit|exercism|gradescope writes valid documents; exit 0 when every visible check passes', async () => {
    const dir = path.join(SUBMISSIONS, 'passes');
    const junit = await runCli(['check', '90', '--dir', dir, '--format', 'junit'], env, 60_000);
    expect(junit.code).toBe(0);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(junit.stdout) as { testsuites: { testsuite: { '@_tests': string; '@_failures': string } } };
    expect(xml.testsuites.testsuite['@_failures']).toBe('0');
    const exercism = JSON.parse((await runCli(['check', '90', '--dir', path.join(SUBMISSIONS, 'wrong-echo'), '--format', 'exercism'], env, 60_000)).stdout) as { version: number; status: string; tests: { name: string; status: string }[] };
    expect(exercism).toMatchObject({ version: 3, status: 'fail' });
    expect(exercism.tests.map((t) => t.status)).toContain('fail');
    const out = path.join(root, 'gs.json');
    const gs = await runCli(['check', '90', '--dir', dir, '--format', 'gradescope', '--out', out], env, 60_000);
    expect(gs.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toMatchObject({ score: 4 });
  });

  it('reset keeps a backup and the .env, after --yes', async () => {
    const work = path.join(env.MCP_LAB_WORK_DIR, '90-echo');
    fs.copyFileSync(path.join(SUBMISSIONS, 'passes', 'server.mjs'), path.join(work, 'server.mjs'));
    const refused = await runCli(['reset', 'echo'], env);
    expect(refused.code).toBe(64);
    const done = await runCli(['reset', 'echo', '--yes'], env);
    expect(done.code).toBe(0);
    expect(fs.readFileSync(path.join(work, 'server.mjs'), 'utf8')).toContain('TODO(echo)');
    expect(fs.existsSync(path.join(work, '.env'))).toBe(true);
    const backups = fs.readdirSync(path.join(env.MCP_LAB_WORK_DIR, '.backup'));
    expect(backups).toHaveLength(1);
    expect(fs.readFileSync(path.join(env.MCP_LAB_WORK_DIR, '.backup', backups[0]!, 'server.mjs'), 'utf8')).not.toContain('TODO(echo)');
  });

  it('when every check passes: check says how many hidden checks pass and points at doctor for the .env; hint says nothing is left and what comes next', async () => {
    const work = path.join(env.MCP_LAB_WORK_DIR, '90-echo');
    fs.copyFileSync(path.join(SUBMISSIONS, 'passes', 'server.mjs'), path.join(work, 'server.mjs'));
    const check = await runCli(['check', '90'], env, 60_000);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('Hidden checks: 1 of 1 pass');
    expect(check.stdout).toContain('`npm run lab -- doctor` checks it');
    const hint = await runCli(['hint', '90'], env);
    expect(hint.code).toBe(0);
    expect(hint.stdout).toContain('All visible checks of 90-echo pass');
    expect(hint.stdout).toContain('no hint is left');
    expect(hint.stdout).toContain('That was the last lab');
    expect(hint.stdout).not.toContain('hint: ');
    // A check asked for by name still has its hint.
    expect((await runCli(['hint', '90', 'lists-echo'], env)).stdout).toContain('hint: Register a tool called echo.');
  });

  it('names the labs when one is unknown (usage, 64)', async () => {
    const result = await runCli(['check', '42'], env);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('error UNKNOWN_LAB');
    expect(result.stderr).toContain('90-echo');
  });
});

describe('mcp-lab grade', () => {
  it('grades a class with a roster: gradebook, report, per-learner files; missing and extra learners listed; --jobs 2 = --jobs 1', async () => {
    const classDir = path.join(root, 'class');
    for (const [learner, submission] of [['alice', 'passes'], ['bob', 'wrong-echo'], ['dave', 'passes']] as const) {
      fs.cpSync(path.join(SUBMISSIONS, submission), path.join(classDir, learner), { recursive: true });
    }
    const roster = path.join(root, 'roster.csv');
    fs.writeFileSync(roster, 'username,name,section\nalice,Alice A,1\nbob,"de Vries, Bob",1\ncarol,Carol C,2\n');
    const grades = async (jobs: string, out: string) => {
      const result = await runCli(['grade', '--class', classDir, '--lab', '90', '--roster', roster, '--out', out, '--jobs', jobs], env, 120_000);
      expect(result.code).toBe(0);
      return { result, csv: fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8') };
    };
    const one = await grades('1', path.join(root, 'grades-1'));
    const two = await grades('2', path.join(root, 'grades-2'));
    expect(two.csv).toBe(one.csv);
    const rows = one.csv.trim().split(/\r?\n/);
    expect(rows[0]).toBe('username,name,email,section,90-echo,total,max,status');
    expect(rows.find((r) => r.startsWith('alice,'))).toMatch(/,4,4,4,ok$/);
    expect(rows.find((r) => r.startsWith('bob,'))).toContain('"de Vries, Bob"');
    expect(rows.find((r) => r.startsWith('carol,'))).toContain('missing submission');
    expect(rows.find((r) => r.startsWith('dave,'))).toContain('not in roster');
    expect(one.result.stdout).toContain('In the roster, no submission: carol');
    expect(one.result.stdout).toContain('Submitted, not in the roster: dave');
    expect(fs.readFileSync(path.join(root, 'grades-1', 'report.html'), 'utf8')).toContain('echo-returns-text');
    expect(fs.existsSync(path.join(root, 'grades-1', 'bob', '90-echo', 'junit.xml'))).toBe(true);
  });

  it('grade --lang nl: the per-learner files carry the Dutch titles and hints, and Dutch words around them', async () => {
    const classDir = path.join(root, 'class-nl');
    fs.cpSync(path.join(SUBMISSIONS, 'wrong-echo'), path.join(classDir, 'bob'), { recursive: true });
    const out = path.join(root, 'grades-nl');
    const result = await runCli(['grade', '--class', classDir, '--lab', '90', '--out', out, '--lang', 'nl'], env, 120_000);
    expect(result.code).toBe(0);
    const text = fs.readFileSync(path.join(out, 'bob', '90-echo', 'results.txt'), 'utf8');
    expect(text).toContain('Eerste fout: echo-returns-text — echo geeft de tekst terug die hij kreeg');
    expect(text).toContain('Hint: Geef de invoertekst terug als resultaat van de tool.');
    expect(text).toContain('Lees opnieuw: labs/90-echo/README.md');
    const gradescope = fs.readFileSync(path.join(out, 'bob', '90-echo', 'gradescope.json'), 'utf8');
    expect(gradescope).toContain('Lees opnieuw:');
    for (const english of ['First failure', 'Reread:', 'checks pass']) expect(text + gradescope).not.toContain(english);
  });
});
