import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT, reportError } from './cli-error.ts';
import { runIdp } from './commands/idp.ts';
import { runToken } from './commands/token.ts';
import { runTrust, type TrustOptions } from './commands/trust.ts';
import { runDoctor, type DoctorOptions } from './commands/doctor.ts';
import { FAULT_ACTIONS, FAULT_KINDS, runFaultClear, runFaultList, runFaultSet, type FaultSetOptions } from './commands/fault.ts';
import { runIdpReset } from './commands/idp-reset.ts';
import { runHint, runList, runReset, runStart } from './commands/labs.ts';
import { FORMATS, runCheck, type CheckOptions } from './commands/check.ts';
import { runWatch } from './commands/watch.ts';
import { runServe, type ServeOptions } from './commands/serve.ts';
import { runGrade, type GradeOptions } from './commands/grade.ts';
import { runClassroomGrade, runClassroomInit, type ClassroomGradeOptions } from './commands/classroom.ts';
import { runAppCreate, runAppDelete, runAppList, runAppShow, type AppCreateOptions } from './commands/app.ts';
import { runAppExport, runAppImport } from './commands/app-manifest.ts';
import { runSecretAdd, runSecretDelete, runSecretList } from './commands/app-secret.ts';
import { runCertAdd, runCertDelete, runCertList } from './commands/app-cert.ts';
import { runFicAdd, runFicDelete, runFicList } from './commands/app-fic.ts';
import { runRedirectAdd, runRedirectRemove } from './commands/app-redirect.ts';
import { runAssignRole, runUnassignRole, runUserList, type RoleOptions } from './commands/user.ts';
import type { TargetOptions } from './commands/admin-shapes.ts';

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

