import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveCommand } from '../src/process/command.ts';
import { diagnoseOutput, explainDenial, findAccessDenials } from '../src/process/diagnose.ts';
import { assertSafeEnv, submissionEnv } from '../src/process/env.ts';
import { windowsKillCommand } from '../src/process/kill-tree.ts';
import { orphanGuardFlag } from '../src/process/orphan-guard.ts';
import { umaskFlag } from '../src/process/umask.ts';
import { CappedOutput } from '../src/process/output.ts';
import { assertPortsFree, freePort, isPortFree } from '../src/process/ports.ts';
import { parseProcStat, parsePs, pidsWithEnvInPs, treeOf } from '../src/process/process-table.ts';
import { nodeModulesGrants, permissionFlags, prefixCover } from '../src/process/sandbox.ts';
import { telltaleLine } from '../src/process/start.ts';
import { homeEnv, tempHome } from '../src/process/temp-home.ts';
import { rejection } from './process-support.ts';

/** The runner's pure parts, and the small I/O helpers, one by one. */
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('CappedOutput', () => {
  it('keeps everything under the limit', () => {
    const out = new CappedOutput(100);
    out.append(Buffer.from('hello\n'));
    out.append(Buffer.from('world\n'));
    expect(out.text()).toBe('hello\nworld\n');
    expect(out.totalBytes).toBe(12);
  });

  it('keeps the first and last halves with a marker saying how much was cut', () => {
    const out = new CappedOutput(20);
    out.append(Buffer.from('HEAD-HEAD-'));
    for (let i = 0; i < 300; i += 1) out.append(Buffer.from('m'.repeat(10)));
    out.append(Buffer.from('-TAIL-TAIL'));
    expect(out.text()).toBe('HEAD-HEAD-\n… [3 KB cut] …\n-TAIL-TAIL');
    expect(out.totalBytes).toBe(3020);
  });

  it('cuts inside one big chunk too, and counts bytes below 1 KB as bytes', () => {
    const out = new CappedOutput(4);
    out.append(Buffer.from('abcdefghij'));
    expect(out.text()).toBe('ab\n… [6 bytes cut] …\nij');
  });

  it('keeps a recent window that spans chunk boundaries and split UTF-8 characters', () => {
    const out = new CappedOutput(8);
    const euro = Buffer.from('€');
    out.append(Buffer.from('listen'));
    out.append(Buffer.concat([Buffer.from('ing on 1 '), euro.subarray(0, 1)]));
    out.append(euro.subarray(1));
    expect(out.recent).toBe('listening on 1 €');
  });
});

