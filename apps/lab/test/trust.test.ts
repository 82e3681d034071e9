import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCaFromPem, nssNickname, sha256Of, type LabCa } from '../src/trust/lab-ca.ts';
import { discoverNssDatabases, explicitNssDirs } from '../src/trust/nss-databases.ts';
import { parseCertutilList, planNssStore, type NssState } from '../src/trust/nss-store.ts';
import { detectLinuxLayout, LINUX_LAYOUTS, planLinuxStore, type LinuxStoreState } from '../src/trust/os-store-linux.ts';
import { keychainHasSha1, planMacosStore } from '../src/trust/os-store-macos.ts';
import { planWindowsStore } from '../src/trust/os-store-windows.ts';
import { applyStep, describeStep, withSudo } from '../src/trust/plan.ts';
import { formatCommand } from '../src/trust/run-command.ts';
import { runTrust, type TrustIo } from '../src/commands/trust.ts';
import { CliError } from '../src/cli-error.ts';
import { runCli } from './run-cli.ts';

const CA: LabCa = {
  path: '/lab/certs/ca.pem',
  pem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
  subject: 'CN=MCP Lab Development CA (test)',
  notAfter: new Date('2036-01-01T00:00:00Z'),
  sha256: '3C:23:0D:2F:4D:A9:A2:F0:0A:A6:20:16:DC:F7:16:BB:2E:4F:78:BE:95:89:6C:8C:0C:2E:9C:D0:D8:03:06:2D',
  sha1: '0123456789ABCDEF0123456789ABCDEF01234567',
  nickname: 'mcp-lab dev CA 3C230D2F',
};

const [DEBIAN, FEDORA] = LINUX_LAYOUTS as [(typeof LINUX_LAYOUTS)[number], (typeof LINUX_LAYOUTS)[number]];
const linux = (over: Partial<LinuxStoreState>): LinuxStoreState => ({ layout: DEBIAN, updateTool: '/usr/sbin/update-ca-certificates', anchor: 'absent', inBundle: false, root: true, ...over });