/** `--lang en|nl`: the checks' titles and hints in that language (default: from LC_ALL, LC_MESSAGES, LANG). */
const LANG_OPTION = () => new Option('--lang <lang>', 'the language of the checks’ titles and hints (default: from LANG)').choices(['en', 'nl']);

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
    .option('--scope <scope>', 'scope to request, e.g. User.Read or api://<appId>/user_impersonation (repeatable)', collect, [])
    .option('--client <clientId>', 'app registration to sign in to (default: the lab 02 public client)')
    .option('--server <url>', "instead of an Entra token: the token a lab MCP server that is its own authorization server (lab 03) gives its clients, e.g. http://localhost:3001/mcp")
    .option('--idp <url>', 'the mock IdP (default: MCP_LAB_IDP or https://localhost:8443)')
    .option('--json', 'print the token with its decoded claims as JSON')
    .action((opts: { user: string; scope: string[]; client?: string; server?: string; idp?: string; json?: boolean }) => run(runToken(opts)));

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

  program
    .command('list')
    .description('the labs, whether you started them, and your last score')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => run(Promise.resolve(runList(opts))));

  program
    .command('start')
    .description('create your working copy work/<lab>/ from the starter (with a filled .env); never overwrites')
    .argument('<lab>', 'number, folder or slug: 02, 2, 02-public-client, public-client')
    .action((lab: string) => run(runStart(lab)));

  program
    .command('serve')
    .description('run your lab server from work/<lab> as the lab page says: its .env, the lab CA trusted, its output shown (Ctrl-C stops it)')
    .argument('<lab>', 'number, folder or slug')
    .option('--dir <path>', 'the folder to run (default: work/<lab>)')
    .action((lab: string, opts: ServeOptions) => run(runServe(lab, opts)));

  program
    .command('check')
    .description('run a lab’s checks (exit 0 all visible checks pass, 1 a check failed, 2 could not run)')
    .argument('<lab>', 'number, folder or slug')
    .option('--dir <path>', 'the folder to check (default: work/<lab>)')
    .addOption(new Option('--format <format>', 'output format').choices([...FORMATS]).default('text'))
    .option('--out <file>', 'write the result to a file instead of stdout')
    .option('--checks <dir>', 'an instructor’s private check pack (<dir>/<lab>/lab.json + checks.ts)')
    .addOption(LANG_OPTION())
    .action((lab: string, opts: CheckOptions) => run(runCheck(lab, opts)));

  program
    .command('watch')
    .description('re-run a lab’s checks whenever you save')
    .argument('<lab>', 'number, folder or slug')
    .option('--dir <path>', 'the folder to watch (default: work/<lab>)')
    .addOption(LANG_OPTION())
    .action((lab: string, opts: { dir?: string; lang?: string }) => run(runWatch(lab, opts)));

  program
    .command('hint')
    .description('the hint of a check (default: the first one you have not passed)')
    .argument('<lab>', 'number, folder or slug')
    .argument('[check]', 'a check id')
    .addOption(LANG_OPTION())
    .action((lab: string, check: string | undefined, opts: { lang?: string }) => run(Promise.resolve(runHint(lab, check, opts))));

  program
    .command('reset')
    .description('restore the starter into work/<lab>/ (your copy is moved to work/.backup/ first)')
    .argument('<lab>', 'number, folder or slug')
    .option('--yes', 'do not ask')
    .action((lab: string, opts: { yes?: boolean }) => run(runReset(lab, opts)));

  program
    .command('grade')
    .description('grade every learner folder of a class: gradebook.csv, report.html and per-learner results')
    .option('--class <dir>', 'one sub-folder per learner')
    .option('--merge <dirs...>', 'gather the --out folders of earlier runs (or Classroom artifacts) into one gradebook; grades nothing')
    .option('--lab <lab>', 'each learner folder is this lab’s folder')
    .option('--all', 'each learner folder holds lab folders, like work/')
    .option('--roster <csv>', 'CSV with a username column (optional: name, email, section)')
    .option('--out <dir>', 'where the outputs go', 'grades')
    .addOption(new Option('--jobs <n>', 'submissions checked in parallel').argParser(integer).default(1))
    .option('--checks <dir>', 'an instructor’s private check pack')
    .addOption(LANG_OPTION())
    .action((opts: GradeOptions) => run(runGrade(opts)));

  const classroom = program.command('classroom').description('GitHub Classroom: a workflow that grades each learner’s repository on push');
  classroom
    .command('init')
    .description('write .github/workflows/classroom.yml into a repository (the assignment’s template)')
    .option('--dir <repo>', 'the repository (default: here)')
    .option('--force', 'replace a workflow that differs')
    .action((opts: { dir?: string; force?: boolean }) => run(Promise.resolve(runClassroomInit(opts))));
  classroom
    .command('grade')
    .description('grade every lab of this repository’s work/ as one learner: results, and the points for Classroom (what the workflow runs)')
    .option('--learner <name>', 'the learner’s name in the results (default: GITHUB_ACTOR)')
    .option('--work <dir>', 'the work tree (default: work/)')
    .option('--out <dir>', 'where the results go', 'classroom-results')
    .addOption(new Option('--jobs <n>', 'labs checked in parallel (one learner: labs run in order)').argParser(integer).default(1))
    .option('--checks <dir>', 'an instructor’s private check pack')
    .addOption(LANG_OPTION())
    .action((opts: ClassroomGradeOptions) => run(runClassroomGrade(opts)));

  const target = (command: Command) =>
    command
      .option('--idp <url>', 'the mock IdP (default: MCP_LAB_IDP or https://localhost:8443)')
      .option('--data <dir>', "the IdP's data folder, where its admin token is (default: .lab/idp)")
      .option('--json', 'machine-readable output');
  const fault = program.command('fault').description('inject faults into the IdP: short token lifetimes, clock skew, failing refreshes, key rotation, throttled or refusing Graph…');
  target(
    fault
      .command('set')
      .description(`switch a fault on (${FAULT_KINDS.join(', ')}) or run an action (${FAULT_ACTIONS.join(', ')})`)
      .argument('<kind>', 'the fault or action')
      .addOption(new Option('--seconds <n>', 'access-token-lifetime / clock-skew / device-code-interval: seconds').argParser(integer))
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

  const app = program.command('app').description('app registrations: create, list, show, delete, export/import manifests, client secrets, redirect URIs');
  target(
    app
      .command('create')
      .description('register an app; prints its application (client) ID, object ID and tenant ID')
      .requiredOption('--name <displayName>', 'the display name')
      .option('--tenant <id>', 'tenant ID or domain (default: the home tenant)')
      .option('--multi-tenant', 'accounts in any organisation (AzureADMultipleOrgs)')
      .option('--public-client-flows', '"Allow public client flows" (device code, desktop sign-in without a secret)')
      .option('--redirect <platform:uri>', 'a redirect URI, e.g. web:https://localhost:3001/cb or publicClient:http://localhost (repeatable)', collect, [])
      .option('--identifier-uri <uri>', 'Application ID URI, e.g. api://… (repeatable)', collect, []),
  ).action((opts: AppCreateOptions) => run(runAppCreate(opts)));
  target(app.command('list').description('app registrations, oldest first').option('--tenant <id>', 'only this tenant (ID or domain)')).action(
    (opts: TargetOptions & { tenant?: string }) => run(runAppList(opts)),
  );
  target(app.command('show').description('settings, redirect URIs, scopes, roles, API permissions and secrets (never their values)').argument('<appId>')).action(
    (appId: string, opts: TargetOptions) => run(runAppShow(appId, opts)),
  );
  target(app.command('delete').description('delete a registration with its secrets, consent and role assignments (asks first)').argument('<appId>').option('--yes', 'do not ask')).action(
    (appId: string, opts: TargetOptions & { yes?: boolean }) => run(runAppDelete(appId, opts)),
  );
  target(app.command('export').description('the app manifest (Microsoft Graph format, no secret values)').argument('<appId>').option('--out <file>', 'write it to FILE instead of stdout')).action(
    (appId: string, opts: TargetOptions & { out?: string }) => run(runAppExport(appId, opts)),
  );
  target(
    app
      .command('import')
      .description('recreate a registration from a manifest (keeps its appId when free; certificates come along, secrets are never imported)')
      .argument('<file>')
      .option('--replace', 'replace the registration with the same appId')
      .option('--tenant <id>', 'import into this tenant (default: the manifest publisherDomain’s, else home)'),
  ).action((file: string, opts: TargetOptions & { replace?: boolean; tenant?: string }) => run(runAppImport(file, opts)));

  const secret = app.command('secret').description('client secrets (Certificates & secrets)');
  target(
    secret
      .command('add')
      .description('add a client secret; prints its value once')
      .argument('<appId>')
      .option('--description <text>', 'the description')
      .addOption(new Option('--expires-in-days <n>', 'lifetime, 1–730 days (default 180)').argParser(integer)),
  ).action((appId: string, opts: TargetOptions & { description?: string; expiresInDays?: number }) => run(runSecretAdd(appId, opts)));
  target(secret.command('list').description('secrets: ID, description, hint, expiry (never values)').argument('<appId>')).action((appId: string, opts: TargetOptions) =>
    run(runSecretList(appId, opts)),
  );
  target(secret.command('delete').description('delete a secret (asks first)').argument('<appId>').argument('<keyId>').option('--yes', 'do not ask')).action(
    (appId: string, keyId: string, opts: TargetOptions & { yes?: boolean }) => run(runSecretDelete(appId, keyId, opts)),
  );

  const cert = app.command('cert').description('certificates (Certificates & secrets › Certificates): the app signs client assertions with the private key');
  target(
    cert
      .command('add')
      .description('upload a certificate (--pem FILE), or make a key pair and certificate (--create; the private key goes to ~/.mcp-lab/keys, mode 0600)')
      .argument('<appId>')
      .option('--pem <file>', 'a certificate (public part) to upload')
      .option('--create', 'make a new RSA key pair and self-signed certificate')
      .option('--description <text>', 'the description'),
  ).action((appId: string, opts: TargetOptions & { pem?: string; create?: boolean; description?: string }) => run(runCertAdd(appId, opts)));
  target(cert.command('list').description('certificates: key ID, description, thumbprint, expiry').argument('<appId>')).action((appId: string, opts: TargetOptions) =>
    run(runCertList(appId, opts)),
  );
  target(cert.command('delete').description('delete a certificate (asks first)').argument('<appId>').argument('<keyId>').option('--yes', 'do not ask')).action(
    (appId: string, keyId: string, opts: TargetOptions & { yes?: boolean }) => run(runCertDelete(appId, keyId, opts)),
  );

  const fic = app.command('fic').description('federated identity credentials (Certificates & secrets › Federated credentials): trust another issuer’s tokens, e.g. a managed identity’s');
  target(
    fic
      .command('add')
      .description('trust tokens with this issuer and subject (a managed identity: its issuer and object ID from /_lab/info)')
      .argument('<appId>')
      .requiredOption('--issuer <url>', 'the iss of the tokens to trust')
      .requiredOption('--subject <sub>', 'their sub')
      .option('--name <name>', 'a name, unique for the app')
      .option('--audience <aud>', 'default api://AzureADTokenExchange')
      .option('--description <text>', 'the description'),
  ).action((appId: string, opts: TargetOptions & { issuer: string; subject: string; name?: string; audience?: string; description?: string }) => run(runFicAdd(appId, opts)));
  target(fic.command('list').description('federated credentials: ID, name, issuer, subject, audience').argument('<appId>')).action((appId: string, opts: TargetOptions) =>
    run(runFicList(appId, opts)),
  );
  target(fic.command('delete').description('delete a federated credential (asks first)').argument('<appId>').argument('<id>').option('--yes', 'do not ask')).action(
    (appId: string, id: string, opts: TargetOptions & { yes?: boolean }) => run(runFicDelete(appId, id, opts)),
  );

  const redirect = app.command('redirect').description("redirect URIs (Authentication), checked against Entra's rules");
  for (const [verb, description, action] of [
    ['add', 'add a redirect URI to a platform', runRedirectAdd],
    ['remove', 'remove a redirect URI from a platform', runRedirectRemove],
  ] as const) {
    target(redirect.command(verb).description(description).argument('<appId>').argument('<platform>', 'web | spa | publicClient (mobile, desktop)').argument('<uri>')).action(
      (appId: string, platform: string, uri: string, opts: TargetOptions) => run(action(appId, platform, uri, opts)),
    );
  }

  const user = program.command('user').description('users and their app roles');
  target(user.command('list').description('users with their app role assignments').option('--tenant <id>', 'only this tenant (ID or domain)')).action(
    (opts: TargetOptions & { tenant?: string }) => run(runUserList(opts)),
  );
  for (const [verb, description, action] of [
    ['assign-role', "give a user an app role of an API (in their next token's roles)", runAssignRole],
    ['unassign-role', 'take an app role away from a user', runUnassignRole],
  ] as const) {
    target(
      user
        .command(verb)
        .description(description)
        .argument('<user>', 'sign-in name, its first part (bob) or object ID')
        .requiredOption('--app <resourceAppId>', "the API's application (client) ID")
        .requiredOption('--role <value>', 'the role value, e.g. Tools.Read'),
    ).action((name: string, opts: RoleOptions) => run(action(name, opts)));
  }

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
