import fs from 'node:fs';
import path from 'node:path';
import { checkLanguage, type CheckLang, findLab, inLanguage, listLabs, ProgressFileError, readLabManifest, readProgress, reportWords, UnknownLabError, WORK_ROOT, type LabFolder, type LabManifest, type LabProgress, type Progress } from '@mcp-lab/harness';
import { labHome, SEED, type LabInfo } from '@mcp-lab/mock-idp';
import { CliError, EXIT } from '../cli-error.ts';
import { confirm } from '../confirm.ts';
import { learnersIdp } from '../lab-run.ts';
import { productionEnvValues } from './production-env-file.ts';

export function progressFile(): string {
  return path.join(labHome(), 'progress.json');
}

/** The learner's progress for a verb that only reads it: a file that cannot be read is said (with its fix) and read as empty, and left as it is. */
export function learnerProgress(): Progress {
  try {
    return readProgress(progressFile());
  } catch (error) {
    if (!(error instanceof ProgressFileError)) throw error;
    process.stderr.write(`note ${error.code}: ${error.message}\nfix: ${error.fix}\n`);
    return { version: 1, lessons: {}, labs: {} };
  }
}

/** A lab by number, folder or slug; an unknown name is a usage error listing the labs. */
export function resolveLab(name: string): LabFolder {
  try {
    return findLab(name);
  } catch (error) {
    if (error instanceof UnknownLabError) throw new CliError(error.code, error.message, error.fix, EXIT.usage);
    throw error;
  }
}

export function workDir(lab: LabFolder): string {
  return path.join(WORK_ROOT, lab.id);
}

/** What the verbs that need no check code read of a lab: its manifest (lab.json). */
type LabData = { manifest: LabManifest };

/** `mcp-lab list`: the labs, whether you started them, and your last score. Reads lab.json only, never a lab's check code. */
export function runList(o: { json?: boolean }): number {
  const progress = learnerProgress();
  const rows = listLabs().map((lab) => {
    const p = progress.labs[lab.id];
    return { lab: lab.id, title: readLabManifest(lab).title, started: fs.existsSync(workDir(lab)), score: p ? `${p.score}/${p.maxScore}` : '', status: p?.status ?? 'not checked' };
  });
  if (o.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.ok;
  }
  if (rows.length === 0) process.stdout.write('No labs in this checkout yet.\n');
  for (const r of rows) process.stdout.write(`${r.lab.padEnd(26)} ${r.title.padEnd(44)} ${(r.started ? 'started' : '').padEnd(8)} ${r.score.padEnd(7)} ${r.status}\n`);
  return EXIT.ok;
}

function copyTree(from: string, to: string): void {
  fs.cpSync(from, to, {
    recursive: true,
    filter: (src) => !/(^|[/\\])(node_modules|\.env)$/.test(src),
  });
}

/** The `.env` a fresh working copy gets: the seeded app of the lab and where the IdP is (docs/design.md §5). */
export function envFileFor(def: LabData, info: LabInfo, address = 'https://localhost:8443'): string {
  const m = def.manifest;
  const home = info.tenants.find((t) => t.home);
  const seededId = m.seededApp ? SEED.apps[m.seededApp].appId : undefined;
  const app = seededId ? info.apps.find((a) => a.clientId === seededId) : undefined;
  const values: Record<string, string | undefined> = {
    AUTHORITY_HOST: address,
    TENANT_ID: app?.tenantId ?? home?.id,
    CLIENT_ID: app?.clientId,
    CLIENT_SECRET: app?.devSecret,
    REDIRECT_URI: app?.redirectUris[0],
    GRAPH_BASE_URL: `${address}/graph/v1.0`,
    PORT: '3001',
    PUBLIC_URL: 'http://localhost:3001',
    // As the lab's README and .env.example say: a device code works everywhere, also without a display.
    LAB_AUTH_MODE: 'device',
    // The folder each lab's .gitignore names: a token cache must never be committed.
    LAB_CACHE_DIR: '.lab-cache',
    ...productionEnvValues(m),
  };
  const written = m.env.filter((name) => values[name] !== undefined);
  const secret = written.includes('CLIENT_SECRET');
  const lines = [
    secret
      ? '# Filled by `mcp-lab start` for the lab’s mock Entra ID. Git ignores this file: it holds a (mock-only) secret.'
      : '# Filled by `mcp-lab start` for the lab’s mock Entra ID. Git ignores this file (it holds your settings; no secret).',
    '# For a real tenant, see docs/real-tenant.md.',
  ];
  for (const name of written) lines.push(`${name}=${values[name]}`);
  return `${lines.join('\n')}\n`;
}

/** The `.env` text from the learner's own IdP (running, or started on its data for a moment). */
async function envTextFor(def: LabData): Promise<string> {
  // The learner's own IdP (not a throwaway one): the secret written here must be the one it knows.
  const { idp, address } = await learnersIdp();
  try {
    return envFileFor(def, await idp.info(), address);
  } finally {
    await idp.close();
  }
}

/**
 * `mcp-lab start <lab>`: your working copy in work/<lab>/, from the starter,
 * with a filled `.env`; never overwrites. The copy is made beside the target
 * and renamed into place only when complete, so a failure (the IdP could not
 * be reached, a full disk) leaves nothing half-made. A copy that exists but
 * lacks its `.env` gets one.
 */