describe('diagnose', () => {
  const inspectDenial = (permission: string, resource: string) =>
    `Error: Access to this API has been restricted. Use --allow-fs-read to manage permissions.\n    at x (file:///s.mjs:1:1) {\n  code: 'ERR_ACCESS_DENIED',\n  permission: '${permission}',\n  resource: '${resource}'\n}\n`;

  it('reads Node’s printed ERR_ACCESS_DENIED: util.inspect form, JSON form, escaped Windows paths', () => {
    expect(findAccessDenials(inspectDenial('FileSystemRead', '/etc/hostname'))).toEqual([{ permission: 'FileSystemRead', resource: '/etc/hostname' }]);
    expect(findAccessDenials('{"code":"ERR_ACCESS_DENIED","permission":"FileSystemWrite","resource":"/x"}')).toEqual([{ permission: 'FileSystemWrite', resource: '/x' }]);
    expect(findAccessDenials(inspectDenial('FileSystemRead', 'C:\\\\Windows\\\\win.ini'))).toEqual([{ permission: 'FileSystemRead', resource: 'C:\\Windows\\win.ini' }]);
    expect(findAccessDenials(`${inspectDenial('WorkerThreads', '')}${inspectDenial('WorkerThreads', '')}`)).toEqual([{ permission: 'WorkerThreads', resource: '' }]);
    expect(findAccessDenials('Error [ERR_ACCESS_DENIED]: Access to this API has been restricted')).toEqual([{ permission: 'unknown', resource: '' }]);
    expect(findAccessDenials('all fine')).toEqual([]);
  });

  it('explains each kind of denial in words a learner can act on', () => {
    expect(explainDenial({ permission: 'FileSystemRead', resource: '/etc/passwd' })).toBe(
      "your server tried to read /etc/passwd, outside its folder: submissions may only read their own folder and the lab's dependencies.",
    );
    expect(explainDenial({ permission: 'FileSystemRead', resource: '/r/node_modules/@mcp-lab/mock-idp/src/index.ts' })).toBe(
      "your server tried to load the package '@mcp-lab/mock-idp', which graded submissions may not use: they may only read their own folder and the lab's dependencies.",
    );
    expect(explainDenial({ permission: 'FileSystemRead', resource: 'C:\\r\\node_modules\\left-pad\\index.js' })).toContain("the package 'left-pad'");
    expect(explainDenial({ permission: 'FileSystemRead', resource: '/r/node_modules/package.json' })).toContain('tried to read /r/node_modules/package.json, outside its folder');
    expect(explainDenial({ permission: 'FileSystemWrite', resource: '/r/server.js' })).toBe(
      'your server tried to write /r/server.js: submissions may only write in their home folder (HOME, os.tmpdir()) and the token cache folder LAB_CACHE_DIR.',
    );
    expect(explainDenial({ permission: 'ChildProcess', resource: 'xdg-open' })).toContain('tried to start another process (xdg-open): graded submissions may not start processes');
    expect(explainDenial({ permission: 'WorkerThreads', resource: '' })).toBe('your server tried to start a worker thread: graded submissions run on the main thread only.');
    expect(explainDenial({ permission: 'Addon', resource: '' })).toContain('native addon');
    expect(explainDenial({ permission: 'unknown', resource: '' })).toContain('(ERR_ACCESS_DENIED)');
  });

  it('recognises a port in use (IPv4, IPv6, no port), a missing package, and nothing', () => {
    expect(diagnoseOutput('Error: listen EADDRINUSE: address already in use 127.0.0.1:4321\n    at …')).toBe(
      'your server could not listen on port 4321: another process already uses it (EADDRINUSE). Stop the other program (another copy of your server?) or, when grading, run the job again.',
    );
    expect(diagnoseOutput("Error: listen EADDRINUSE: address already in use :::3001\n  code: 'EADDRINUSE',")).toContain('port 3001:');
    expect(diagnoseOutput('EADDRINUSE')).toContain('could not listen on port: another');
    expect(diagnoseOutput("Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'left-pad' imported from /s/server.ts")).toBe(
      "your server imports 'left-pad', which cannot be found: submissions run on the lab's dependencies only (they are never npm-installed), and relative imports need their file extension.",
    );
    expect(diagnoseOutput('listening on 3001\n')).toBeUndefined();
  });

  it('picks the error line of an uncaught error, not Node’s version footer', () => {
    const crash = "file:///s.mjs:7\n    throw new Error('boom');\n    ^\n\nError: boom\n    at Timeout._onTimeout (file:///s.mjs:7:11)\n\nNode.js v24.21.0\n";
    expect(telltaleLine(crash)).toBe('Error: boom');
    expect(telltaleLine('TypeError [ERR_X]: bad\n')).toBe('TypeError [ERR_X]: bad');
    expect(telltaleLine('just a line\n\n')).toBe('just a line');
    expect(telltaleLine(`${'y'.repeat(300)}\n`)).toBe(`${'y'.repeat(200)}…`);
    expect(telltaleLine('')).toBeUndefined();
  });
});

describe('prefixCover', () => {
  /** Node's semantics: `p*` matches anything starting with p; `name` matches name and name/…. */
  const grants = (cover: string[], name: string) => cover.some((g) => (g.endsWith('*') ? name.startsWith(g.slice(0, -1)) : name === g || name.startsWith(`${g}/`)));

  it('covers every allowed name and no denied one, with few grants', () => {
    const allowed = ['@azure', '@modelcontextprotocol', 'express', 'zod', 'zod-to-json-schema', 'main-loop', '.package-lock.json'];
    const denied = ['.bin', '@mcp-lab/harness', '@mcp-lab/mock-idp', 'zod-evil', 'main'];
    const cover = prefixCover(allowed, denied);
    for (const name of allowed) expect(grants(cover, name), name).toBe(true);
    for (const name of denied) expect(grants(cover, name), name).toBe(false);
    expect(cover).toEqual(['.p*', '@a*', '@mo*', 'e*', 'main-*', 'zod', 'zod-t*']);
  });

  it('grants the whole folder when nothing is denied, nothing when nothing is allowed, and keeps a name both allowed and denied', () => {
    expect(prefixCover(['a', 'b'], [])).toEqual(['']);
    expect(prefixCover([], ['a'])).toEqual([]);
    expect(prefixCover(['scripts'], ['scripts', 'scripts-x'])).toEqual(['scripts']);
  });
});

