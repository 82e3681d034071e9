import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, sandboxGrants } from '../src/process/index.ts';
import { cleanupLaunched, expectGone, launch, rejection } from './process-support.ts';

/** What Node's permission model lets a staged submission do, proven with real processes. */
afterEach(cleanupLaunched);

/** Tries each operation and prints one JSON line: operation → 'ok' or the error code. */
const PROBE = `
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
const attempt = (f) => { try { f(); return 'ok'; } catch (e) { return e.code ?? String(e); } };
const result = {
  home: attempt(() => fs.writeFileSync(path.join(process.env.HOME, 'a.txt'), 'a')),
  tmpdir: attempt(() => fs.writeFileSync(path.join(os.tmpdir(), 'b.txt'), 'b')),
  appdata: attempt(() => fs.writeFileSync(path.join(process.env.APPDATA, 'c.txt'), 'c')),
  cache: attempt(() => { fs.mkdirSync('.cache', { recursive: true }); fs.writeFileSync('.cache/d.txt', 'd'); }),
  labCacheDir: process.env.LAB_CACHE_DIR ? attempt(() => { fs.mkdirSync(process.env.LAB_CACHE_DIR, { recursive: true }); fs.writeFileSync(path.join(process.env.LAB_CACHE_DIR, 'e.txt'), 'e'); }) : 'unset',
  readOwnEnvFile: attempt(() => process.loadEnvFile('.env')),
  writeOwnFolder: attempt(() => fs.writeFileSync('own.txt', 'x')),
  symlinkOut: attempt(() => fs.symlinkSync('/', path.join(process.env.HOME, 'root'))),
  worker: attempt(() => new Worker('0', { eval: true })),
};
console.log(JSON.stringify(result));
`;

