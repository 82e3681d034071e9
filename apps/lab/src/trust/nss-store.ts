import { sha256Of, NSS_NICKNAME_PREFIX, type LabCa } from './lab-ca.ts';
import type { NssDatabase } from './nss-databases.ts';
import { commandFailed, findProgram, runCommand, type RunCommand } from './run-command.ts';
import type { StorePlan, TrustAction, TrustStore } from './plan.ts';

/** Trusted to identify websites (SSL column "C"), nothing else: all a dev CA needs. */
const NSS_TRUST = 'C,,';

export const INSTALL_CERTUTIL =
  'Install the NSS tools — Debian/Ubuntu: sudo apt-get install libnss3-tools · Fedora: sudo dnf install nss-tools · macOS: brew install nss — then run the command again.';

const NSS_FAILED_FIX =
  'If certutil reports SEC_ERROR_BAD_PASSWORD, the database has a primary password (Firefox: Settings → Privacy & Security): run the command yourself in a terminal, where certutil asks for it. Otherwise close the browser that uses the database and try again.';

export interface NssEntry {
  nickname: string;
  /** "SSL,S/MIME,JAR/XPI" trust flags, e.g. "C,,". */
  trust: string;
}

export interface NssState {
  /** certutil's path, or undefined when the NSS tools are not installed. */
  certutil: string | undefined;
  /** Why the database could not be read (certutil -L failed). */
  readError?: string;
  /** The entry mcp-lab adds: its nickname, holding this CA. */
  ours?: NssEntry;
  /** This CA under a nickname mcp-lab did not write (NSS keeps one nickname per certificate). */
  foreign?: NssEntry;
  /** mcp-lab entries holding some other CA: another lab folder's, or an earlier one. */
  otherLabCas: NssEntry[];
}

/** Parses `certutil -L`: a header, then "nickname<padding>trust" per line. Nicknames may contain spaces. */
export function parseCertutilList(stdout: string): NssEntry[] {
  const entries: NssEntry[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^(.*\S)\s+([a-zA-Z]*,[a-zA-Z]*,[a-zA-Z]*)\s*$/.exec(line);
    if (match && match[1] !== 'Certificate Nickname') entries.push({ nickname: match[1]!, trust: match[2]! });
  }
  return entries;
}

function trustedForWebsites(entry: NssEntry): boolean {
  return (entry.trust.split(',')[0] ?? '').includes('C');
}

const db = (database: NssDatabase) => `sql:${database.dir}`;