describe('nodeModulesGrants', () => {
  function fakeRepo(): { repo: string; nm: string } {
    const repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-fake-repo-')));
    temps.push(repo);
    const nm = path.join(repo, 'node_modules');
    for (const dir of ['zod', 'express', '@azure/msal-node', '@mixed/real', 'inner-target', 'workspace-a', '.bin', 'secrets-dir']) {
      fs.mkdirSync(path.join(dir.startsWith('workspace') || dir.startsWith('secrets') ? repo : nm, dir), { recursive: true });
    }
    fs.symlinkSync(path.join(repo, 'workspace-a'), path.join(nm, '@mixed', 'ws'));
    fs.symlinkSync(path.join(repo, 'workspace-a'), path.join(nm, 'linked-ws'));
    fs.symlinkSync(path.join(nm, 'inner-target'), path.join(nm, 'inner-link'));
    return { repo, nm };
  }

  it('grants each package by exact name, a clean scope whole, and never a link out, .bin or the folder itself', async () => {
    const { nm } = fakeRepo();
    const grants = await nodeModulesGrants(nm, 100_000);
    expect(grants.map((g) => path.relative(nm, g)).sort()).toEqual(['@azure', '@mixed/real', 'express', 'inner-link', 'inner-target', 'zod'].map((p) => path.join(p)).sort());
  });

  it('falls back to prefixes that avoid links, .bin and every name a link/../.. path could land on', async () => {
    const { nm } = fakeRepo();
    const grants = (await nodeModulesGrants(nm, 0)).map((g) => path.relative(nm, g.replace(/\*$/, '')) + (g.endsWith('*') ? '*' : ''));
    // `secrets-dir` (beside the workspace in the repository) is a landing name: `s*` would have matched node_modules/secrets-dir.
    const reach = (name: string) => grants.some((g) => (g.endsWith('*') ? name.startsWith(g.slice(0, -1)) : name === g || name.startsWith(`${g}/`)));
    for (const name of ['zod', 'express', '@azure/msal-node', '@mixed/real', 'inner-link']) expect(reach(name), name).toBe(true);
    for (const name of ['.bin', 'linked-ws', '@mixed/ws', 'secrets-dir', 'workspace-a', 'node_modules']) expect(reach(name), name).toBe(false);
  });

  it('is empty for a missing node_modules', async () => {
    expect(await nodeModulesGrants(path.join(os.tmpdir(), 'no-such-node-modules-here'), 100_000)).toEqual([]);
  });
});

describe('permissionFlags and resolveCommand', () => {
  const flags = permissionFlags({ read: ['/job', '/nm/zod'], write: ['/home'] });

  it('writes one flag per path, and no flag granting processes, workers or addons', () => {
    expect(flags).toEqual(['--permission', '--allow-fs-read=/job', '--allow-fs-read=/nm/zod', '--allow-fs-write=/home']);
  });

  it('runs `node` as this Node, flags first, and refuses what would undo the sandbox', () => {
    expect(resolveCommand(['node', 'server.ts'], flags, '/opt/node')).toEqual({ file: '/opt/node', args: [...flags, 'server.ts'] });
    expect(resolveCommand(['C:\\Program Files\\nodejs\\node.exe', 'server.ts'], flags, 'C:\\n\\node.exe').file).toBe('C:\\n\\node.exe');
    expect(resolveCommand(['npm', 'start'], undefined, '/opt/node')).toEqual({ file: 'npm', args: ['start'] });
    expect(resolveCommand(['node', 'a.js'], undefined, '/opt/node')).toEqual({ file: '/opt/node', args: ['a.js'] });
    expect(() => resolveCommand(['npm', 'start'], flags)).toThrow('the sandbox can only run `node …` commands, not `npm start`');
    expect(() => resolveCommand(['node', '--allow-child-process', 'server.ts'], flags)).toThrow('may not set --allow-child-process');
    expect(() => resolveCommand(['node', '--permission-audit', 'server.ts'], flags)).toThrow('may not set --permission-audit');
    expect(() => resolveCommand([], flags)).toThrow('the start command is empty');
  });

  it('puts node flags (the orphan guard) first, for node commands only', () => {
    expect(resolveCommand(['node', 's.js'], flags, '/opt/node', ['--import=x'])).toEqual({ file: '/opt/node', args: ['--import=x', ...flags, 's.js'] });
    expect(resolveCommand(['node', 's.js'], undefined, '/opt/node', ['--import=x'])).toEqual({ file: '/opt/node', args: ['--import=x', 's.js'] });
    expect(resolveCommand(['npm', 'start'], undefined, '/opt/node', ['--import=x'])).toEqual({ file: 'npm', args: ['start'] });
  });

  it('the orphan guard is a data: URL preload that watches the parent', () => {
    const flag = orphanGuardFlag(500);
    expect(flag.startsWith('--import=data:text/javascript,')).toBe(true);
    const source = decodeURIComponent(flag.slice('--import=data:text/javascript,'.length));
    expect(source).toContain('process.ppid !== parent');
    expect(source).toContain('kill(process.pid, "SIGKILL")');
    expect(source).toContain('}, 500).unref();');
  });

  it('the umask is a data: URL preload too, and refuses what is not a umask', () => {
    const flag = umaskFlag();
    expect(flag.startsWith('--import=data:text/javascript,')).toBe(true);
    expect(decodeURIComponent(flag.slice('--import=data:text/javascript,'.length))).toBe('process.umask(0o22);');
    expect(() => umaskFlag(0o1000)).toThrow('not a umask');
  });

  it('kills a Windows tree with taskkill /T /F', () => {
    expect(windowsKillCommand(4242)).toEqual({ file: 'taskkill', args: ['/pid', '4242', '/T', '/F'] });
  });
});

