import fs from 'node:fs';
import path from 'node:path';
import { checkLanguage, findLab, inLanguage, listLabs, loadLab, readProgress, UnknownLabError, WORK_ROOT, type LabDefinition, type LabFolder } from '@mcp-lab/harness';
import { labHome, SEED, type LabInfo } from '@mcp-lab/mock-idp';
import { CliError, EXIT } from '../cli-error.ts';
import { confirm } from '../confirm.ts';
import { learnersIdp } from '../lab-run.ts';

export function progressFile(): string {
  return path.join(labHome(), 'progress.json');
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

/** `mcp-lab list`: the labs, whether you started them, and your last score. */
export async function runList(o: { json?: boolean }): Promise<number> {
  const labs = listLabs();
  const progress = readProgress(progressFile());
  const rows = await Promise.all(
    labs.map(async (lab) => {
      const def = await loadLab(lab);
      const p = progress.labs[lab.id];
      return { lab: lab.id, title: def.manifest.title, started: fs.existsSync(workDir(lab)), score: p ? `${p.score}/${p.maxScore}` : '', status: p?.status ?? 'not checked' };
    }),
  );
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

/** The `.env` a fresh working copy gets: the seeded app of the lab and where the IdP is (DESIGN §5). */
export function envFileFor(def: LabDefinition, info: LabInfo, address = 'https://localhost:8443'): string {
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
    LAB_AUTH_MODE: 'browser',
    // The folder each lab's .gitignore names: a token cache must never be committed.
    LAB_CACHE_DIR: '.lab-cache',
  };
  const lines = ['# Filled by `mcp-lab start` for the lab’s mock Entra ID. Git ignores this file: it holds a (mock-only) secret.', '# For a real tenant, see docs/real-tenant.md.'];
  for (const name of m.env) if (values[name] !== undefined) lines.push(`${name}=${values[name]}`);
  return `${lines.join('\n')}\n`;
}

/** `mcp-lab start <lab>`: your working copy in work/<lab>/, from the starter, with a filled `.env`; never overwrites. */
export async function runStart(name: string): Promise<number> {
  const lab = resolveLab(name);
  const def = await loadLab(lab);
  const target = workDir(lab);
  if (fs.existsSync(target)) {
    process.stdout.write(`${path.relative(process.cwd(), target) || target} already exists: your work is kept. Next: edit it, then \`npm run lab -- check ${lab.id}\`. (\`npm run lab -- reset ${lab.id}\` starts over, keeping a backup.)\n`);
    return EXIT.ok;
  }
  const starter = path.join(lab.dir, 'starter');
  if (fs.existsSync(starter)) copyTree(starter, target);
  else fs.mkdirSync(target, { recursive: true });
  if (def.manifest.env.length) {
    // The learner's own IdP (not a throwaway one): the secret written here must be the one it knows.
    const { idp, address } = await learnersIdp();
    try {
      fs.writeFileSync(path.join(target, '.env'), envFileFor(def, await idp.info(), address), { mode: 0o600 });
    } finally {
      await idp.close();
    }
  }
  process.stdout.write(
    [
      `Created ${path.relative(process.cwd(), target) || target} from the starter of ${lab.id}.`,
      `Next: read labs/${lab.id}/README.md (or the lab page in the course), fill in the TODOs, then run \`npm run lab -- check ${lab.id}\`.`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

/** `mcp-lab hint <lab> [check]`: the hint of a check, or of the first one you have not passed yet. */
export async function runHint(name: string, checkId: string | undefined, o: { lang?: string } = {}): Promise<number> {
  const lab = resolveLab(name);
  const def = inLanguage(await loadLab(lab), checkLanguage(o.lang));
  const visible = def.manifest.checks.filter((c) => c.visibility === 'visible');
  const progress = readProgress(progressFile()).labs[lab.id];
  const check = checkId ? visible.find((c) => c.id === checkId) : (visible.find((c) => progress?.checks[c.id] !== 'pass') ?? visible[0]);
  if (!check) throw new CliError('UNKNOWN_CHECK', `${lab.id} has no check '${checkId ?? ''}'.`, `Its checks: ${visible.map((c) => c.id).join(', ')}.`, EXIT.usage);
  process.stdout.write(`${check.id}: ${check.title}\nhint: ${check.hint}\nreread: labs/${lab.id}/README.md${check.lessonStep}\n`);
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
