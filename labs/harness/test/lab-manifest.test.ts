import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineChecks, joinLab, LabDefinitionError, listLabs, loadLab, readLabManifest, type LabManifest } from '../src/index.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'labs', '90-echo');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
});

/** A copy of the fixture lab inside the repository (its checks.ts imports @mcp-lab/harness), changed by `change`. */
function fixtureCopy(change: (dir: string) => void = () => undefined): string {
  const scratch = path.resolve(import.meta.dirname, '..', '..', '..', '.lab');
  fs.mkdirSync(scratch, { recursive: true });
  const dir = path.join(fs.mkdtempSync(path.join(scratch, 'lab-manifest-')), '90-echo');
  made.push(dir);
  fs.cpSync(FIXTURE, dir, { recursive: true });
  change(dir);
  return dir;
}

function editJson(dir: string, edit: (lab: { checks: Record<string, unknown>[] } & Record<string, unknown>) => void): void {
  const file = path.join(dir, 'lab.json');
  const lab = JSON.parse(fs.readFileSync(file, 'utf8')) as { checks: Record<string, unknown>[] } & Record<string, unknown>;
  edit(lab);
  fs.writeFileSync(file, JSON.stringify(lab));
}

/** What loading `dir` throws, as code and fix (both must be there for a learner or author to act on). */
async function refusal(dir: string): Promise<{ code: string; message: string; fix: string }> {
  const error = await loadLab(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LabDefinitionError);
  const { code, message, fix } = error as LabDefinitionError;
  expect(fix.length).toBeGreaterThan(0);
  return { code, message, fix };
}

describe('a lab is lab.json (data) joined with checks.ts (code)', () => {
  it('every lab of the repository loads, each check with one run, in the order lab.json lists them', async () => {
    const labs = listLabs();
    expect(labs.length).toBeGreaterThanOrEqual(3);
    for (const folder of labs) {
      const lab = await loadLab(folder);
      expect(lab.manifest).toEqual(readLabManifest(folder));
      expect([...lab.runs.keys()]).toEqual(lab.manifest.checks.map((c) => c.id));
    }
  });

  it('reads a manifest without running any check code: a checks.ts that throws when imported does not matter', () => {
    const dir = fixtureCopy((d) => fs.writeFileSync(path.join(d, 'checks.ts'), "throw new Error('imported');\n"));
    expect(readLabManifest(dir).checks.map((c) => c.id)).toEqual(['lists-echo', 'echo-returns-text', 'reads-discovery']);
  });

  it('a run lab.json does not list is refused with LAB_CHECKS_MISMATCH, naming it', async () => {
    const dir = fixtureCopy((d) => editJson(d, (lab) => (lab.checks = lab.checks.filter((c) => c.id !== 'reads-discovery'))));
    const { code, message } = await refusal(dir);
    expect(code).toBe('LAB_CHECKS_MISMATCH');
    expect(message).toContain('checks.ts has code for reads-discovery, which lab.json does not list');
  });

  it('a check lab.json lists without a run is refused with LAB_CHECKS_MISMATCH, naming it', async () => {
    const dir = fixtureCopy((d) => editJson(d, (lab) => lab.checks.push({ ...lab.checks[0], id: 'echo-twice' })));
    const { code, message } = await refusal(dir);
    expect(code).toBe('LAB_CHECKS_MISMATCH');
    expect(message).toContain('lab.json lists echo-twice, which checks.ts has no code for');
  });

  it('refuses a folder without lab.json, lab.json that is not JSON, a field the schema does not know, and a check without Dutch', async () => {
    expect((await refusal(fixtureCopy((d) => fs.rmSync(path.join(d, 'lab.json'))))).code).toBe('LAB_MANIFEST_MISSING');
    const notJson = await refusal(fixtureCopy((d) => fs.writeFileSync(path.join(d, 'lab.json'), '{ "id": ')));
    expect([notJson.code, notJson.message]).toEqual(['LAB_MANIFEST_INVALID', expect.stringContaining('not valid JSON') as unknown]);
    const typo = await refusal(fixtureCopy((d) => editJson(d, (lab) => (lab.checks[0]!.hnit = 'typo'))));
    expect([typo.code, typo.message]).toEqual(['LAB_MANIFEST_INVALID', expect.stringContaining('checks.0') as unknown]);
    const english = await refusal(fixtureCopy((d) => editJson(d, (lab) => delete lab.checks[1]!.nl)));
    expect([english.code, english.message]).toEqual(['LAB_MANIFEST_INVALID', expect.stringContaining('without a Dutch title and hint: echo-returns-text') as unknown]);
  });

  it('refuses a checks.ts in the old form (defineLab with the manifest inline), saying where the manifest goes', async () => {
    const dir = fixtureCopy((d) =>
      fs.writeFileSync(
        path.join(d, 'checks.ts'),
        "import { defineLab } from '@mcp-lab/harness';\nexport default defineLab({ manifestVersion: 1, id: '90-echo', title: 't', titleNl: 't', lesson: '/x', transport: 'none', env: [], checks: [{ id: 'x', title: 't', points: 1, hint: 'h', lessonStep: '#s', testCode: 'c', run: async () => {} }] });\n",
      ),
    );
    const { code, message, fix } = await refusal(dir);
    expect(code).toBe('LAB_CHECKS_INVALID');
    expect(message).toContain('the manifest lives in lab.json now');
    expect(fix).toContain('lab.json');
  });

  it('joinLab: the runs come in manifest order, whatever order checks.ts wrote them in', () => {
    const manifest = readLabManifest(FIXTURE) satisfies LabManifest;
    const run = () => Promise.resolve();
    const lab = joinLab(manifest, defineChecks({ 'reads-discovery': run, 'lists-echo': run, 'echo-returns-text': run }));
    expect([...lab.runs.keys()]).toEqual(['lists-echo', 'echo-returns-text', 'reads-discovery']);
  });
});
