import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLabContent, listLabs, startLabIdp, type LabIdp } from '../src/index.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'labs', '90-echo');
const THREAT_MODEL = path.join(import.meta.dirname, 'fixtures', 'docs', 'threat-model.md');

/** A copy of the fixture lab inside the repository, where its checks.ts can import @mcp-lab/harness. */
function scratchCopy(): string {
  const scratch = path.resolve(import.meta.dirname, '..', '..', '..', '.lab');
  fs.mkdirSync(scratch, { recursive: true });
  const copy = path.join(fs.mkdtempSync(path.join(scratch, 'content-test-')), '90-echo');
  fs.cpSync(FIXTURE, copy, { recursive: true });
  return copy;
}

let idp: LabIdp;
beforeAll(async () => {
  idp = await startLabIdp({ certDir: process.env.MCP_LAB_TEST_CERT_DIR! });
});
afterAll(async () => {
  await idp.close();
});

describe('the maintainer content check', () => {
  it('holds for a sound lab: solution passes, starter fails exactly its TODO check, the mutant is caught', async () => {
    const report = await checkLabContent(FIXTURE, idp);
    expect(report.findings).toEqual([]);
    expect(report.solution?.status).toBe('pass');
    expect(Object.fromEntries(report.starter!.checks.map((c) => [c.id, c.status]))).toMatchObject({ 'lists-echo': 'pass', 'echo-returns-text': 'fail' });
    expect(report.mutants.map((m) => [m.name, m.breaks])).toEqual([['uppercase', 'echo-returns-text']]);
  });

  it('fails a lab whose checks.ts and lab.json name different checks, before running anything', async () => {
    const copy = scratchCopy();
    try {
      // lab.json loses a check whose run checks.ts still has, and gains one checks.ts has no run for.
      const file = path.join(copy, 'lab.json');
      const lab = JSON.parse(fs.readFileSync(file, 'utf8')) as { checks: { id: string }[] };
      lab.checks = [...lab.checks.filter((c) => c.id !== 'reads-discovery'), { ...lab.checks[0]!, id: 'echo-twice' }];
      fs.writeFileSync(file, JSON.stringify(lab));
      const report = await checkLabContent(copy, idp);
      expect(report.findings).toEqual([expect.stringMatching(/^90-echo: LAB_CHECKS_MISMATCH: .*reads-discovery.*echo-twice.* Fix: /) as unknown]);
      expect(report.solution).toBeUndefined();
    } finally {
      fs.rmSync(path.dirname(copy), { recursive: true, force: true });
    }
  });

  it('finds what is wrong with a broken lab: an uncovered TODO, a starter that passes its TODO check, an uncaught mutant, a mutant the threat model does not name, a starter edited outside a TODO block', async () => {
    const broken = scratchCopy();
    // The starter already solved (its TODO check can no longer fail), plus a TODO no check covers.
    fs.copyFileSync(path.join(FIXTURE, 'solution', 'server.mjs'), path.join(broken, 'starter', 'server.mjs'));
    fs.appendFileSync(path.join(broken, 'starter', 'server.mjs'), '\n// TODO(logging): log each call\n// TODO(echo): keep the marker\n');
    // …and a change outside any TODO block, which a learner would have to undo to match the solution.
    const starterServer = path.join(broken, 'starter', 'server.mjs');
    fs.writeFileSync(starterServer, fs.readFileSync(starterServer, 'utf8').replace("version: '1.0.0'", "version: '0.0.1'"));
    // A "mutant" whose edit changes nothing.
    const mutant = path.join(broken, 'mutants', 'uppercase', 'mutant.json');
    const spec = JSON.parse(fs.readFileSync(mutant, 'utf8')) as { edits: { find: string; replace: string }[] };
    spec.edits[0]!.replace = spec.edits[0]!.find;
    fs.writeFileSync(mutant, JSON.stringify(spec));
    // A mutant the threat model does not mention: which property does it prove?
    fs.mkdirSync(path.join(broken, 'mutants', 'unlisted'));
    fs.writeFileSync(path.join(broken, 'mutants', 'unlisted', 'mutant.json'), JSON.stringify({ breaks: 'no-such-check', edits: [] }));
    try {
      const report = await checkLabContent(broken, idp, { threatModel: THREAT_MODEL });
      expect(report.findings).toEqual(
        expect.arrayContaining([
          expect.stringContaining('TODO(logging) in the starter is covered by no check'),
          expect.stringContaining('the starter passes echo-returns-text, which checks TODO(echo): the check cannot fail'),
          expect.stringContaining('mutant uppercase'),
          expect.stringContaining('mutant unlisted of 90-echo stands in no row'),
          expect.stringContaining('starter/server.mjs:9 differs from the solution outside a TODO block'),
        ]),
      );
    } finally {
      fs.rmSync(path.dirname(broken), { recursive: true, force: true });
    }
  });
});

describe('the labs of this repository', () => {
  // Each lab in labs/ must pass the content check.
  for (const lab of listLabs()) {
    // A lab's whole suite runs for the solution, the starter and every mutant (each check starts the server afresh).
    it(`${lab.id} holds: solution passes, starter fails its TODO checks, mutants are caught`, { timeout: 400_000 }, async () => {
      const report = await checkLabContent(lab.dir, idp);
      expect(report.findings).toEqual([]);
    });
  }
  it('every NN-name folder under labs/ is a complete lab (lab.json and checks.ts) and is listed as one', () => {
    const root = path.resolve(import.meta.dirname, '..', '..');
    const folders = fs.readdirSync(root).filter((name) => /^\d\d-/.test(name));
    expect(folders.flatMap((f) => ['lab.json', 'checks.ts'].filter((file) => !fs.existsSync(path.join(root, f, file))).map((file) => `${f}/${file}`))).toEqual([]);
    expect(listLabs().map((l) => l.id)).toEqual(folders.sort());
  });
});