describe('submissionEnv', () => {
  const home = { env: homeEnv('/h') };
  const parent = {
    PATH: '/usr/bin',
    HOME: '/root',
    MCP_LAB_ADMIN_TOKEN: 'the-admin-token',
    GITHUB_TOKEN: 'ghp_x',
    AWS_SECRET_ACCESS_KEY: 'aws',
    NODE_OPTIONS: '--require /evil.js',
    NODE_EXTRA_CA_CERTS: '/ca.pem',
  };

  it('builds the environment from nothing: PATH, the home, the CA, the lab variables', () => {
    const env = submissionEnv({ PORT: '3001', CLIENT_ID: 'c', ...({ NOT_A_LAB_VAR: 'x' } as object) }, { home, parentEnv: parent, platform: 'linux' });
    expect(env).toEqual({ PATH: '/usr/bin', ...homeEnv('/h'), NODE_EXTRA_CA_CERTS: '/ca.pem', PORT: '3001', CLIENT_ID: 'c' });
    expect(Object.keys(env).some((k) => /ADMIN_TOKEN/i.test(k))).toBe(false);
    expect(env.NODE_OPTIONS).toBeUndefined();
    expect(env.GITHUB_TOKEN).toBeUndefined();
  });

  it('on Windows also passes the system variables, whatever their case in the parent', () => {
    const env = submissionEnv({}, { home, caFile: null, platform: 'win32', parentEnv: { Path: 'C:\\bin', SYSTEMROOT: 'C:\\Windows', ComSpec: 'cmd.exe', PATHEXT: '.EXE', windir: 'C:\\Windows', SystemDrive: 'C:' } });
    expect(env).toEqual({ PATH: 'C:\\bin', SystemRoot: 'C:\\Windows', ComSpec: 'cmd.exe', PATHEXT: '.EXE', windir: 'C:\\Windows', SystemDrive: 'C:', ...homeEnv('/h') });
  });

  it('uses the CA given, or none', () => {
    expect(submissionEnv({}, { home, caFile: '/other.pem', parentEnv: parent, platform: 'linux' }).NODE_EXTRA_CA_CERTS).toBe('/other.pem');
    expect(submissionEnv({}, { home, caFile: null, parentEnv: parent, platform: 'linux' }).NODE_EXTRA_CA_CERTS).toBeUndefined();
  });

  it('refuses an admin token by name or by value, and NODE_OPTIONS', () => {
    expect(() => submissionEnv({}, { home, parentEnv: parent, extra: { MY_ADMIN_TOKEN: 'x' } })).toThrow(
      "refusing to give a submission the variable MY_ADMIN_TOKEN: the IdP's admin token must never reach a learner's server (docs/design.md §5).",
    );
    expect(() => submissionEnv({}, { home, parentEnv: parent, extra: { HARMLESS: 'Bearer the-admin-token' } })).toThrow('its value contains the IdP');
    expect(() => submissionEnv({}, { home, parentEnv: parent, extra: { NODE_OPTIONS: '--allow-child-process' } })).toThrow('refusing to pass NODE_OPTIONS');
    expect(() => assertSafeEnv({ mcp_lab_admin_token: 'x' }, {})).toThrow('mcp_lab_admin_token');
  });

  it('homeEnv points every per-user variable into the folder', () => {
    expect(homeEnv('/h')).toEqual({
      HOME: '/h',
      USERPROFILE: '/h',
      APPDATA: path.join('/h', 'AppData', 'Roaming'),
      LOCALAPPDATA: path.join('/h', 'AppData', 'Local'),
      XDG_CONFIG_HOME: path.join('/h', '.config'),
      XDG_CACHE_HOME: path.join('/h', '.cache'),
      XDG_DATA_HOME: path.join('/h', '.local', 'share'),
      XDG_STATE_HOME: path.join('/h', '.local', 'state'),
      TMPDIR: path.join('/h', 'tmp'),
      TMP: path.join('/h', 'tmp'),
      TEMP: path.join('/h', 'tmp'),
    });
  });
});

