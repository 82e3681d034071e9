import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LabResult } from '../src/model.ts';
import { LabResultJson } from '../src/report/json.ts';
import { UnsafeNameError, unsafeNameReason } from '../src/report/safe-name.ts';
import { LEARNER_FILES, writeClassOutputs, writeLearnerResults } from '../src/report/write.ts';
import { LAB, leakedSecrets, mixedResult } from './report-fixtures.ts';

let out: string;
beforeEach(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'report-write-'));
});
afterEach(async () => {
  await rm(out, { recursive: true, force: true });
});

/** Every file under `dir`, relative, sorted. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

describe('writeLearnerResults', () => {
  it('writes every format to <out>/<username>/<lab>/', async () => {
    const written = await writeLearnerResults(out, 'alice', { [LAB]: mixedResult() }, { audience: 'instructor', nextLab: () => '03-confidential-client' });
    expect(written).toHaveLength(LEARNER_FILES.length);
    expect(await tree(out)).toEqual(LEARNER_FILES.map((f) => `alice/${LAB}/${f}`).sort());
    const json = LabResultJson.parse(JSON.parse(await readFile(path.join(out, 'alice', LAB, 'results.json'), 'utf8')));
    expect(json.audience).toBe('instructor');
    expect(await readFile(path.join(out, 'alice', LAB, 'junit.xml'), 'utf8')).toMatch(/^<\?xml/);
  });

  it('writes files a learner can be given when the audience is learner', async () => {
    await writeLearnerResults(out, 'alice', { [LAB]: mixedResult() }, { audience: 'learner' });
    for (const file of LEARNER_FILES) expect(leakedSecrets(await readFile(path.join(out, 'alice', LAB, file), 'utf8'))).toEqual([]);
  });

  it.each([
    ['../x', /path separator/],
    ['..', /relative/],
    ['.', /relative/],
    ['/etc', /path separator/],
    ['C:\\Users', /path separator/],
    ['a/b', /path separator/],
    ['C:', /Windows forbids/],
    ['nul\u0000byte', /control character/],
    ['', /empty/],
    ['CON', /device name/],
    ['lpt1.txt', /device name/],
    ['trailing.', /ends with a dot/],
  ])('refuses the username %j and writes nothing', async (username, reason) => {
    await expect(writeLearnerResults(out, username, { [LAB]: mixedResult() }, { audience: 'instructor' })).rejects.toThrow(UnsafeNameError);
    expect(unsafeNameReason(username)).toMatch(reason);
    expect(await tree(out)).toEqual([]);
    expect(await readdir(path.dirname(out))).toContain(path.basename(out));
  });

  it('accepts ordinary folder names, dots and unicode included', () => {
    for (const name of ['alice', 'a.b-c_d', '...x', 'josé', 'Zoë Smith']) expect(unsafeNameReason(name)).toBeUndefined();
  });

  it('refuses an unsafe lab id and a result filed under another lab', async () => {
    await expect(writeLearnerResults(out, 'alice', { '../../x': { ...mixedResult(), lab: '../../x' } }, { audience: 'instructor' })).rejects.toThrow(UnsafeNameError);
    await expect(writeLearnerResults(out, 'alice', { '03-confidential-client': mixedResult() }, { audience: 'instructor' })).rejects.toThrow(/is for lab/);
    expect(await tree(out)).toEqual([]);
  });
});

describe('writeClassOutputs', () => {
  it('writes the gradebook, the report and every safe learner, and reports the refused ones', async () => {
    const results = new Map<string, Partial<Record<string, LabResult>>>([
      ['alice', { [LAB]: mixedResult() }],
      ['..', { [LAB]: mixedResult() }],
    ]);
    const written = await writeClassOutputs(out, { roster: undefined, labs: [{ id: LAB, maxScore: 9 }], results }, { audience: 'instructor', generatedAt: 'now' });
    expect(written.refused).toEqual([{ username: '..', reason: expect.stringMatching(/refusing username "\.\."/) as unknown }]);
    expect(await tree(out)).toEqual(['gradebook.csv', 'report.html', ...LEARNER_FILES.map((f) => `alice/${LAB}/${f}`)].sort());
    // The refused learner is still graded.
    expect(await readFile(written.gradebook, 'utf8')).toContain('\r\n..,');
  });
});
