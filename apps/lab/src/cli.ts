import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT, reportError } from './cli-error.ts';
import { runIdp } from './commands/idp.ts';
import { runToken } from './commands/token.ts';
import { runTrust, type TrustOptions } from './commands/trust.ts';
import { runDoctor, type DoctorOptions } from './commands/doctor.ts';
import { FAULT_ACTIONS, FAULT_KINDS, runFaultClear, runFaultList, runFaultSet, type FaultSetOptions } from './commands/fault.ts';
import { runIdpReset } from './commands/idp-reset.ts';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535 (0 picks a free one).');
  return n;
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('a whole number, please.');
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function buildProgram(run: (work: Promise<number>) => void): Command {
  const program = new Command('mcp-lab')
    .description('The MCP × Entra ID lab: a local Entra-compatible identity provider, labs and their checks.')
    .showHelpAfterError('(run `mcp-lab --help` for the verbs)')
    .exitOverride();

  program
    .command('idp')
    .description('run only the mock identity provider (prints `ready <baseUrl>` when it accepts requests); `idp reset` wipes its state')
    .argument('[action]', '`reset`: delete registrations, users, consent, sessions and faults (the dev CA stays)')
    .addOption(new Option('--port <n>', 'HTTPS port (0 = any free port)').argParser(port).default(8443))
    .option('--data <dir>', 'where the IdP keeps its state (default: .lab/idp)')
    .option('--yes', 'with reset: do not ask')
    .action((action: string | undefined, opts: { port: number; data?: string; yes?: boolean }) => {
      if (action === undefined) return run(runIdp(opts));
      if (action === 'reset') return run(runIdpReset(opts));
      throw new InvalidArgumentError(`unknown action '${action}' (only \`reset\`)`);
    });

  program
    .command('token')
    .description('get a real access token through a real sign-in, for curl or the MCP Inspector')
    .requiredOption('--user <name>', 'test user, e.g. alice (matches alice@contoso.test)')
    .requiredOption('--scope <scope>', 'scope to request, e.g. User.Read or api://<appId>/user_impersonation (repeatable)', collect, [])
    .option('--client <clientId>', 'app registration to sign in to (default: the lab 02 public client)')
    .option('--idp <url>', 'the mock IdP (default: MCP_LAB_IDP or https://localhost:8443)')
    .option('--json', 'print the token with its decoded claims as JSON')
    .action((opts: { user: string; scope: string[]; client?: string; idp?: string; json?: boolean }) => run(runToken(opts)));

  for (const [verb, description] of [
    ['trust', "add the lab's dev CA to the OS trust store and the browsers' NSS databases; shows every change and asks first"],
    ['untrust', 'remove the dev CA that `mcp-lab trust` added (only that one); shows every change and asks first'],
  ] as const) {
    program
      .command(verb)
      .description(description)
      .option('--yes', 'do not ask (needed without a terminal)')
      .option('--dry-run', 'print what would change, change nothing')
      .addOption(new Option('--nss-only', 'only the NSS databases (Chromium/Firefox on Linux)').conflicts('osOnly'))
      .addOption(new Option('--os-only', 'only the operating system trust store').conflicts('nssOnly'))
      .option('--nss-db <dir>', 'this NSS database instead of those found under HOME (repeatable; or MCP_LAB_NSS_DBS)', collect, [])
      .action((opts: TrustOptions) => run(runTrust(verb, opts)));
  }

  program
    .command('doctor')
    .description('check Node, the dev CA and who trusts it, ports and the IdP; each problem with its fix (exit 2 on any failure)')
    .option('--idp <url>', 'the mock IdP (default: MCP_LAB_IDP or https://localhost:8443)')
    .option('--json', 'print the results as a JSON array')
    .action((opts: DoctorOptions) => run(runDoctor(opts)));

  const target = (command: Command) =>
    command
      .option('--idp <url>', 'the mock IdP (default: MCP_LAB_IDP or https://localhost:8443)')
      .option('--data <dir>', "the IdP's data folder, where its admin token is (default: .lab/idp)")
      .option('--json', 'machine-readable output');
  const fault = program.command('fault').description('inject faults into the IdP: short token lifetimes, clock skew, failing refreshes, key rotation, throttled Graph…');
  target(
    fault
      .command('set')
      .description(`switch a fault on (${FAULT_KINDS.join(', ')}) or run an action (${FAULT_ACTIONS.join(', ')})`)
      .argument('<kind>', 'the fault or action')
      .addOption(new Option('--seconds <n>', 'access-token-lifetime / clock-skew: seconds').argParser(integer))
      .addOption(new Option('--count <n>', 'fail-next-refresh: how many refreshes fail').argParser(integer))
      .addOption(new Option('--every <n>', 'graph-throttle: every Nth Graph call gets 429 (default: every call)').argParser(integer))
      .addOption(new Option('--retry-after <n>', 'graph-throttle: Retry-After seconds').argParser(integer))
      .addOption(new Option('--grace <n>', 'rotate-signing-key: seconds the old key stays published').argParser(integer))
      .option('--user <name>', 'revoke-sessions / disable-user / enable-user: user ID or sign-in name')
      .option('--tenant <id>', 'only in this tenant')
      .option('--client <appId>', 'only for this app (graders: one app per job)')
      .addOption(new Option('--expires-in <n>', 'switch the fault off after N seconds').argParser(integer)),
  ).action((kind: string, opts: FaultSetOptions) => run(runFaultSet(kind, opts)));
  target(fault.command('list').description('the faults that are on')).action((opts: { idp?: string; data?: string; json?: boolean }) => run(runFaultList(opts)));
  target(
    fault
      .command('clear')
      .description('switch faults off: all, or by --id / --tenant / --client')
      .option('--id <id>', 'one fault')
      .option('--tenant <id>', 'the faults scoped to this tenant')
      .option('--client <appId>', 'the faults scoped to this app'),
  ).action((opts: { idp?: string; data?: string; json?: boolean; id?: string; tenant?: string; client?: string }) => run(runFaultClear(opts)));

  return program;
}

async function main(argv: string[]): Promise<number> {
  let pending: Promise<number> | undefined;
  const program = buildProgram((work) => {
    pending = work;
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw error;
  }
  return pending ? await pending : EXIT.ok;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportError(error);
  },
);
