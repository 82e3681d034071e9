import type { LabCa } from './lab-ca.ts';
import { findProgram, runCommand, type RunCommand } from './run-command.ts';
import { withSudo, type Step, type StorePlan, type TrustAction, type TrustStore } from './plan.ts';

const SYSTEM_KEYCHAIN = '/Library/Keychains/System.keychain';

export interface MacosStoreState {
  /** The CA (by SHA-1) is in the System keychain. */
  present: boolean;
  securityTool: boolean;
  root: boolean;
}

/** Decides what trust/untrust does to the System keychain (no I/O: unit-tested per case). */
export function planMacosStore(action: TrustAction, ca: LabCa, state: MacosStoreState): StorePlan {
  const store = 'OS trust store (macOS System keychain)';
  if (!state.securityTool) {
    return { store, outcome: 'blocked', summary: 'the `security` tool is missing', steps: [], fix: 'It ships with macOS in /usr/bin/security; check your PATH.' };
  }
  let steps: Step[];
  let summary: string;
  if (action === 'trust') {
    if (state.present) return { store, outcome: 'unchanged', summary: `already present (SHA-1 ${ca.sha1})`, steps: [] };
    steps = [{ kind: 'run', argv: ['security', 'add-trusted-cert', '-d', '-r', 'trustRoot', '-k', SYSTEM_KEYCHAIN, ca.path] }];
    summary = `add the lab CA to ${SYSTEM_KEYCHAIN}, trusted as a root for all users`;
  } else {
    if (!state.present) return { store, outcome: 'unchanged', summary: 'not present', steps: [] };
    // The admin trust setting and the certificate are separate records: remove both.
    steps = [
      { kind: 'run', argv: ['security', 'remove-trusted-cert', '-d', ca.path] },
      { kind: 'run', argv: ['security', 'delete-certificate', '-Z', ca.sha1, SYSTEM_KEYCHAIN] },
    ];
    summary = `remove the lab CA (SHA-1 ${ca.sha1}) and its trust setting from ${SYSTEM_KEYCHAIN}`;
  }
  if (!state.root) {
    return {
      store,
      outcome: 'blocked',
      summary: `${summary} — needs an administrator; mcp-lab never uses sudo itself`,
      steps: withSudo(steps),
      fix: 'Run the commands above yourself (sudo asks for your password), then `mcp-lab doctor` to confirm.',
    };
  }
  return { store, outcome: 'change', summary, steps };
}

/** `security find-certificate -a -Z` lists every certificate with a "SHA-1 hash:" line. */
export function keychainHasSha1(findCertificateOutput: string, sha1: string): boolean {
  return findCertificateOutput
    .split('\n')
    .some((line) => /SHA-1 hash:/i.test(line) && line.replace(/^.*SHA-1 hash:\s*/i, '').trim().toUpperCase() === sha1.toUpperCase());
}

function readMacosState(ca: LabCa, run: RunCommand = runCommand): MacosStoreState {
  const root = process.getuid?.() === 0;
  if (!findProgram('security')) return { present: false, securityTool: false, root };
  const listed = run(['security', 'find-certificate', '-a', '-Z', SYSTEM_KEYCHAIN]);
  return { present: listed.status === 0 && keychainHasSha1(listed.stdout, ca.sha1), securityTool: true, root };
}

export function macosStore(ca: LabCa): TrustStore {
  return { plan: (action) => planMacosStore(action, ca, readMacosState(ca)) };
}
