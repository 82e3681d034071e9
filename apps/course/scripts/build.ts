/**
 * Builds the course site for production when its sources changed since the
 * last build (or when there is none). The hash of the sources is kept in the
 * build folder itself (`<dist>/mcp-lab-build.json`), so `npm start` pays for
 * `next build` once, and again only after an edit — not after a fresh lab
 * home (deleting `.lab/` to start the IdP afresh, or the e2e tests' throwaway
 * one). `node scripts/build.ts [--dist DIR] [--force]`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildProgress } from './build-progress.ts';
import { sourceHash } from './source-hash.ts';

export const COURSE_DIR = path.resolve(import.meta.dirname, '..');
export const REPO_ROOT = path.resolve(COURSE_DIR, '..', '..');
export const NEXT_BIN = createRequire(import.meta.url).resolve('next/dist/bin/next');

export interface BuildOptions {
  /** Build folder inside apps/course (default `.next`). */
  distDir?: string;
  force?: boolean;
  log?: (line: string) => void;
  /** How often a long build phase says it is still running (default 10 s). */
  progressEveryMs?: number;
}

export interface BuildResult {
  built: boolean;
  seconds: number;
  hash: string;
}

/** Beside the build it describes: a build folder carries the hash of the sources it was made from. */
function stateFile(distDir: string): string {
  return path.join(COURSE_DIR, distDir, 'mcp-lab-build.json');
}

function builtHash(distDir: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(stateFile(distDir), 'utf8')) as { hash?: string }).hash;
  } catch {
    return undefined;
  }
}

/** Environment every `next` process of the lab gets: no telemetry (offline), the chosen build folder. */
export function nextEnv(distDir: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { ...process.env, NEXT_TELEMETRY_DISABLED: '1', COURSE_DIST_DIR: distDir, ...extra };
}

export async function ensureBuild(options: BuildOptions = {}): Promise<BuildResult> {
  const distDir = options.distDir ?? '.next';
  const hash = sourceHash(REPO_ROOT);
  const complete = fs.existsSync(path.join(COURSE_DIR, distDir, 'BUILD_ID'));
  if (!options.force && complete && builtHash(distDir) === hash) return { built: false, seconds: 0, hash };

  options.log?.(complete ? 'The course changed since the last build: rebuilding the site…' : 'Building the course site (first start only; well under a minute on a quiet machine)…');
  const started = performance.now();
  const output: string[] = [];
  const progress = options.log ? buildProgress(options.log, { ...(options.progressEveryMs ? { everyMs: options.progressEveryMs } : {}) }) : undefined;
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [NEXT_BIN, 'build'], { cwd: COURSE_DIR, env: nextEnv(distDir), stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      output.push(chunk.toString());
      progress?.output(chunk.toString());
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', resolve);
  }).finally(() => progress?.stop());
  if (code !== 0) {
    throw Object.assign(new Error(`next build failed (exit ${code}):\n${output.join('').slice(-4000)}`), {
      code: 'COURSE_BUILD_FAILED',
    });
  }
  fs.writeFileSync(stateFile(distDir), `${JSON.stringify({ hash, at: new Date().toISOString() }, null, 2)}\n`);
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
