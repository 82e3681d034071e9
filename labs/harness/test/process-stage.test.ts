import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, STAGING_LIMITS, stageSubmission, type StagedSubmission } from '../src/process/index.ts';
import { rejection } from './process-support.ts';

/** Staging: what is copied, what is refused, where it lands. */
let source: string;
let stagingRoot: string;
const staged: StagedSubmission[] = [];

beforeEach(() => {
  source = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-source-'));
  // Inside the repository, as the default is: the staged copy must resolve the repository's node_modules.
  stagingRoot = fs.mkdtempSync(path.join(REPO_ROOT, '.lab', 'grading-test-'));
});

afterEach(async () => {
  for (const s of staged.splice(0)) await s.cleanup();
  fs.rmSync(source, { recursive: true, force: true });
  fs.rmSync(stagingRoot, { recursive: true, force: true });
});

function write(relative: string, content = 'x'): void {
  fs.mkdirSync(path.dirname(path.join(source, relative)), { recursive: true });
  fs.writeFileSync(path.join(source, relative), content);
}

async function stage(options: { maxBytes?: number; maxFiles?: number; exclude?: string[] } = {}): Promise<StagedSubmission> {
  const result = await stageSubmission(source, { labId: '02-public-client', stagingRoot, ...options });
  staged.push(result);
  return result;
}

