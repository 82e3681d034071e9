import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProgressFileError, readProgress, setLessonRead } from '../src/progress/store.ts';

function tempFile(content?: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'course-progress-')), 'progress.json');
  if (content !== undefined) fs.writeFileSync(file, content);
  return file;
}

describe('.lab/progress.json', () => {
  it('reads as empty when the file does not exist yet', () => {
    expect(readProgress(tempFile())).toEqual({ version: 1, lessons: {}, labs: {} });
  });

  it('marks a lesson read and leaves the labs part (written by the CLI) exactly as it was', () => {
    const labs = { '02-public-client': { checks: { 'profile-returned': 'pass' }, at: '2026-01-01T00:00:00.000Z' } };
    const file = tempFile(JSON.stringify({ version: 1, lessons: {}, labs, note: 'kept' }));
    setLessonRead(file, '03-sign-in-flow', true, new Date('2026-02-03T04:05:06.000Z'));
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({
      version: 1,
      lessons: { '03-sign-in-flow': { read: true, at: '2026-02-03T04:05:06.000Z' } },
      labs,
      note: 'kept',
    });
    setLessonRead(file, '03-sign-in-flow', false);
    expect(readProgress(file).lessons).toEqual({});
    expect(fs.readdirSync(path.dirname(file))).toEqual(['progress.json']); // no temporary files left
  });

  it('refuses a file it does not understand instead of overwriting it', () => {
    const file = tempFile('{"version": 2}');
    expect(() => setLessonRead(file, '01-open-front-door', true)).toThrow(ProgressFileError);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"version": 2}');
    expect(() => readProgress(tempFile('not json'))).toThrow(/not JSON/);
  });

  it('accepts only lesson ids', () => {
    expect(() => setLessonRead(tempFile(), '../../etc/passwd', true)).toThrow(RangeError);
  });
});
