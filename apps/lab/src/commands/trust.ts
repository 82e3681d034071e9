import path from 'node:path';
import readline from 'node:readline/promises';
import { ensureCertificates, labHome } from '@mcp-lab/mock-idp';
import { CliError, EXIT } from '../cli-error.ts';
import { labCaFromPem, labCaPath, readLabCa, type LabCa } from '../trust/lab-ca.ts';
import { discoverNssDatabases, explicitNssDatabase, explicitNssDirs } from '../trust/nss-databases.ts';
import { findCertutil, nssStore } from '../trust/nss-store.ts';
import { osTrustStore } from '../trust/os-store.ts';
import { applyStep, describeStep, fixedStore, type StorePlan, type TrustAction, type TrustStore } from '../trust/plan.ts';

export interface TrustOptions {
  yes?: boolean;
  dryRun?: boolean;
  nssOnly?: boolean;
  osOnly?: boolean;
  nssDb: string[];
}

/** Where the verb talks to the person: the plan and results on stdout, the question on a terminal. */
export interface TrustIo {
  print(line: string): void;
  printError(error: CliError): void;
  /** undefined when there is no terminal to ask on. */
  ask: ((question: string) => Promise<string>) | undefined;
}

const defaultIo = (): TrustIo => ({
  print: (line) => process.stdout.write(`${line}\n`),
  printError: (error) => process.stderr.write(`error ${error.code}: ${error.message}\nfix: ${error.fix}\n`),
  ask: process.stdin.isTTY
    ? async (question) => {
        const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
        try {
          return await rl.question(question);
        } finally {
          rl.close();
        }
      }
    : undefined,
});

/** `trust` makes the CA first if the lab has none yet (a dry run only reads). */
async function loadCa(action: TrustAction, dryRun: boolean, io: TrustIo): Promise<LabCa> {
  if (action === 'untrust') return readLabCa(labCaPath());
  if (dryRun) {
    try {
      return readLabCa(labCaPath());
    } catch (error) {
      if (error instanceof CliError && error.code === 'CA_MISSING') {
        throw new CliError(error.code, `${error.message} A dry run creates nothing, so there is no CA to plan for yet.`, 'Run `mcp-lab trust` without --dry-run: it creates the CA, prints the plan and still asks before it changes any store.');
      }
      throw error;
    }
  }
  const certs = await ensureCertificates(path.join(labHome(), 'certs'));
  if (certs.created.ca) io.print(`Created the lab CA at ${certs.caCertPath}.`);
  return labCaFromPem(certs.caCertPath, certs.caPem);
}

function nssStores(ca: LabCa, options: TrustOptions): TrustStore[] {
  const explicit = explicitNssDirs(options.nssDb);
  if (process.platform === 'win32') {
    if (explicit || options.nssOnly) {
      throw new CliError('NSS_UNSUPPORTED', 'On Windows, Chrome, Edge and Firefox use the Windows certificate store, not NSS databases.', 'Leave out --nss-only / --nss-db / MCP_LAB_NSS_DBS: `mcp-lab trust` adds the CA to the Windows store.', EXIT.usage);
    }
    return [];
  }
  const certutil = findCertutil();
  if (explicit) return explicit.dirs.map((dir) => nssStore(ca, explicitNssDatabase(dir, explicit.source), certutil));
  // Chrome, Edge and Firefox on macOS read the keychain; NSS databases to look for exist on Linux.
  if (process.platform !== 'linux' && !options.nssOnly) return [];
  const found = discoverNssDatabases();
  if (found.length === 0) {
    return [
      fixedStore({
        store: 'Browser NSS databases',
        outcome: 'unchanged',
        summary: 'none found (no ~/.pki/nssdb, no Firefox profile): nothing to do. Started Chromium or Firefox for the first time later? Run `mcp-lab trust` again.',
        steps: [],
      }),
    ];
  }
  return found.map((database) => nssStore(ca, database, certutil));
}