describe('OS store planning (pure: which file and command on which platform)', () => {
  it('Linux: detects Debian/Ubuntu before Fedora/RHEL by their anchor folders, and none when neither exists', () => {
    expect(detectLinuxLayout((d) => d === '/usr/local/share/ca-certificates')?.family).toBe('debian');
    expect(detectLinuxLayout((d) => d === '/etc/pki/ca-trust/source/anchors')?.family).toBe('fedora');
    expect(detectLinuxLayout(() => false)).toBeUndefined();
  });

  it('Linux as root: trust copies the CA into the anchor folder and rebuilds the bundle; untrust deletes exactly that file', () => {
    const trust = planLinuxStore('trust', CA, linux({}));
    expect(trust).toMatchObject({ outcome: 'change', store: 'OS trust store (Debian/Ubuntu)' });
    expect(trust.steps).toEqual([
      { kind: 'copy', from: CA.path, to: '/usr/local/share/ca-certificates/mcp-lab-dev-ca.crt', mode: 0o644 },
      { kind: 'run', argv: ['/usr/sbin/update-ca-certificates'] },
    ]);
    const fedora = planLinuxStore('trust', CA, linux({ layout: FEDORA, updateTool: '/usr/bin/update-ca-trust' }));
    expect(fedora.steps).toEqual([
      { kind: 'copy', from: CA.path, to: '/etc/pki/ca-trust/source/anchors/mcp-lab-dev-ca.crt', mode: 0o644 },
      { kind: 'run', argv: ['/usr/bin/update-ca-trust'] },
    ]);
    const untrust = planLinuxStore('untrust', CA, linux({ anchor: 'this-ca', inBundle: true }));
    expect(untrust.steps).toEqual([
      { kind: 'remove', path: '/usr/local/share/ca-certificates/mcp-lab-dev-ca.crt' },
      { kind: 'run', argv: ['/usr/sbin/update-ca-certificates'] },
    ]);
  });

  it('Linux: already trusted, not present, and a file holding another CA (left alone on untrust)', () => {
    expect(planLinuxStore('trust', CA, linux({ anchor: 'this-ca', inBundle: true })).outcome).toBe('unchanged');
    expect(planLinuxStore('trust', CA, linux({ anchor: 'this-ca', inBundle: false })).steps).toEqual([{ kind: 'run', argv: ['/usr/sbin/update-ca-certificates'] }]);
    expect(planLinuxStore('untrust', CA, linux({}))).toMatchObject({ outcome: 'unchanged', summary: expect.stringContaining('not present') as unknown });
    const other = planLinuxStore('untrust', CA, linux({ anchor: 'other' }));
    expect(other.outcome).toBe('unchanged');
    expect(other.notes?.join('\n')).toContain('holds a different CA');
    expect(planLinuxStore('trust', CA, linux({ anchor: 'other' })).summary).toContain('replace');
  });

  it('Linux without root: changes nothing, prints the same steps with sudo', () => {
    const plan = planLinuxStore('trust', CA, linux({ root: false }));
    expect(plan.outcome).toBe('blocked');
    expect(plan.summary).toContain('needs root');
    expect(plan.steps.map(describeStep)).toEqual([
      '$ sudo install -m 0644 /lab/certs/ca.pem /usr/local/share/ca-certificates/mcp-lab-dev-ca.crt',
      '$ sudo /usr/sbin/update-ca-certificates',
    ]);
    expect(withSudo([{ kind: 'remove', path: '/x' }])).toEqual([{ kind: 'run', argv: ['sudo', 'rm', '-f', '/x'] }]);
  });

  it('Linux: says when the update tool or any known layout is missing', () => {
    const noTool = planLinuxStore('trust', CA, linux({ updateTool: undefined }));
    expect(noTool).toMatchObject({ outcome: 'blocked', fix: expect.stringContaining('sudo apt-get install ca-certificates') as unknown });
    expect(noTool.summary).toContain('`update-ca-certificates` is not installed');
    const unknown = planLinuxStore('trust', CA, linux({ layout: undefined }));
    expect(unknown).toMatchObject({ outcome: 'blocked', fix: expect.stringContaining(`NODE_EXTRA_CA_CERTS=${CA.path}`) as unknown });
  });

  it('macOS: System keychain via `security`, trusted as root; untrust deletes by SHA-1; sudo printed when not root', () => {
    const state = { present: false, securityTool: true, root: true };
    expect(planMacosStore('trust', CA, state).steps).toEqual([
      { kind: 'run', argv: ['security', 'add-trusted-cert', '-d', '-r', 'trustRoot', '-k', '/Library/Keychains/System.keychain', CA.path] },
    ]);
    expect(planMacosStore('untrust', CA, { ...state, present: true }).steps).toEqual([
      { kind: 'run', argv: ['security', 'remove-trusted-cert', '-d', CA.path] },
      { kind: 'run', argv: ['security', 'delete-certificate', '-Z', CA.sha1, '/Library/Keychains/System.keychain'] },
    ]);
    const user = planMacosStore('trust', CA, { ...state, root: false });
    expect(user.outcome).toBe('blocked');
    expect(user.steps.map(describeStep)[0]).toMatch(/^\$ sudo security add-trusted-cert/);
    expect(planMacosStore('untrust', CA, state).outcome).toBe('unchanged');
    expect(keychainHasSha1(`SHA-256 hash: FF\nSHA-1 hash: ${CA.sha1.toLowerCase()}\n`, CA.sha1)).toBe(true);
    expect(keychainHasSha1('SHA-1 hash: 00\n', CA.sha1)).toBe(false);
  });

  it('Windows: LocalMachine Root when elevated, CurrentUser (-user) otherwise; untrust deletes by thumbprint', () => {
    const elevated = planWindowsStore('trust', CA, { elevated: true, present: false, certutil: true });
    expect(elevated.steps).toEqual([{ kind: 'run', argv: ['certutil', '-addstore', '-f', 'Root', CA.path] }]);
    const user = planWindowsStore('trust', CA, { elevated: false, present: false, certutil: true });
    expect(user.steps).toEqual([{ kind: 'run', argv: ['certutil', '-user', '-addstore', '-f', 'Root', CA.path] }]);
    expect(user.store).toContain('CurrentUser');
    expect(planWindowsStore('untrust', CA, { elevated: false, present: true, certutil: true }).steps).toEqual([{ kind: 'run', argv: ['certutil', '-user', '-delstore', 'Root', CA.sha1] }]);
    expect(planWindowsStore('untrust', CA, { elevated: true, present: false, certutil: true }).outcome).toBe('unchanged');
  });
});

