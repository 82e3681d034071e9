import type { LabCa } from './lab-ca.ts';
import { runCommand, type RunCommand } from './run-command.ts';
import type { StorePlan, TrustAction, TrustStore } from './plan.ts';

export interface WindowsStoreState {
  /** An elevated (administrator) prompt can change LocalMachine; otherwise the CurrentUser store is used. */
  elevated: boolean;
  /** The CA (by thumbprint) is in the Root store mcp-lab would use. */
  present: boolean;
  certutil: boolean;
}

/** `certutil` arguments for the Root store mcp-lab uses: LocalMachine when elevated, else CurrentUser (`-user`). */
function rootStoreArgs(elevated: boolean): string[] {
  return elevated ? [] : ['-user'];
}

/** Decides what trust/untrust does to the Windows Root store (no I/O: unit-tested per case). */
export function planWindowsStore(action: TrustAction, ca: LabCa, state: WindowsStoreState): StorePlan {
  const where = state.elevated ? 'LocalMachine' : 'CurrentUser';
  const store = `OS trust store (Windows ${where}\\Root)`;
  if (!state.certutil) {
    return { store, outcome: 'blocked', summary: 'certutil.exe is missing', steps: [], fix: 'It ships with Windows in C:\\Windows\\System32; check your PATH.' };
  }
  const user = rootStoreArgs(state.elevated);
  const notes = state.elevated ? [] : ['Not elevated, so this is your user account only; Windows shows a security warning to confirm. From an administrator prompt mcp-lab uses LocalMachine (all users).'];
  if (action === 'trust') {
    if (state.present) return { store, outcome: 'unchanged', summary: `already present (thumbprint ${ca.sha1})`, steps: [] };
    return { store, outcome: 'change', summary: `add the lab CA to ${where}\\Root`, steps: [{ kind: 'run', argv: ['certutil', ...user, '-addstore', '-f', 'Root', ca.path] }], notes };
  }
  if (!state.present) return { store, outcome: 'unchanged', summary: 'not present', steps: [] };
  return { store, outcome: 'change', summary: `remove the lab CA (thumbprint ${ca.sha1}) from ${where}\\Root`, steps: [{ kind: 'run', argv: ['certutil', ...user, '-delstore', 'Root', ca.sha1] }] };
}

function readWindowsState(ca: LabCa, run: RunCommand = runCommand): WindowsStoreState {
  // `net session` succeeds only in an elevated prompt: the usual test without extra modules.
  const elevated = run(['net', 'session']).status === 0;
  const listed = run(['certutil', ...rootStoreArgs(elevated), '-store', 'Root', ca.sha1]);
  return { elevated, present: listed.status === 0, certutil: !listed.notFound };
}

export function windowsStore(ca: LabCa): TrustStore {
  return { plan: (action) => planWindowsStore(action, ca, readWindowsState(ca)) };
}
