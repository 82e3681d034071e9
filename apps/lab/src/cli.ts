import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT, reportError } from './cli-error.ts';
import { runIdp } from './commands/idp.ts';
import { runToken } from './commands/token.ts';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535 (0 picks a free one).');
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
    .description('run only the mock identity provider; prints `ready <baseUrl>` when it accepts requests')
    .addOption(new Option('--port <n>', 'HTTPS port (0 = any free port)').argParser(port).default(8443))
    .option('--data <dir>', 'where the IdP keeps its state (default: .lab/idp)')
    .action((opts: { port: number; data?: string }) => run(runIdp(opts)));

  program
    .command('token')
    .description('get a real access token through a real sign-in, for curl or the MCP Inspector')
    .requiredOption('--user <name>', 'test user, e.g. alice (matches alice@contoso.test)')
    .requiredOption('--scope <scope>', 'scope to request, e.g. User.Read or api://<appId>/user_impersonation (repeatable)', collect, [])
    .option('--client <clientId>', 'app registration to sign in to (default: the lab 02 public client)')
    .option('--idp <url>', 'the mock IdP (default: MCP_LAB_IDP or https://localhost:8443)')
    .option('--json', 'print the token with its decoded claims as JSON')
    .action((opts: { user: string; scope: string[]; client?: string; idp?: string; json?: boolean }) => run(runToken(opts)));

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