describe('NSS planning and parsing (pure)', () => {
  const db = { dir: '/home/u/.pki/nssdb', label: 'Chromium/Chrome' };
  const state = (over: Partial<NssState>): NssState => ({ certutil: '/usr/bin/certutil', otherLabCas: [], ...over });

  it('parses `certutil -L`, nicknames with spaces included', () => {
    const out = '\nCertificate Nickname                                         Trust Attributes\n                                                             SSL,S/MIME,JAR/XPI\n\nmcp-lab dev CA 3C230D2F                                      C,,  \nSome Intermediate CA - G2                                    ,,   \n';
    expect(parseCertutilList(out)).toEqual([
      { nickname: 'mcp-lab dev CA 3C230D2F', trust: 'C,,' },
      { nickname: 'Some Intermediate CA - G2', trust: ',,' },
    ]);
  });

  it('the nickname carries the fingerprint prefix', () => {
    expect(nssNickname(CA.sha256)).toBe('mcp-lab dev CA 3C230D2F');
  });

  it('adds with trust C,, and removes only its own nickname', () => {
    expect(planNssStore('trust', CA, db, state({})).steps).toEqual([{ kind: 'run', argv: ['/usr/bin/certutil', '-A', '-d', 'sql:/home/u/.pki/nssdb', '-t', 'C,,', '-n', CA.nickname, '-i', CA.path] }]);
    const ours = { nickname: CA.nickname, trust: 'C,,' };
    expect(planNssStore('trust', CA, db, state({ ours })).outcome).toBe('unchanged');
    expect(planNssStore('trust', CA, db, state({ ours: { ...ours, trust: ',,' } })).steps[0]).toEqual({ kind: 'run', argv: ['/usr/bin/certutil', '-M', '-d', 'sql:/home/u/.pki/nssdb', '-t', 'C,,', '-n', CA.nickname] });
    expect(planNssStore('untrust', CA, db, state({ ours })).steps).toEqual([{ kind: 'run', argv: ['/usr/bin/certutil', '-D', '-d', 'sql:/home/u/.pki/nssdb', '-n', CA.nickname] }]);
    expect(planNssStore('untrust', CA, db, state({})).summary).toBe('not present');
  });

  it('leaves entries it did not add alone, and names other mcp-lab CAs', () => {
    const foreign = { nickname: 'my own copy', trust: 'C,,' };
    expect(planNssStore('trust', CA, db, state({ foreign })).outcome).toBe('unchanged');
    expect(planNssStore('trust', CA, db, state({ foreign: { ...foreign, trust: ',,' } })).outcome).toBe('blocked');
    const untrust = planNssStore('untrust', CA, db, state({ foreign, otherLabCas: [{ nickname: 'mcp-lab dev CA 00000000', trust: 'C,,' }] }));
    expect(untrust).toMatchObject({ outcome: 'unchanged', steps: [] });
    expect(untrust.notes?.join('\n')).toContain("'my own copy'");
    expect(untrust.notes?.join('\n')).toContain("'mcp-lab dev CA 00000000' is another mcp-lab CA");
  });

  it('without certutil: changes nothing and says how to install it', () => {
    const plan = planNssStore('trust', CA, db, state({ certutil: undefined }));
    expect(plan.outcome).toBe('blocked');
    expect(plan.fix).toContain('sudo apt-get install libnss3-tools');
  });

  it('finds Chromium, Firefox and snap Firefox databases under HOME (cert9.db only)', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-home-'));
    try {
      for (const dir of ['.pki/nssdb', '.mozilla/firefox/abc.default-release', 'snap/firefox/common/.mozilla/firefox/x.default']) {
        fs.mkdirSync(path.join(home, dir), { recursive: true });
        fs.writeFileSync(path.join(home, dir, 'cert9.db'), '');
      }
      fs.mkdirSync(path.join(home, '.mozilla/firefox/Crash Reports'), { recursive: true });
      expect(discoverNssDatabases(home)).toEqual([
        { dir: path.join(home, '.pki/nssdb'), label: 'Chromium/Chrome' },
        { dir: path.join(home, '.mozilla/firefox/abc.default-release'), label: 'Firefox profile abc.default-release' },
        { dir: path.join(home, 'snap/firefox/common/.mozilla/firefox/x.default'), label: 'Firefox (snap) profile x.default' },
      ]);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('--nss-db wins over MCP_LAB_NSS_DBS, which is path-delimiter separated', () => {
    expect(explicitNssDirs([], { MCP_LAB_NSS_DBS: ['/a', '/b'].join(path.delimiter) })).toEqual({ dirs: ['/a', '/b'], source: 'MCP_LAB_NSS_DBS' });
    expect(explicitNssDirs(['/c'], { MCP_LAB_NSS_DBS: '/a' })).toEqual({ dirs: ['/c'], source: '--nss-db' });
    expect(explicitNssDirs([], {})).toBeUndefined();
  });

  it('prints commands so they can be pasted into a shell', () => {
    expect(formatCommand(['certutil', '-n', "mcp-lab dev CA 1'2", '-t', 'C,,'], 'linux')).toBe(`certutil -n 'mcp-lab dev CA 1'\\''2' -t C,,`);
    expect(formatCommand(['certutil', '-n', 'a b'], 'win32')).toBe('certutil -n "a b"');
  });
});

describe('applying steps', () => {
  it('copies with the mode and deletes files; a failing command names itself, its exit code and its stderr', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-steps-'));
    try {
      const from = path.join(tmp, 'ca.pem');
      const to = path.join(tmp, 'anchors', 'mcp-lab-dev-ca.crt');
      fs.writeFileSync(from, 'PEM');
      applyStep({ kind: 'copy', from, to, mode: 0o644 }, 'fix');
      expect(fs.readFileSync(to, 'utf8')).toBe('PEM');
      if (process.platform !== 'win32') expect(fs.statSync(to).mode & 0o777).toBe(0o644);
      applyStep({ kind: 'remove', path: to }, 'fix');
      expect(fs.existsSync(to)).toBe(false);

      const failing = [process.execPath, '-e', 'console.error("no permission to write the keychain"); process.exit(3)'];
      let error: unknown;
      try {
        applyStep({ kind: 'run', argv: failing }, 'run it yourself');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CliError);
      expect(error).toMatchObject({ code: 'TRUST_COMMAND_FAILED', fix: 'run it yourself' });
      expect((error as CliError).message).toContain(`\`${formatCommand(failing)}\` exited with 3`);
      expect((error as CliError).message).toContain('no permission to write the keychain');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('asking before changing (on a terminal)', () => {
  it('changes nothing on "n" (exit 2) and applies the plan on "y"', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-ask-'));
    const nssDb = path.join(tmp, 'nssdb');
    fs.mkdirSync(nssDb);
    spawnSync('certutil', ['-N', '-d', `sql:${nssDb}`, '--empty-password']);
    const previousHome = process.env.MCP_LAB_HOME;
    process.env.MCP_LAB_HOME = path.join(tmp, 'lab');
    try {
      const run = async (answer: string) => {
        const printed: string[] = [];
        const questions: string[] = [];
        const io: TrustIo = {
          print: (l) => printed.push(l),
          printError: (e) => printed.push(`error ${e.code}: ${e.message}`),
          ask: (q) => {
            questions.push(q);
            return Promise.resolve(answer);
          },
        };
        const code = await runTrust('trust', { nssOnly: true, nssDb: [nssDb] }, io);
        return { code, printed: printed.join('\n'), questions };
      };
      const no = await run('n');
      expect(no.questions).toEqual(['Make these 1 change(s)? [y/N] ']);
      expect(no.printed).toContain('Nothing changed.');
      expect(no.code).toBe(2);
      expect(spawnSync('certutil', ['-L', '-d', `sql:${nssDb}`], { encoding: 'utf8' }).stdout).not.toContain('mcp-lab dev CA');

      const yes = await run('y');
      expect(yes.code).toBe(0);
      expect(spawnSync('certutil', ['-L', '-d', `sql:${nssDb}`], { encoding: 'utf8' }).stdout).toMatch(/mcp-lab dev CA [0-9A-F]{8} +C,,/);
    } finally {
      if (previousHome === undefined) delete process.env.MCP_LAB_HOME;
      else process.env.MCP_LAB_HOME = previousHome;
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

// End to end against a throwaway NSS database: the real certutil, the real CLI, nothing outside temp folders.
describe('mcp-lab trust / untrust --nss-only against a throwaway NSS database', () => {
  let tmp: string;
  let nssDb: string;
  let env: NodeJS.ProcessEnv;
  const certutil = (...args: string[]) => {
    const result = spawnSync('certutil', args, { encoding: 'utf8' });
    if (result.error) throw new Error(`certutil (Debian: libnss3-tools) is needed for these tests: ${result.error.message}`);
    return result;
  };
  const listed = () => parseCertutilList(certutil('-L', '-d', `sql:${nssDb}`).stdout);
  const caPem = () => fs.readFileSync(path.join(tmp, 'lab', 'certs', 'ca.pem'), 'utf8');

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-trust-'));
    nssDb = path.join(tmp, 'nssdb');
    fs.mkdirSync(nssDb);
    expect(certutil('-N', '-d', `sql:${nssDb}`, '--empty-password').status).toBe(0);
    // HOME too, so nothing under the real home is even looked at.
    env = { MCP_LAB_HOME: path.join(tmp, 'lab'), HOME: path.join(tmp, 'home'), MCP_LAB_NSS_DBS: '' };
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('has no CA to plan for in a dry run or to remove before the first trust (exit 2, with the fix)', async () => {
    const dry = await runCli(['trust', '--nss-only', '--nss-db', nssDb, '--dry-run'], env);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toContain('error CA_MISSING');
    expect(dry.stderr).toContain('without --dry-run');
    const untrust = await runCli(['untrust', '--nss-only', '--nss-db', nssDb, '--yes'], env);
    expect(untrust.code).toBe(2);
    expect(untrust.stderr).toContain('error CA_MISSING');
  });

  it('without a terminal and without --yes: makes the CA, prints the plan, refuses (64) and changes no store', async () => {
    const result = await runCli(['trust', '--nss-only', '--nss-db', nssDb], env);
    expect(result.code).toBe(64);
    expect(result.stdout).toContain('Created the lab CA at');
    expect(result.stdout).toContain('mcp-lab trust will change:');
    expect(result.stderr).toContain('error CONFIRMATION_NEEDED');
    expect(result.stderr).toContain('--yes');
    expect(listed()).toEqual([]);
  });

  it('--dry-run prints each store and the exact command, and changes nothing', async () => {
    const nickname = nssNickname(sha256Of(caPem())!);
    const result = await runCli(['trust', '--nss-only', '--nss-db', nssDb, '--dry-run'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`NSS database ${nssDb}`);
    expect(result.stdout).toMatch(new RegExp(`\\$ \\S*certutil -A -d sql:${nssDb} -t C,, -n '${nickname}' -i \\S+ca\\.pem`));
    expect(result.stdout).toContain('Dry run: nothing changed.');
    expect(listed()).toEqual([]);
  });

  it('trust --yes adds the lab CA with trust C,, under a nickname carrying its fingerprint; a second run has nothing to do', async () => {
    const ca = labCaFromPem('ca.pem', caPem());
    const result = await runCli(['trust', '--nss-only', '--nss-db', nssDb, '--yes'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^done {4}NSS database/m);
    expect(listed()).toEqual([{ nickname: ca.nickname, trust: 'C,,' }]);
    expect(sha256Of(certutil('-L', '-d', `sql:${nssDb}`, '-n', ca.nickname, '-a').stdout)).toBe(ca.sha256);

    // The same database named through the environment instead of the flag.
    const again = await runCli(['trust', '--nss-only', '--yes'], { ...env, MCP_LAB_NSS_DBS: nssDb });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`already trusted as '${ca.nickname}' (C,,)`);
    expect(again.stdout).toContain('Nothing for mcp-lab to change.');
  });

  it('untrust removes only its own entry (another mcp-lab CA stays, and is named), then reports not present', async () => {
    const ca = labCaFromPem('ca.pem', caPem());
    const otherCaPath = path.join(process.env.MCP_LAB_TEST_CERT_DIR!, 'ca.pem');
    const otherNickname = nssNickname(sha256Of(fs.readFileSync(otherCaPath, 'utf8'))!);
    expect(certutil('-A', '-d', `sql:${nssDb}`, '-t', 'C,,', '-n', otherNickname, '-i', otherCaPath).status).toBe(0);

    const dry = await runCli(['untrust', '--nss-only', '--nss-db', nssDb, '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`-D -d sql:${nssDb} -n '${ca.nickname}'`);
    expect(listed()).toHaveLength(2);

    const result = await runCli(['untrust', '--nss-only', '--nss-db', nssDb, '--yes'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`'${otherNickname}' is another mcp-lab CA`);
    expect(listed()).toEqual([{ nickname: otherNickname, trust: 'C,,' }]);

    const second = await runCli(['untrust', '--nss-only', '--nss-db', nssDb, '--yes'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/NSS database .*\n\s+not present/);
    expect(listed()).toEqual([{ nickname: otherNickname, trust: 'C,,' }]);
  });

  it('rejects a folder that is not an NSS database, and --nss-only with --os-only, as usage errors (64)', async () => {
    const missing = await runCli(['trust', '--nss-only', '--nss-db', path.join(tmp, 'nope'), '--yes'], env);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain('error NSS_DB_NOT_FOUND');
    expect(missing.stderr).toContain('certutil -N -d sql:');
    const both = await runCli(['trust', '--nss-only', '--os-only', '--dry-run'], env);
    expect(both.code).toBe(64);
  });
});
