import fs from 'node:fs';
import path from 'node:path';
import { sha256Of, type LabCa } from './lab-ca.ts';
import { findProgram } from './run-command.ts';
import { withSudo, type Step, type StorePlan, type TrustAction, type TrustStore } from './plan.ts';

/** The two system trust-store layouts mcp-lab knows: where an extra CA goes, and what rebuilds the bundle. */
export interface LinuxLayout {
  family: 'debian' | 'fedora';
  label: string;
  anchorDir: string;
  update: string;
  /** The bundle OpenSSL (and `node --use-system-ca`) reads; the CA is only trusted once it is in here. */
  bundle: string;
  installHint: string;
}

export const LINUX_LAYOUTS: readonly LinuxLayout[] = [
  {
    family: 'debian',
    label: 'Debian/Ubuntu',
    anchorDir: '/usr/local/share/ca-certificates',
    update: 'update-ca-certificates',
    bundle: '/etc/ssl/certs/ca-certificates.crt',
    installHint: 'sudo apt-get install ca-certificates',
  },
  {
    family: 'fedora',
    label: 'Fedora/RHEL',
    anchorDir: '/etc/pki/ca-trust/source/anchors',
    update: 'update-ca-trust',
    bundle: '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
    installHint: 'sudo dnf install ca-certificates',
  },
];

/** update-ca-certificates only picks up files ending in .crt; update-ca-trust takes any name. */
const ANCHOR_FILE = 'mcp-lab-dev-ca.crt';

export interface LinuxStoreState {
  layout: LinuxLayout | undefined;
  /** Full path of the layout's update tool, when installed. */
  updateTool: string | undefined;
  /** What our file in the anchor dir holds: this CA, something else, or nothing. */
  anchor: 'this-ca' | 'other' | 'absent';
  /** The CA is in the generated bundle (the update tool has run since the file was added). */
  inBundle: boolean;
  root: boolean;
}

/** The layout whose anchor folder exists; Debian first (it is also what Ubuntu and WSL use). */
export function detectLinuxLayout(isDirectory: (dir: string) => boolean): LinuxLayout | undefined {
  return LINUX_LAYOUTS.find((layout) => isDirectory(layout.anchorDir));
}

/** Decides what trust/untrust does to the OS store, from its state alone (no I/O: unit-tested per case). */
export function planLinuxStore(action: TrustAction, ca: LabCa, state: LinuxStoreState): StorePlan {
  const { layout } = state;
  if (!layout) {
    return {
      store: 'OS trust store (Linux)',
      outcome: 'blocked',
      summary: `no known trust-store layout (neither ${LINUX_LAYOUTS.map((l) => l.anchorDir).join(' nor ')} exists)`,
      steps: [],
      fix: `Add ${ca.path} to your distribution's CA store by hand (see its documentation for "CA certificates"). Node programs can use NODE_EXTRA_CA_CERTS=${ca.path} instead.`,
    };
  }
  const store = `OS trust store (${layout.label})`;
  const anchorPath = path.posix.join(layout.anchorDir, ANCHOR_FILE);
  const update: Step = { kind: 'run', argv: [state.updateTool ?? layout.update] };
  let steps: Step[];
  let summary: string;
  const notes: string[] = [];
  if (action === 'trust') {
    if (state.anchor === 'this-ca' && state.inBundle) return { store, outcome: 'unchanged', summary: `already trusted (${anchorPath})`, steps: [] };
    if (state.anchor === 'this-ca') {
      steps = [update];
      summary = `${anchorPath} is in place but not yet in the CA bundle: rebuild it`;
    } else {
      steps = [{ kind: 'copy', from: ca.path, to: anchorPath, mode: 0o644 }, update];
      summary = state.anchor === 'other' ? `replace ${anchorPath} (it holds another CA, e.g. from an earlier lab install) with this lab CA` : `add the lab CA as ${anchorPath}`;
    }
  } else {
    if (state.anchor === 'other') {
      notes.push(`${anchorPath} holds a different CA (not this lab's): left alone. Delete it yourself if you no longer need it: sudo rm ${anchorPath} && sudo ${layout.update}`);
    }
    if (state.anchor !== 'this-ca') {
      // Only our own file is ever removed; a copy of the CA that got in another way is reported, not touched.
      if (state.inBundle) notes.push(`${layout.bundle} still contains the lab CA: it was added under another file name, or the bundle was not rebuilt (sudo ${layout.update}).`);
      return { store, outcome: 'unchanged', summary: `not present (${anchorPath})`, steps: [], notes };
    }
    steps = [{ kind: 'remove', path: anchorPath }, update];
    summary = `remove ${anchorPath}`;
  }
  if (!state.updateTool) {
    return { store, outcome: 'blocked', summary: `${summary} — but \`${layout.update}\` is not installed`, steps: [], fix: `Install it (${layout.installHint}), then run mcp-lab ${action} again.`, notes };
  }
  if (!state.root) {
    return {
      store,
      outcome: 'blocked',
      summary: `${summary} — needs root; mcp-lab never uses sudo itself`,
      steps: withSudo(steps),
      fix: 'Run the commands above yourself (they ask for your password), then `mcp-lab doctor` to confirm.',
      notes,
    };
  }
  return { store, outcome: 'change', summary, steps, notes };
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The PEM body without armour and line breaks, to find the CA inside a bundle. */
function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

function readLinuxState(ca: LabCa): LinuxStoreState {
  const layout = detectLinuxLayout(isDirectory);
  const root = process.getuid?.() === 0;
  if (!layout) return { layout, updateTool: undefined, anchor: 'absent', inBundle: false, root };
  const content = readOrUndefined(path.posix.join(layout.anchorDir, ANCHOR_FILE));
  const anchor = content === undefined ? 'absent' : sha256Of(content) === ca.sha256 ? 'this-ca' : 'other';
  const bundle = readOrUndefined(layout.bundle);
  const inBundle = bundle !== undefined && pemBody(bundle).includes(pemBody(ca.pem));
  return { layout, updateTool: findProgram(layout.update), anchor, inBundle, root };
}

export function linuxStore(ca: LabCa): TrustStore {
  return { plan: (action) => planLinuxStore(action, ca, readLinuxState(ca)) };
}
