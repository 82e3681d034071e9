/**
 * Builds the course site for production when its sources changed since the
 * last build (or when there is none). The hash of the sources per build folder
 * is kept in `.lab/course-build.json`, so `npm start` pays for `next build`
 * once, and again only after an edit. `node scripts/build.ts [--dist DIR] [--force]`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { sourceHash } from './source-hash.ts';

export const COURSE_DIR = path.resolve(import.meta.dirname, '..');
export const REPO_ROOT = path.resolve(COURSE_DIR, '..', '..');
export const NEXT_BIN = createRequire(import.meta.url).resolve('next/dist/bin/next');

export interface BuildOptions {
  /** Build folder inside apps/course (default `.next`). */
  distDir?: string;
  force?: boolean;
  /** Where `.lab/` is (default: MCP_LAB_HOME or `<repo>/.lab`). */
  labHome?: string;
  log?: (line: string) => void;
}

export interface BuildResult {
  built: boolean;
  seconds: number;
  hash: string;
}

function stateFile(labHome: string): string {
  return path.join(labHome, 'course-build.json');
}

function readState(labHome: string): Record<string, { hash: string; at: string }> {
  try {
    return JSON.parse(fs.readFileSync(stateFile(labHome), 'utf8')) as Record<string, { hash: string; at: string }>;
  } catch {
    return {};
  }
}

/** Environment every `next` process of the lab gets: no telemetry (offline), the chosen build folder. */
export function nextEnv(distDir: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { ...process.env, NEXT_TELEMETRY_DISABLED: '1', COURSE_DIST_DIR: distDir, ...extra };
}

export async function ensureBuild(options: BuildOptions = {}): Promise<BuildResult> {
  const distDir = options.distDir ?? '.next';
  const labHome = options.labHome ?? (process.env.MCP_LAB_HOME ? path.resolve(process.env.MCP_LAB_HOME) : path.join(REPO_ROOT, '.lab'));
  const hash = sourceHash(REPO_ROOT);
  const state = readState(labHome);
  const complete = fs.existsSync(path.join(COURSE_DIR, distDir, 'BUILD_ID'));
  if (!options.force && complete && state[distDir]?.hash === hash) return { built: false, seconds: 0, hash };

  options.log?.(complete ? 'The course changed since the last build: rebuilding the site…' : 'Building the course site (first start; about a minute)…');
  const started = performance.now();
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [NEXT_BIN, 'build'], { cwd: COURSE_DIR, env: nextEnv(distDir), stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => output.push(chunk.toString());
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) {
    throw Object.assign(new Error(`next build failed (exit ${code}):\n${output.join('').slice(-4000)}`), {
      code: 'COURSE_BUILD_FAILED',
    });
  }
  fs.mkdirSync(labHome, { recursive: true });
  const next = { ...readState(labHome), [distDir]: { hash, at: new Date().toISOString() } };
  fs.writeFileSync(stateFile(labHome), `${JSON.stringify(next, null, 2)}\n`);
  return { built: true, seconds: (performance.now() - started) / 1000, hash };
}

// Run as a script (Node 22.18 has no import.meta.main).
if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const args = process.argv.slice(2);
  const distIndex = args.indexOf('--dist');
  const result = await ensureBuild({
    ...(distIndex >= 0 && args[distIndex + 1] ? { distDir: args[distIndex + 1] } : {}),
    force: args.includes('--force'),
    log: (line) => console.log(line),
  });
  console.log(result.built ? `built in ${result.seconds.toFixed(1)} s` : 'up to date (sources unchanged since the last build)');
}
