import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLab, openLab, readProgress, startLabIdp, UnknownCheckError, type LabIdp } from '../src/index.ts';

const LAB_DIR = path.join(import.meta.dirname, 'fixtures', 'labs', '90-echo');
const FOLDER = { id: '90-echo', number: 90, slug: 'echo', dir: LAB_DIR };
const submission = (name: string) => path.join(LAB_DIR, 'submissions', name);

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function progressFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-lab-'));
  temps.push(dir);
  return path.join(dir, 'progress.json');
}

/** A private IdP for one run, counting how often the use case asked for one and whether it let it go. */
function countingIdp(): { factory: () => Promise<LabIdp>; asked: () => number; closed: () => number } {
  let asked = 0;
  let closed = 0;
  return {
    factory: async () => {
      asked += 1;
      const idp = await startLabIdp({ certDir: process.env.MCP_LAB_TEST_CERT_DIR! });
      return { ...idp, close: () => idp.close().then(() => void (closed += 1)) };
    },
    asked: () => asked,
    closed: () => closed,
  };
}

describe('checkLab: check a lab, as the CLI and the site do', () => {
  it('runs the checks on the IdP it was given, closes it, and records a run of every check', async () => {
    const file = progressFile();
    const idp = countingIdp();
    const started: string[][] = [];
    const checked = await checkLab(await openLab(FOLDER), {
      dir: submission('wrong-echo'),
      idp: idp.factory,
      progressFile: file,
      onStart: ({ checks }) => void started.push(checks),
    });
    expect(started).toEqual([['lists-echo', 'echo-returns-text', 'reads-discovery']]);
    expect(checked.result).toMatchObject({ lab: '90-echo', status: 'fail' });
    expect([idp.asked(), idp.closed()]).toEqual([1, 1]);
    // reads-discovery is hidden: counted, not named.
    expect(checked.recorded?.progress.labs['90-echo']).toMatchObject({ checks: { 'lists-echo': 'pass', 'echo-returns-text': 'fail' }, hiddenFailed: 1 });
    expect(readProgress(file).labs['90-echo']?.status).toBe('fail');
  }, 120_000);

  it('does not record a run of some checks, nor one that could check nothing, so the last real result stays', async () => {
    const file = progressFile();
    const previous = { version: 1, lessons: {}, labs: { '90-echo': { status: 'pass', score: 4, maxScore: 4, checks: { 'lists-echo': 'pass' }, hiddenFailed: 0, at: '2026-01-01T00:00:00.000Z' } } };
    fs.writeFileSync(file, JSON.stringify(previous));
    const some = await checkLab(await openLab(FOLDER), { dir: submission('passes'), only: ['lists-echo'], idp: countingIdp().factory, progressFile: file });
    expect(some.result.checks.map((c) => c.id)).toEqual(['lists-echo']);
    expect(some.recorded).toBeUndefined();
    const nothing = await checkLab(await openLab(FOLDER), { dir: path.join(LAB_DIR, 'no-such-folder'), idp: countingIdp().factory, progressFile: file });
    expect(nothing.result).toMatchObject({ status: 'error', checks: [] });
    expect(nothing.recorded).toBeUndefined();
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(previous);
  }, 120_000);

  it('refuses a check id the lab does not have before it asks for an IdP', async () => {
    const idp = countingIdp();
    await expect(checkLab(await openLab(FOLDER), { only: ['no-such-check'], idp: idp.factory })).rejects.toThrow(UnknownCheckError);
    expect(idp.asked()).toBe(0);
  });
});