describe('tempHome', () => {
  it('makes a fresh folder per call with every folder its variables name, and removes it', async () => {
    const [a, b] = await Promise.all([tempHome(), tempHome()]);
    try {
      expect(a.dir).not.toBe(b.dir);
      expect(a.dir).toBe(fs.realpathSync(a.dir));
      for (const dir of Object.values(a.env)) expect(fs.statSync(dir).isDirectory()).toBe(true);
    } finally {
      await a.cleanup();
      await b.cleanup();
    }
    expect(fs.existsSync(a.dir)).toBe(false);
  });
});

describe('ports', () => {
  it('freePort never hands out the same port twice in a row', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) expect(port).toBeGreaterThan(0);
  });

  it('sees a port held by a listener, and assertPortsFree names it', async () => {
    const port = await freePort();
    expect(await isPortFree(port)).toBe(true);
    const server = net.createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      expect(await isPortFree(port)).toBe(false);
      const { error } = await rejection(() => assertPortsFree([port]));
      expect(error.code).toBe('PORT_IN_USE');
      expect(error.message).toMatch(new RegExp(`^port ${port} is already in use by another process`));
    } finally {
      server.close();
    }
  });
});

describe('process table', () => {
  it('parses /proc/<pid>/stat, even with spaces and parentheses in the command name', () => {
    expect(parseProcStat('4242 (node) S 1 4242 4242 0 -1 4194560')).toEqual({ pid: 4242, ppid: 1, pgid: 4242, zombie: false });
    expect(parseProcStat('77 (evil) (name) Z 4242 4242 9 0')).toEqual({ pid: 77, ppid: 4242, pgid: 4242, zombie: true });
    expect(parseProcStat('garbage')).toBeUndefined();
    expect(parseProcStat(undefined)).toBeUndefined();
  });

  it('parses ps output', () => {
    expect(parsePs('  1     0     1 Ss\n 100     1   100 S+\n 101   100   100 Z\n\n')).toEqual([
      { pid: 1, ppid: 0, pgid: 1, zombie: false },
      { pid: 100, ppid: 1, pgid: 100, zombie: false },
      { pid: 101, ppid: 100, pgid: 100, zombie: true },
    ]);
  });

  it('finds the group and, while the root lives, its descendants in other groups; never zombies', () => {
    const table = [
      { pid: 100, ppid: 1, pgid: 100, zombie: false },
      { pid: 101, ppid: 100, pgid: 100, zombie: false },
      { pid: 102, ppid: 100, pgid: 102, zombie: false },
      { pid: 103, ppid: 102, pgid: 102, zombie: false },
      { pid: 104, ppid: 1, pgid: 100, zombie: false },
      { pid: 105, ppid: 100, pgid: 100, zombie: true },
      { pid: 200, ppid: 1, pgid: 200, zombie: false },
    ];
    expect(treeOf(table, 100, 100).sort()).toEqual([100, 101, 102, 103, 104]);
    expect(treeOf(table, 100, undefined).sort()).toEqual([100, 101, 104]);
  });

  it('finds the run marker in ps -E output (macOS)', () => {
    const ps = '  10 node server.js MCP_LAB_RUN=abc HOME=/h\n  11 node other.js MCP_LAB_RUN=abcd\n  12 sleep 5 X=MCP_LAB_RUN=abc\n';
    expect(pidsWithEnvInPs(ps, 'MCP_LAB_RUN=abc')).toEqual([10]);
  });
});