export async function runStart(name: string): Promise<number> {
  const lab = resolveLab(name);
  const def = { manifest: readLabManifest(lab) };
  const target = workDir(lab);
  const shown = path.relative(process.cwd(), target) || target;
  const needsEnv = def.manifest.env.length > 0;
  const envFile = path.join(target, '.env');
  if (fs.existsSync(target)) {
    if (needsEnv && !fs.existsSync(envFile)) {
      fs.writeFileSync(envFile, await envTextFor(def), { mode: 0o600 });
      process.stdout.write(`${shown} already existed without a .env: added one (your files are kept). Next: \`npm run lab -- check ${lab.id}\`.\n`);
      return EXIT.ok;
    }
    process.stdout.write(`${shown} already exists: your work is kept. Next: edit it, then \`npm run lab -- check ${lab.id}\`. (\`npm run lab -- reset ${lab.id}\` starts over, keeping a backup.)\n`);
    return EXIT.ok;
  }
  // Everything that can fail on the network happens before anything is written.
  const envText = needsEnv ? await envTextFor(def) : undefined;
  const partial = path.join(path.dirname(target), `.${lab.id}.partial`);
  fs.rmSync(partial, { recursive: true, force: true });
  try {
    const starter = path.join(lab.dir, 'starter');
    if (fs.existsSync(starter)) copyTree(starter, partial);
    else fs.mkdirSync(partial, { recursive: true });
    if (envText !== undefined) fs.writeFileSync(path.join(partial, '.env'), envText, { mode: 0o600 });
    fs.renameSync(partial, target);
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw error;
  }
  process.stdout.write(
    [
      `Created ${shown} from the starter of ${lab.id}.`,
      `Next: read labs/${lab.id}/README.md (or the lab page in the course), fill in the TODOs, then run \`npm run lab -- check ${lab.id}\`.`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

/**
 * Said where every visible check passes. The checks give the server settings
 * of their own, so a wrong `.env` passes them all; only doctor reads it.
 */
export function envNote(def: LabData, lang: CheckLang = 'en'): string | undefined {
  return def.manifest.env.length > 0 ? reportWords(lang).envNote : undefined;
}

/** What a learner does when nothing of this lab is left: what the hidden checks say, the .env, the next lab. */
function nothingLeft(lab: LabFolder, def: LabData, progress: LabProgress, lang: CheckLang): string {
  const words = reportWords(lang);
  const lines = [words.nothingLeft(lab.id, progress.at.slice(0, 16).replace('T', ' '))];
  if (progress.hiddenFailed > 0) lines.push(words.hiddenLeft(progress.hiddenFailed, `labs/${lab.id}/README.md`));
  const note = envNote(def, lang);
  if (note) lines.push(note);
  const next = listLabs().find((l) => l.number > lab.number);
  lines.push(next ? words.nextLabLine(next.id) : words.lastLabLine);
  return `${lines.join('\n')}\n`;
}

/** `mcp-lab hint <lab> [check]`: the hint of a check, or of the first one you have not passed yet. */
export function runHint(name: string, checkId: string | undefined, o: { lang?: string } = {}): number {
  const lab = resolveLab(name);
  const lang = checkLanguage(o.lang);
  const words = reportWords(lang);
  const def = inLanguage({ manifest: readLabManifest(lab) }, lang);
  const visible = def.manifest.checks.filter((c) => c.visibility === 'visible');
  const progress = learnerProgress().labs[lab.id];
  const open = visible.find((c) => progress?.checks[c.id] !== 'pass');
  if (!checkId && progress && !open) {
    process.stdout.write(nothingLeft(lab, def, progress, lang));
    return EXIT.ok;
  }
  const check = checkId ? visible.find((c) => c.id === checkId) : (open ?? visible[0]);
  if (!check) throw new CliError('UNKNOWN_CHECK', `${lab.id} has no check '${checkId ?? ''}'.`, `Its checks: ${visible.map((c) => c.id).join(', ')}.`, EXIT.usage);
  process.stdout.write(`${check.id}: ${check.title}\n${words.hintLine} ${check.hint}\n${words.rereadLine} labs/${lab.id}/README.md${check.lessonStep}\n`);
  return EXIT.ok;
}

/** `mcp-lab reset <lab>`: the starter again, your copy moved to work/.backup/ first (and `.env` kept). */
export async function runReset(name: string, o: { yes?: boolean }): Promise<number> {
  const lab = resolveLab(name);
  const target = workDir(lab);
  if (!fs.existsSync(target)) return runStart(name);
  const backup = path.join(WORK_ROOT, '.backup', `${lab.id}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  if (!(await confirm(`Replace ${target} with the starter? Your copy is moved to ${backup} first.`, o.yes))) {
    process.stdout.write('Nothing was changed.\n');
    return EXIT.ok;
  }
  fs.mkdirSync(path.dirname(backup), { recursive: true });
  fs.renameSync(target, backup);
  const starter = path.join(lab.dir, 'starter');
  if (fs.existsSync(starter)) copyTree(starter, target);
  else fs.mkdirSync(target, { recursive: true });
  if (fs.existsSync(path.join(backup, '.env'))) fs.copyFileSync(path.join(backup, '.env'), path.join(target, '.env'));
  process.stdout.write(`Restored the starter into ${target}; your previous copy is in ${backup}.\n`);
  return EXIT.ok;
}