function jobFolders(): string[] {
  return fs.readdirSync(stagingRoot);
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

describe('stageSubmission', () => {
  it('copies the folder with its .env, without node_modules or .git at any depth, into <root>/job-…/<labId>', async () => {
    write('package.json', '{"type":"module"}');
    write('.env', 'CLIENT_ID=abc\n');
    write('src/server.ts', 'export {};');
    write('node_modules/left-pad/index.js');
    write('.git/HEAD', 'ref: refs/heads/main');
    write('src/vendor/node_modules/x/index.js');
    write('src/vendor/.git', 'gitdir: elsewhere');
    const result = await stage();
    expect(path.dirname(result.dir)).toBe(result.root);
    expect(path.basename(result.dir)).toBe('02-public-client');
    expect(path.dirname(result.root)).toBe(fs.realpathSync(stagingRoot));
    expect(path.basename(result.root)).toMatch(/^job-/);
    expect(filesUnder(result.dir)).toEqual(['.env', 'package.json', 'src/server.ts']);
    expect(fs.readFileSync(path.join(result.dir, '.env'), 'utf8')).toBe('CLIENT_ID=abc\n');
    expect(result.files).toBe(3);
    expect(result.bytes).toBe('{"type":"module"}'.length + 'CLIENT_ID=abc\n'.length + 'export {};'.length);
  });

  it('puts the repository module type in the job folder package.json', async () => {
    write('server.js');
    const result = await stage();
    expect(JSON.parse(fs.readFileSync(path.join(result.root, 'package.json'), 'utf8'))).toEqual({ private: true, type: 'module' });
    expect(fs.readdirSync(result.root).sort()).toEqual(['02-public-client', 'package.json']);
  });

  it('leaves out extra names when asked', async () => {
    write('server.js');
    write('.cache/msal.json', '{}');
    expect(filesUnder((await stage({ exclude: ['.cache'] })).dir)).toEqual(['server.js']);
  });

  it('refuses a symlink that leads out of the folder, and leaves nothing staged', async () => {
    write('server.js');
    fs.symlinkSync('/etc/hostname', path.join(source, 'hostname'));
    const { error } = await rejection(() => stage());
    expect(error.code).toBe('STAGING_REFUSED');
    expect(error.message).toBe(
      'hostname is a symbolic link to /etc/hostname, outside the submission folder: the grader copies only the folder itself. Replace the link with a copy of the file.',
    );
    expect(jobFolders()).toEqual([]);
  });

  it('refuses a relative symlink that climbs out of the folder', async () => {
    write('src/server.js');
    fs.symlinkSync('../../', path.join(source, 'src', 'up'));
    const { error } = await rejection(() => stage());
    expect(error.message).toMatch(/^src\/up is a symbolic link to .*, outside the submission folder/);
  });

  it('copies a symlink to a file inside the folder as a regular file, and refuses one to a folder', async () => {
    write('config/real.json', '{"a":1}');
    fs.symlinkSync('config/real.json', path.join(source, 'alias.json'));
    const result = await stage();
    expect(fs.lstatSync(path.join(result.dir, 'alias.json')).isFile()).toBe(true);
    expect(fs.readFileSync(path.join(result.dir, 'alias.json'), 'utf8')).toBe('{"a":1}');

    fs.symlinkSync('config', path.join(source, 'config-link'));
    const { error } = await rejection(() => stage());
    expect(error.message).toBe('config-link is a symbolic link to a folder: replace the link with the folder itself.');
  });

  it('refuses a broken symlink', async () => {
    fs.symlinkSync('missing.js', path.join(source, 'dangling.js'));
    const { error } = await rejection(() => stage());
    expect(error.message).toBe('dangling.js is a symbolic link to something that does not exist: remove the link.');
  });

  it('refuses too many files, and too many bytes, naming the cap and the fix', async () => {
    for (let i = 0; i < 6; i += 1) write(`f${i}.txt`, '0123456789');
    const many = await rejection(() => stage({ maxFiles: 5 }));
    expect(many.error.code).toBe('STAGING_REFUSED');
    expect(many.error.message).toBe(
      'the submission holds more than 5 files (node_modules and .git not counted). Remove generated files, logs or data from the folder.',
    );
    const big = await rejection(() => stage({ maxBytes: 25 }));
    expect(big.error.message).toBe(
      'the submission is larger than 25 bytes (node_modules and .git not counted; reached at f2.txt, 10 bytes). Remove build output, logs or data files from the folder.',
    );
    expect(jobFolders()).toEqual([]);
    // node_modules does not count toward the caps.
    fs.rmSync(path.join(source, 'f5.txt'));
    for (let i = 0; i < 20; i += 1) write(`node_modules/p${i}/index.js`);
    expect((await stage({ maxFiles: 5 })).files).toBe(5);
  });

  it('has caps of 20 MB and 2,000 files by default', async () => {
    expect(STAGING_LIMITS).toEqual({ maxBytes: 20 * 1024 * 1024, maxFiles: 2_000 });
    write('big.bin', '');
    fs.truncateSync(path.join(source, 'big.bin'), 20 * 1024 * 1024 + 1);
    const { error } = await rejection(() => stage());
    expect(error.message).toMatch(/^the submission is larger than 20 MB /);
  });

  it('refuses a missing folder, a file, and a lab id that is not a plain name', async () => {
    const missing = await rejection(() => stageSubmission(path.join(source, 'nope'), { labId: '02-x', stagingRoot }));
    expect(missing.error.message).toBe(`the submission folder ${path.join(source, 'nope')} does not exist. Check the path (for \`grade\`: one folder per learner).`);
    write('file.txt');
    const file = await rejection(() => stageSubmission(path.join(source, 'file.txt'), { labId: '02-x', stagingRoot }));
    expect(file.error.message).toBe(`${path.join(source, 'file.txt')} is a file, not a folder: a submission is the lab's folder.`);
    const id = await rejection(() => stageSubmission(source, { labId: '../escape', stagingRoot }));
    expect(id.error.code).toBe('UNSAFE_REQUEST');
  });

  it('accepts a folder reached through a symlink (a linked work/ folder)', async () => {
    write('server.js');
    const link = `${source}-link`;
    fs.symlinkSync(source, link);
    try {
      const result = await stageSubmission(link, { labId: '02-x', stagingRoot });
      staged.push(result);
      expect(filesUnder(result.dir)).toEqual(['server.js']);
    } finally {
      fs.rmSync(link);
    }
  });

  it('cleanup removes the job folder, and may be called twice', async () => {
    write('server.js');
    const result = await stage();
    await result.cleanup();
    await result.cleanup();
    expect(fs.existsSync(result.root)).toBe(false);
  });

  it('stages under <repo>/.lab/grading by default', async () => {
    write('server.js');
    const result = await stageSubmission(source, { labId: '02-x' });
    staged.push(result);
    expect(path.dirname(result.root)).toBe(path.join(REPO_ROOT, '.lab', 'grading'));
  });
});