/** Decides what trust/untrust does to one NSS database, from its state alone (no I/O: unit-tested per case). */
export function planNssStore(action: TrustAction, ca: LabCa, database: NssDatabase, state: NssState): StorePlan {
  const store = `NSS database ${database.dir} (${database.label})`;
  if (!state.certutil) {
    return { store, outcome: 'blocked', summary: 'not changed: `certutil` (the NSS tools) is not installed', steps: [], fix: INSTALL_CERTUTIL };
  }
  if (state.readError) {
    return { store, outcome: 'blocked', summary: `not changed: certutil could not read it — ${state.readError}`, steps: [], fix: 'Close the browser that uses it and try again; if it persists the database may be damaged.' };
  }
  const certutil = state.certutil;
  const notes = state.otherLabCas.map(
    (e) => `'${e.nickname}' is another mcp-lab CA (from another lab folder, or one made before this one): if that lab is gone, remove it with certutil -D -d ${db(database)} -n '${e.nickname}'`,
  );
  const fix = NSS_FAILED_FIX;
  if (action === 'trust') {
    if (state.ours && trustedForWebsites(state.ours)) return { store, outcome: 'unchanged', summary: `already trusted as '${state.ours.nickname}' (${state.ours.trust})`, steps: [], notes };
    if (state.ours) {
      return {
        store,
        outcome: 'change',
        summary: `set trust ${NSS_TRUST} on '${state.ours.nickname}' (it has ${state.ours.trust})`,
        steps: [{ kind: 'run', argv: [certutil, '-M', '-d', db(database), '-t', NSS_TRUST, '-n', state.ours.nickname] }],
        fix,
        notes,
      };
    }
    if (state.foreign && trustedForWebsites(state.foreign)) {
      return { store, outcome: 'unchanged', summary: `already trusted as '${state.foreign.nickname}' (an entry mcp-lab did not add)`, steps: [], notes };
    }
    if (state.foreign) {
      return {
        store,
        outcome: 'blocked',
        summary: `the lab CA is there as '${state.foreign.nickname}' without website trust; mcp-lab leaves entries it did not add alone`,
        steps: [{ kind: 'run', argv: [certutil, '-M', '-d', db(database), '-t', NSS_TRUST, '-n', state.foreign.nickname] }],
        fix: 'Run the command above to trust it, or delete that entry and run `mcp-lab trust` again.',
        notes,
      };
    }
    return {
      store,
      outcome: 'change',
      summary: `add the lab CA as '${ca.nickname}' with trust ${NSS_TRUST} (identifies websites)`,
      steps: [{ kind: 'run', argv: [certutil, '-A', '-d', db(database), '-t', NSS_TRUST, '-n', ca.nickname, '-i', ca.path] }],
      fix,
      notes,
    };
  }
  if (state.foreign) {
    notes.push(`The same CA is there as '${state.foreign.nickname}', which mcp-lab did not add: left alone (certutil -D -d ${db(database)} -n '${state.foreign.nickname}' removes it).`);
  }
  if (!state.ours) return { store, outcome: 'unchanged', summary: 'not present', steps: [], notes };
  return {
    store,
    outcome: 'change',
    summary: `remove '${state.ours.nickname}'`,
    steps: [{ kind: 'run', argv: [certutil, '-D', '-d', db(database), '-n', state.ours.nickname] }],
    fix,
    notes,
  };
}

/** SHA-256 fingerprints of the certificates under one nickname (NSS allows several). */
function fingerprints(certutil: string, database: NssDatabase, nickname: string, run: RunCommand): string[] {
  const dumped = run([certutil, '-L', '-d', db(database), '-n', nickname, '-a']);
  if (dumped.status !== 0) return [];
  const pems = dumped.stdout.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  return pems.map(sha256Of).filter((fp): fp is string => fp !== undefined);
}

function readNssState(ca: LabCa, database: NssDatabase, certutil: string | undefined, run: RunCommand = runCommand): NssState {
  if (!certutil) return { certutil, otherLabCas: [] };
  const listArgs = [certutil, '-L', '-d', db(database)];
  const listed = run(listArgs);
  if (listed.status !== 0) return { certutil, readError: commandFailed(listArgs, listed, '').message, otherLabCas: [] };
  const entries = parseCertutilList(listed.stdout);
  const state: NssState = { certutil, otherLabCas: [] };
  for (const entry of entries.filter((e) => e.nickname.startsWith(NSS_NICKNAME_PREFIX))) {
    const isThisCa = fingerprints(certutil, database, entry.nickname, run).includes(ca.sha256);
    if (isThisCa && entry.nickname === ca.nickname) state.ours = entry;
    else if (!isThisCa) state.otherLabCas.push(entry);
    else state.foreign = entry;
  }
  // Adding a certificate NSS already holds keeps its old nickname and silently ignores ours, so look for it under any name.
  if (!state.ours && !state.foreign) {
    state.foreign = entries.find((e) => !e.nickname.startsWith(NSS_NICKNAME_PREFIX) && fingerprints(certutil, database, e.nickname, run).includes(ca.sha256));
  }
  return state;
}

/** certutil from the NSS tools. On macOS Homebrew's nss is keg-only, so its bin folders are searched too. */
export function findCertutil(): string | undefined {
  if (process.platform === 'win32') return undefined; // Windows' own certutil.exe is a different tool.
  return findProgram('certutil', ['/opt/homebrew/opt/nss/bin', '/usr/local/opt/nss/bin']);
}

export function nssStore(ca: LabCa, database: NssDatabase, certutil: string | undefined = findCertutil()): TrustStore {
  return { plan: (action) => planNssStore(action, ca, database, readNssState(ca, database, certutil)) };
}
