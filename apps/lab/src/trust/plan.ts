import fs from 'node:fs';
import path from 'node:path';
import { CliError } from '../cli-error.ts';
import { commandFailed, formatCommand, runCommand, type RunCommand } from './run-command.ts';

export type TrustAction = 'trust' | 'untrust';

/** One change to a trust store, as data: printed before anything happens, then applied as printed. */
export type Step =
  | { kind: 'run'; argv: string[] }
  | { kind: 'copy'; from: string; to: string; mode: number }
  | { kind: 'remove'; path: string };

export interface StorePlan {
  /** Which store, e.g. "OS trust store (Debian/Ubuntu)" or "NSS database ~/.pki/nssdb (Chromium/Chrome)". */
  store: string;
  /**
   * change: mcp-lab will run `steps`.
   * unchanged: the store is already as asked (or there is nothing to do).
   * blocked: mcp-lab cannot change it (no privileges, tool missing); `steps`, if any, are what to run yourself.
   */
  outcome: 'change' | 'unchanged' | 'blocked';
  summary: string;
  steps: Step[];
  fix?: string;
  /** Extra facts worth knowing, e.g. other mcp-lab CAs found in the same store. */
  notes?: string[];
}

/** A trust store reads its current state each time it is asked, so applying can be verified by asking again. */
export interface TrustStore {
  plan(action: TrustAction): StorePlan;
}

/** A store that needs no reading: a fixed answer such as "no NSS databases found". */
export function fixedStore(plan: StorePlan): TrustStore {
  return { plan: () => plan };
}

export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'run':
      return `$ ${formatCommand(step.argv)}`;
    case 'copy':
      return `copy ${step.from} → ${step.to} (mode ${step.mode.toString(8).padStart(4, '0')})`;
    case 'remove':
      return `delete ${step.path}`;
  }
}

/** What to type to do the same steps with root rights (printed, never run: mcp-lab never uses sudo itself). */
export function withSudo(steps: readonly Step[]): Step[] {
  return steps.map((step): Step => {
    switch (step.kind) {
      case 'run':
        return { kind: 'run', argv: ['sudo', ...step.argv] };
      case 'copy':
        return { kind: 'run', argv: ['sudo', 'install', '-m', step.mode.toString(8).padStart(4, '0'), step.from, step.to] };
      case 'remove':
        return { kind: 'run', argv: ['sudo', 'rm', '-f', step.path] };
    }
  });
}

export function applyStep(step: Step, fix: string, run: RunCommand = runCommand): void {
  switch (step.kind) {
    case 'run': {
      const result = run(step.argv);
      if (result.status !== 0) throw commandFailed(step.argv, result, fix);
      return;
    }
    case 'copy':
      try {
        fs.mkdirSync(path.dirname(step.to), { recursive: true });
        fs.copyFileSync(step.from, step.to);
        fs.chmodSync(step.to, step.mode);
      } catch (error) {
        throw new CliError('TRUST_WRITE_FAILED', `Could not copy ${step.from} to ${step.to}: ${(error as Error).message}`, fix);
      }
      return;
    case 'remove':
      try {
        fs.rmSync(step.path, { force: true });
      } catch (error) {
        throw new CliError('TRUST_WRITE_FAILED', `Could not delete ${step.path}: ${(error as Error).message}`, fix);
      }
      return;
  }
}