function printPlans(action: TrustAction, ca: LabCa, plans: StorePlan[], io: TrustIo): void {
  io.print(`Lab CA: ${ca.path}`);
  io.print(`  ${ca.subject}`);
  io.print(`  SHA-256 ${ca.sha256}`);
  io.print(`  valid until ${ca.notAfter.toISOString()}`);
  const groups: [string, StorePlan[]][] = [
    [`mcp-lab ${action} will change:`, plans.filter((p) => p.outcome === 'change')],
    ['mcp-lab cannot change (do it yourself):', plans.filter((p) => p.outcome === 'blocked')],
    ['unchanged:', plans.filter((p) => p.outcome === 'unchanged')],
  ];
  for (const [heading, group] of groups) {
    if (group.length === 0) continue;
    io.print('');
    io.print(heading);
    for (const plan of group) {
      io.print(`  ${plan.store}`);
      io.print(`    ${plan.summary}`);
      for (const step of plan.steps) io.print(`      ${describeStep(step)}`);
      if (plan.outcome === 'blocked' && plan.fix) io.print(`    fix: ${plan.fix}`);
      for (const note of plan.notes ?? []) io.print(`    note: ${note}`);
    }
  }
  io.print('');
}

const FAILED_STEP_FIX = 'Run the command yourself to see its whole output; `mcp-lab doctor` shows what is trusted now.';

/** Runs one store's steps, then asks the store again: it must now report nothing left to do. */
function applyPlan(action: TrustAction, store: TrustStore, plan: StorePlan): void {
  for (const step of plan.steps) applyStep(step, plan.fix ?? FAILED_STEP_FIX);
  const after = store.plan(action);
  if (after.outcome !== 'unchanged') {
    throw new CliError('TRUST_NOT_APPLIED', `${plan.store}: the commands succeeded but the store still says: ${after.summary}.`, FAILED_STEP_FIX);
  }
}

/**
 * `mcp-lab trust` / `mcp-lab untrust`: add or remove the lab's dev CA in the
 * OS trust store and the browsers' NSS databases. It prints every change
 * first and asks; stores it may not change (no root, tool missing) are
 * listed with the commands to run yourself. Exit 0 when every store ends as
 * asked, 2 when any is left unchanged or failed, 64 when it cannot ask.
 */
export async function runTrust(action: TrustAction, options: TrustOptions, io: TrustIo = defaultIo()): Promise<number> {
  if (options.nssOnly && options.osOnly) throw new CliError('CONFLICTING_OPTIONS', '--nss-only and --os-only exclude each other.', 'Pass one of them, or neither for every store.', EXIT.usage);
  const ca = await loadCa(action, options.dryRun ?? false, io);
  const stores = [...(options.nssOnly ? [] : [osTrustStore(ca)]), ...(options.osOnly ? [] : nssStores(ca, options))];
  const planned = stores.map((store) => ({ store, plan: store.plan(action) }));
  printPlans(
    action,
    ca,
    planned.map((p) => p.plan),
    io,
  );

  const changes = planned.filter((p) => p.plan.outcome === 'change');
  const blocked = planned.filter((p) => p.plan.outcome === 'blocked').length;
  const incomplete = (n: number) => {
    io.print(`Not finished: ${n} store(s) still need the steps shown above. \`mcp-lab doctor\` shows what is trusted.`);
    return EXIT.couldNotRun;
  };
  if (changes.length === 0) {
    io.print('Nothing for mcp-lab to change.');
    return blocked > 0 ? incomplete(blocked) : EXIT.ok;
  }
  if (options.dryRun) {
    io.print('Dry run: nothing changed.');
    return EXIT.ok;
  }
  if (!options.yes) {
    if (!io.ask) {
      throw new CliError('CONFIRMATION_NEEDED', `mcp-lab ${action} asks before it changes trust stores, and there is no terminal to ask on.`, 'Read the plan above, then pass --yes to go ahead (or --dry-run to only print it).', EXIT.usage);
    }
    const answer = await io.ask(`Make these ${changes.length} change(s)? [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) {
      io.print('Nothing changed.');
      return EXIT.couldNotRun;
    }
  }

  let failed = 0;
  for (const { store, plan } of changes) {
    try {
      applyPlan(action, store, plan);
      io.print(`done    ${plan.store}: ${plan.summary}`);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      failed++;
      io.print(`failed  ${plan.store}`);
      io.printError(error);
    }
  }
  if (failed + blocked > 0) return incomplete(failed + blocked);
  if (action === 'trust') {
    io.print(`Done. Restart open browsers to pick it up. Node does not read these stores by default: give Node programs NODE_EXTRA_CA_CERTS=${ca.path} (or start them with --use-system-ca).`);
  } else {
    io.print('Done. Restart open browsers to forget it.');
  }
  return EXIT.ok;
}
