import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { LAB_ENV_VARS, readLabManifest, serveCommand, type LabManifest } from '@mcp-lab/harness';
import { labHome, runningIdp, type LabInfo } from '@mcp-lab/mock-idp';
import { CliError, EXIT } from '../cli-error.ts';
import { labEnvProblems } from '../doctor/lab-env.ts';
import { labCaPath, trustLabCa } from '../trust-lab-ca.ts';
import { resolveLab, workDir } from './labs.ts';

export interface ServeOptions {
  dir?: string;
}

/**
 * The child's environment: the learner's own, with the lab variables taken
 * from `.env` only (a PORT left in the shell must not beat the one in `.env`),
 * and NODE_EXTRA_CA_CERTS naming the lab CA — Node reads it only at start-up,
 * which is why a server started by hand could not reach the IdP.
 */
export function serverEnv(base: NodeJS.ProcessEnv, dotenv: NodeJS.Dict<string>, caBundle: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of LAB_ENV_VARS) delete env[name];
  for (const [name, value] of Object.entries(dotenv)) if ((LAB_ENV_VARS as readonly string[]).includes(name)) env[name] = value;
  if (caBundle) env.NODE_EXTRA_CA_CERTS = caBundle;
  return env;
}

/**
 * The file for NODE_EXTRA_CA_CERTS: the lab CA, plus the CA file the learner
 * already set (a company proxy's, say), since Node takes one file only.
 */
function caBundle(caPath: string): string | undefined {
  if (!fs.existsSync(caPath)) return undefined;
  const own = process.env.NODE_EXTRA_CA_CERTS;
  if (!own || path.resolve(own) === path.resolve(caPath) || !fs.existsSync(own)) return caPath;
  const bundle = path.join(path.dirname(caPath), 'serve-ca-bundle.pem');
  fs.writeFileSync(bundle, `${fs.readFileSync(own, 'utf8').trim()}\n${fs.readFileSync(caPath, 'utf8').trim()}\n`);
  return bundle;
}

/** The running IdP's /_lab/info, to hold the `.env` against it; undefined when no IdP runs or it does not answer. */
async function runningInfo(): Promise<LabInfo | undefined> {
  const lock = runningIdp(path.join(labHome(), 'idp'));
  if (!lock) return undefined;
  trustLabCa();
  try {
    const response = await fetch(`${lock.baseUrl}/_lab/info`, { signal: AbortSignal.timeout(3000) });
    return response.ok ? ((await response.json()) as LabInfo) : undefined;
  } catch {
    return undefined;
  }
}

/** What the learner should know before the server's own output starts: each line names the cause and the fix. */
async function preflight(manifest: LabManifest, envText: string, caPath: string): Promise<string[]> {
  const notes: string[] = [];
  if (!fs.existsSync(caPath)) notes.push(`warning: there is no lab CA yet (${caPath}), so the server cannot trust the IdP. Start the IdP once with \`npm start\`: it makes the CA.`);
  const info = await runningInfo();
  if (!info) notes.push('warning: the lab IdP is not running, so sign-ins will fail. Start it with `npm start` in another terminal.');
  const authority = parseEnv(envText).AUTHORITY_HOST;
  if (info && authority && URL.canParse(authority) && new URL(authority).hostname === 'localhost' && new URL(authority).host !== new URL(info.baseUrl).host) {
    notes.push(`warning: .env: AUTHORITY_HOST is ${authority}, but the lab IdP runs at ${info.baseUrl}: set AUTHORITY_HOST=${info.baseUrl} (and GRAPH_BASE_URL=${info.graphBaseUrl}).`);
  }
  for (const problem of labEnvProblems(manifest.env, envText, info)) notes.push(`warning: .env: ${problem}. (\`npm run lab -- doctor\` checks every lab's .env.)`);
  return notes;
}

/** The start command of the manifest, with `node` as this very Node (no shell, the same on every platform). */
function commandOf(manifest: LabManifest & { start: NonNullable<LabManifest['start']> }): [string, string[]] {
  const [first, ...rest] = manifest.start.command;
  return [first === 'node' ? process.execPath : (first ?? process.execPath), rest];
}

/**
 * `mcp-lab serve <lab>`: runs the learner's lab server from its folder as
 * the lab page says — the manifest's start command, the `.env` settings, the
 * lab CA trusted — and shows its output. For a stdio lab stdin and stdout are
 * the server's, so an MCP client can start this command instead of `node`.
 * Everything of its own goes to stderr.
 */
export async function runServe(name: string, o: ServeOptions): Promise<number> {
  const lab = resolveLab(name);
  const manifest = readLabManifest(lab);
  const start = manifest.start;
  if (!start) {
    throw new CliError('NO_SERVER', `${lab.id} has no server to start: its checks read the files in your folder.`, `Run \`npm run lab -- check ${lab.id}\`.`, EXIT.usage);
  }
  const dir = path.resolve(o.dir ?? workDir(lab));
  const shown = path.relative(process.cwd(), dir) || dir;
  if (!fs.existsSync(dir)) throw new CliError('NO_WORKING_COPY', `There is no ${shown} to start.`, `Create it with \`npm run lab -- start ${lab.id}\`.`);
  const envFile = path.join(dir, '.env');
  if (manifest.env.length > 0 && !fs.existsSync(envFile)) {
    throw new CliError('NO_ENV', `${shown} has no .env, so the server would start without its settings.`, `\`npm run lab -- start ${lab.id}\` adds it (your files are kept).`);
  }
  const envText = fs.existsSync(envFile) ? fs.readFileSync(envFile, 'utf8') : '';
  const dotenv = parseEnv(envText);
  const caPath = labCaPath();
  for (const note of await preflight(manifest, envText, caPath)) process.stderr.write(`${note}\n`);
  const [command, args] = commandOf({ ...manifest, start });
  process.stderr.write(`${serveCommand(manifest)}: ${start.command.join(' ')} in ${shown}, with its .env and the lab CA trusted. Ctrl-C stops it.\n`);

  const child = spawn(command, args, { cwd: dir, env: serverEnv(process.env, dotenv, caBundle(caPath)), stdio: 'inherit', windowsHide: true });
  // Ctrl-C reaches the whole terminal's process group; a SIGTERM (an MCP client closing) only this process.
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null) child.kill(signal);
  };
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new CliError('SERVER_NOT_STARTED', `${start.command.join(' ')} could not be started: ${error.message}.`, 'Check the command in the lab’s checks.ts and that Node is installed.')));
    child.once('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      // Stopped by Ctrl-C or by its client: that is the normal end of a server.
      resolve(signal ? EXIT.ok : (code ?? EXIT.ok) === 0 ? EXIT.ok : EXIT.couldNotRun);
    });
  });
}
