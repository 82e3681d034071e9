import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCommittableFiles } from '../src/index.ts';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'committable-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

// Never an inherited GIT_DIR (a test run inside a git hook): these commands must touch only the temporary folder.
const gitEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_')));
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe', env: gitEnv });
const byPath = (files: { path: string; how: string }[]) => Object.fromEntries(files.map((f) => [f.path, f.how]));

describe('readCommittableFiles', () => {
  it('in a git work tree: tracked files, plus untracked ones no ignore rule covers — not ignored ones', async () => {
    const repo = folder({ '.gitignore': '.env\n', 'lab/app-manifest.json': '{}', 'lab/.env': 'CLIENT_SECRET=x', 'lab/notes.md': 'n', 'lab/forced.env': 'f', 'other/outside.txt': 'o' });
    git(repo, 'init', '-q');
    git(repo, 'add', '.gitignore', 'lab/app-manifest.json');
    const view = await readCommittableFiles(path.join(repo, 'lab'));
    expect(view.mode).toBe('git');
    // Paths relative to the folder asked about; nothing outside it; the ignored .env is not listed.
    expect(byPath(view.files)).toEqual({ 'app-manifest.json': 'tracked', 'forced.env': 'not-ignored', 'notes.md': 'not-ignored' });
  });

  it('lists an ignored file once it is tracked after all (git add -f)', async () => {
    const repo = folder({ '.gitignore': '.env\n', '.env': 'CLIENT_SECRET=x' });
    git(repo, 'init', '-q');
    git(repo, 'add', '-f', '.env');
    expect(byPath((await readCommittableFiles(repo)).files)).toEqual({ '.env': 'tracked', '.gitignore': 'not-ignored' });
  });

  it('outside git: every file of the folder, without node_modules', async () => {
    const dir = folder({ 'a.txt': 'a', '.env': 'e', 'sub/b.txt': 'b', 'node_modules/x/index.js': 'x' });
    const view = await readCommittableFiles(dir);
    expect(view.mode).toBe('folder');
    expect(byPath(view.files)).toEqual({ '.env': 'in-folder', 'a.txt': 'in-folder', 'sub/b.txt': 'in-folder' });
  });
});