describe('the sandbox', () => {
  it('lets a staged TypeScript server import the lab dependencies from the repository node_modules', async () => {
    const { proc, home } = await launch('imports-lab-deps', { entry: 'server.ts' });
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(proc.output()).toBe(`loaded function function; tmpdir ${path.join(home.dir, 'tmp')}\n`);
    await proc.stop();
    await expectGone([proc.pid]);
  });

  it('lets it write in its home, temp, cache folders and read its .env — and nothing else', async () => {
    const probe = async (extra: Record<string, string>) => {
      const { proc } = await launch('passes', {
        entry: 'probe.js',
        extra,
        beforeStart: (staged) => {
          fs.writeFileSync(path.join(staged.dir, 'probe.js'), PROBE);
          fs.writeFileSync(path.join(staged.dir, '.env'), 'FROM_DOTENV=1\n');
        },
      });
      await proc.exited;
      return JSON.parse(proc.output()) as Record<string, string>;
    };
    const base = { home: 'ok', tmpdir: 'ok', appdata: 'ok', readOwnEnvFile: 'ok', writeOwnFolder: 'ERR_ACCESS_DENIED', symlinkOut: 'ERR_ACCESS_DENIED', worker: 'ERR_ACCESS_DENIED' };
    expect(await probe({})).toEqual({ ...base, cache: 'ok', labCacheDir: 'unset' });
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-cache-'));
    try {
      // With LAB_CACHE_DIR set, that folder replaces the default `.cache`.
      expect(await probe({ LAB_CACHE_DIR: cacheDir })).toEqual({ ...base, cache: 'ERR_ACCESS_DENIED', labCacheDir: 'ok' });
      expect(fs.readFileSync(path.join(cacheDir, 'e.txt'), 'utf8')).toBe('e');
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it.skipIf(process.platform === 'win32')('runs the server with umask 022 whatever the grader runs with, so a file written without a mode is readable by others', async () => {
    const writes = async (options: { graderUmask: boolean }) => {
      const { proc, home } = await launch('passes', {
        entry: 'writes.js',
        ...(options.graderUmask ? { umask: null } : {}),
        beforeStart: (staged) => fs.writeFileSync(path.join(staged.dir, 'writes.js'), "import fs from 'node:fs';\nfs.writeFileSync(process.env.HOME + '/no-mode.txt', 'x');\n"),
      });
      expect(await proc.exited).toEqual({ code: 0, signal: null });
      return (fs.statSync(path.join(home.dir, 'no-mode.txt')).mode & 0o777).toString(8);
    };
    // A grader under a hardened umask: its servers would hide a missing mode…
    const graders = process.umask(0o077);
    try {
      expect(await writes({ graderUmask: true })).toBe('600');
      // …but by default they run with the usual 022, so the mistake shows.
      expect(await writes({ graderUmask: false })).toBe('644');
    } finally {
      process.umask(graders);
    }
  });

  it('gives a file without a package.json of its own the repository module type, through the job folder package.json', async () => {
    // No import/export: only the nearest package.json can make this file ESM.
    const typeOfRequire = async (keepMarker: boolean, preloads: boolean) => {
      const { proc } = await launch('passes', {
        entry: 'type.js',
        orphanGuard: preloads,
        umask: preloads ? 0o022 : null,
        beforeStart: (staged) => {
          fs.writeFileSync(path.join(staged.dir, 'type.js'), 'console.log(typeof require);\n');
          if (!keepMarker) fs.rmSync(path.join(staged.root, 'package.json'));
        },
      });
      await proc.exited;
      return proc.output().trim();
    };
    expect(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'))).toMatchObject({ type: 'module' });
    expect(await typeOfRequire(true, true)).toBe('undefined');
    expect(await typeOfRequire(true, false)).toBe('undefined');
    // Without it, Node's CommonJS entry path stops its search at the first folder it may not read…
    expect(await typeOfRequire(false, false)).toBe('function');
    // …while the ESM loader (in charge once a preload such as the orphan guard or the umask is given) still finds the repository's.
    expect(await typeOfRequire(false, true)).toBe('undefined');
  });

  it('denies a way out through an npm workspace link (node_modules/@mcp-lab/…/../..), which the OS would follow', async () => {
    const target = path.join(REPO_ROOT, 'node_modules', '@mcp-lab', 'harness') + '/../../package.json';
    // Unsandboxed, the path really reaches the repository root: the hole is real.
    const open = await launch('reads-outside', { sandbox: false, extra: { READ_TARGET: target } });
    await open.proc.waitForOutput(/^read \d+ characters/m, 10_000);
    const { proc } = await launch('reads-outside', { extra: { READ_TARGET: target } });
    const { error } = await rejection(() => proc.waitForOutput(/^read \d+/m, 10_000));
    expect(error.code).toBe('EXITED');
    expect(error.message).toContain(`your server tried to read ${target}, outside its folder: submissions may only read their own folder and the lab's dependencies.`);
  });

  it('denies the workspace packages themselves, named as packages', async () => {
    const { proc } = await launch('reads-outside', { extra: { READ_TARGET: path.join(REPO_ROOT, 'node_modules', '@mcp-lab', 'mock-idp', 'package.json') } });
    await proc.exited;
    expect(proc.diagnosis()).toBe(
      "your server tried to load the package '@mcp-lab/mock-idp', which graded submissions may not use: they may only read their own folder and the lab's dependencies.",
    );
  });

  it('denies the repository around the staged copy', async () => {
    const { proc } = await launch('reads-outside', { extra: { READ_TARGET: '../../../../package.json' } });
    await proc.exited;
    expect(proc.diagnosis()).toBe(
      "your server tried to read ../../../../package.json, outside its folder: submissions may only read their own folder and the lab's dependencies.",
    );
  });

  it('grants exactly: the job folder, node_modules package by package (never the workspace links), the CA file, home and cache', async () => {
    const submission = { dir: path.join(REPO_ROOT, '.lab', 'grading', 'job-x', '02-lab'), root: path.join(REPO_ROOT, '.lab', 'grading', 'job-x') };
    const home = { dir: path.join(os.tmpdir(), 'home-x') };
    const ca = path.join(REPO_ROOT, '.lab', 'certs', 'ca.pem');
    const grants = await sandboxGrants({ submission, home }, { NODE_EXTRA_CA_CERTS: ca });
    const nodeModules = path.join(REPO_ROOT, 'node_modules');
    expect(grants.write).toEqual([home.dir, path.join(submission.dir, '.cache')]);
    expect(grants.read).toContain(submission.root);
    expect(grants.read).toContain(ca);
    expect(grants.read).not.toContain(path.dirname(ca));
    expect(grants.read).toContain(path.join(nodeModules, '@modelcontextprotocol'));
    expect(grants.read).toContain(path.join(nodeModules, '@azure'));
    expect(grants.read).toContain(path.join(nodeModules, 'zod'));
    expect(grants.read).not.toContain(nodeModules);
    expect(grants.read.some((p) => p.startsWith(path.join(nodeModules, '@mcp-lab')) || p.startsWith(path.join(nodeModules, '.bin')))).toBe(false);
    expect(grants.read.some((p) => p === REPO_ROOT || p === path.join(REPO_ROOT, '.lab'))).toBe(false);
    expect((await sandboxGrants({ submission, home }, { LAB_CACHE_DIR: '/tmp/cache-x' })).write).toEqual([home.dir, '/tmp/cache-x']);
  });

  it('refuses a LAB_CACHE_DIR that would make the repository writable', async () => {
    const submission = { dir: path.join(REPO_ROOT, '.lab', 'grading', 'job-x', '02-lab'), root: path.join(REPO_ROOT, '.lab', 'grading', 'job-x') };
    for (const dir of [REPO_ROOT, path.dirname(REPO_ROOT), '/']) {
      const { error } = await rejection(() => sandboxGrants({ submission, home: { dir: '/tmp/h' } }, { LAB_CACHE_DIR: dir }));
      expect(error.code).toBe('UNSAFE_REQUEST');
      expect(error.message).toBe(`LAB_CACHE_DIR ${dir} holds the repository: give the server a cache folder of its own (inside its home, for example).`);
    }
  });
});
