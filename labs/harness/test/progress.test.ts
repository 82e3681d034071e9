import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabResult } from '../src/model.ts';
import { isRecordable, ProgressFileError, readProgress, recordLabResult, setLessonRead } from '../src/progress.ts';

const STORE = path.resolve(import.meta.dirname, '..', 'src', 'progress.ts');
const temps: string[] = [];
afterAll(() => temps.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempFile(content?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'progress-'));
  temps.push(dir);
  const file = path.join(dir, 'progress.json');
  if (content !== undefined) fs.writeFileSync(file, content);
  return file;
}

function result(lab: string, checks: { id: string; status: 'pass' | 'fail' | 'error'; visibility?: 'visible' | 'hidden' }[], status: LabResult['status'] = 'fail'): LabResult {
  return {
    lab,
    status,
    score: checks.filter((c) => c.status === 'pass').length,
    maxScore: checks.length,
    checks: checks.map((c) => ({ title: c.id, points: 0, maxPoints: 1, durationMs: 1, visibility: 'visible', hint: '', lessonStep: '#x', ...c })),
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    submission: '/tmp/x',
    environment: { node: process.version, platform: process.platform, harness: 'test' },
  } as LabResult;
}

describe('.lab/progress.json', () => {
  it('reads as empty when the file does not exist yet', () => {
    expect(readProgress(tempFile())).toEqual({ version: 1, lessons: {}, labs: {} });
  });

  it('marks a lesson read and leaves the labs part, and keys it does not know, exactly as they were', async () => {
    const labs = { '02-public-client': { status: 'fail', score: 1, maxScore: 2, checks: { 'profile-returned': 'pass' }, hiddenFailed: 0, at: '2026-01-01T00:00:00.000Z', extra: 'kept' } };
    const file = tempFile(JSON.stringify({ version: 1, lessons: {}, labs, note: 'kept' }));
    await setLessonRead(file, '03-sign-in-flow', true, new Date('2026-02-03T04:05:06.000Z'));
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({
      version: 1,
      lessons: { '03-sign-in-flow': { read: true, at: '2026-02-03T04:05:06.000Z' } },
      labs,
      note: 'kept',
    });
    await setLessonRead(file, '03-sign-in-flow', false);
    expect(readProgress(file).lessons).toEqual({});
    expect(fs.readdirSync(path.dirname(file))).toEqual(['progress.json']); // no temporary or lock files left
  });

  it('records a lab result beside the lessons: visible checks by id (error ones too), hidden ones counted', async () => {
    const file = tempFile(JSON.stringify({ version: 1, lessons: { intro: { read: true, at: '2026-01-01T00:00:00.000Z' } }, labs: {} }));
    const run = result('03-confidential-client', [
      { id: 'tools-list', status: 'error' },
      { id: 'sign-in', status: 'pass' },
      { id: 'secret-hidden', status: 'fail', visibility: 'hidden' },
    ], 'error');
    await recordLabResult(file, run);
    const progress = readProgress(file);
    expect(progress.lessons).toHaveProperty('intro');
    expect(progress.labs['03-confidential-client']).toMatchObject({ status: 'error', score: 1, maxScore: 3, checks: { 'tools-list': 'error', 'sign-in': 'pass' }, hiddenFailed: 1 });
  });

  it('counts a run as a result only when it checked something', () => {
    expect(isRecordable(result('02-public-client', [{ id: 'tools-list', status: 'error' }], 'error'))).toBe(true);
    expect(isRecordable(result('02-public-client', [], 'error'))).toBe(false);
  });

  it('reads an unreadable file as an error with its code and fix, and leaves it alone', () => {
    const file = tempFile('not json');
    const error = (() => {
      try {
        readProgress(file);
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ProgressFileError);
    expect(error).toMatchObject({ code: 'PROGRESS_FILE_INVALID' });
    expect((error as ProgressFileError).fix).toContain('Repair it');
    expect(fs.readFileSync(file, 'utf8')).toBe('not json');
  });

  it('keeps an unreadable file aside, whole, before writing a new one, and says where', async () => {
    const file = tempFile('{"version": 1, "lessons": {"intro": {"read": tru');
    const written = await setLessonRead(file, '01-open-front-door', true);
    expect(written.setAside).toMatch(/progress\.json\.unreadable-/);
    expect(fs.readFileSync(written.setAside!, 'utf8')).toBe('{"version": 1, "lessons": {"intro": {"read": tru');
    expect(Object.keys(readProgress(file).lessons)).toEqual(['01-open-front-door']);
  });

  it('refuses to write over a file from a newer version, and leaves it as it was', async () => {
    const file = tempFile('{"version": 2}');
    await expect(setLessonRead(file, '01-open-front-door', true)).rejects.toThrow(ProgressFileError);
    await expect(recordLabResult(file, result('02-public-client', [{ id: 'a', status: 'pass' }]))).rejects.toMatchObject({ code: 'PROGRESS_FILE_NEWER' });
    expect(fs.readFileSync(file, 'utf8')).toBe('{"version": 2}');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['progress.json']);
  });

  it('accepts only lesson ids', () => {
    expect(() => setLessonRead(tempFile(), '../../etc/passwd', true)).toThrow(RangeError);
  });

  it('takes over a lock left by a writer that died', async () => {
    const file = tempFile();
    // A pid no process has (above the kernel's pid_max), as a crashed writer leaves it.
    fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid: 2 ** 30, at: '2026-01-01T00:00:00.000Z' }));
    await setLessonRead(file, 'intro', true);
    expect(readProgress(file).lessons).toHaveProperty('intro');
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('loses nothing when writers write at the same moment: separate processes, each with two module instances writing in parallel', async () => {
    const file = tempFile();
    const writers = 4;
    const each = 12;
    // Each process loads the store twice (two module instances, as two bundles would) and fires all its writes at once:
    // even writers record lab results, odd ones mark lessons, so both kinds of writer meet on one file.
    const script = `
      const [store, k, n, file] = process.argv.slice(1);
      const a = await import(store + '?instance=a');
      const b = await import(store + '?instance=b');
      const writes = [];
      for (let i = 0; i < Number(n); i++) {
        const m = i % 2 ? a : b;
        if (Number(k) % 2 === 0) {
          writes.push(m.recordLabResult(file, { lab: 'lab-' + k + '-' + i, status: 'pass', score: 1, maxScore: 1, checks: [{ id: 'c', status: 'pass', visibility: 'visible' }] }));
        } else {
          writes.push(m.setLessonRead(file, 'lesson-' + k + '-' + i, true));
        }
      }
      await Promise.all(writes);
    `;
    const run = promisify(execFile);
    await Promise.all(Array.from({ length: writers }, (_, k) => run(process.execPath, ['--input-type=module', '-e', script, pathToFileURL(STORE).href, String(k), String(each), file], { timeout: 120_000 })));
    const progress = readProgress(file);
    const expectedLabs: string[] = [];
    const expectedLessons: string[] = [];
    for (let k = 0; k < writers; k++) for (let i = 0; i < each; i++) (k % 2 === 0 ? expectedLabs : expectedLessons).push(`${k % 2 === 0 ? 'lab' : 'lesson'}-${k}-${i}`);
    expect(Object.keys(progress.labs).sort()).toEqual(expectedLabs.sort());
    expect(Object.keys(progress.lessons).sort()).toEqual(expectedLessons.sort());
    expect(fs.readdirSync(path.dirname(file))).toEqual(['progress.json']);
  }, 180_000);
});
