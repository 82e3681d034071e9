import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { progressFile, ProgressFileError, readProgress, type LabProgress } from '@mcp-lab/harness/progress';
import type { Lang } from '../content/languages.ts';
// The harness's lab.json reader and wording, by relative path: plain source for Next's bundler (as src/flows).
import { labFolders, readLabManifest } from '../../../../labs/harness/src/lab-manifest.ts';
import { serveCommand } from '../../../../labs/harness/src/report/wording.ts';
import { labHome, labsDir, repoRoot } from '../content/paths.ts';
import { fetchIdpInfo, idpBaseUrl, IdpUnreachableError } from './idp.ts';
import { lessonStepLinks } from './lesson-links.ts';
import type { LabSummary } from './run-messages.ts';

export interface DashboardLab extends LabSummary {
  work: { exists: boolean; path: string };
  /** HTTP labs: whether the learner's server answers where its `.env` says it runs. */
  server?: { url: string; running: boolean };
  progress?: LabProgress;
  page?: Record<Lang, string>;
  steps: Record<string, Record<Lang, string>>;
}

export interface DashboardStatus {
  idp: { up: true; baseUrl: string } | { up: false; baseUrl: string; message: string; fix: string };
  labs: DashboardLab[];
  progressError?: string;
}

/**
 * The labs as the dashboard lists them, from each lab's lab.json alone: data
 * the site reads in its own process (the checks' code only ever runs in the
 * lab runner). Read afresh on every request: a lab being written changes.
 */
function labSummaries(): LabSummary[] {
  return labFolders(labsDir()).map((folder) => {
    const manifest = readLabManifest(folder);
    const serve = serveCommand(manifest);
    return {
      id: manifest.id,
      title: manifest.title,
      titleNl: manifest.titleNl,
      transport: manifest.transport,
      ...(serve ? { serveCommand: serve } : {}),
      checks: manifest.checks.map((c) => ({ id: c.id, title: c.title, points: c.points, hint: c.hint, lessonStep: c.lessonStep, visibility: c.visibility, ...(c.nl ? { nl: c.nl } : {}) })),
    };
  });
}

/** `work/`, or MCP_LAB_WORK_DIR as the harness reads it. */
export function workRoot(): string {
  return process.env.MCP_LAB_WORK_DIR ? path.resolve(process.env.MCP_LAB_WORK_DIR) : path.join(repoRoot(), 'work');
}

function readLabProgress(): { labs: Record<string, LabProgress>; error?: string } {
  try {
    return { labs: readProgress(progressFile(labHome())).labs };
  } catch (error) {
    return { labs: {}, error: error instanceof ProgressFileError ? `${error.message} ${error.fix}` : (error as Error).message };
  }
}

/** Where a working copy's HTTP server runs: PUBLIC_URL, else http://localhost:PORT from its `.env` (the lab's defaults otherwise). */
function serverUrl(workDir: string): string {
  let text = '';
  try {
    text = fs.readFileSync(path.join(workDir, '.env'), 'utf8');
  } catch {
    // no .env: the defaults
  }
  // Read as the server reads it (process.loadEnvFile uses the same parser).
  const env = parseEnv(text);
  return (env.PUBLIC_URL || `http://localhost:${env.PORT || '3001'}`).replace(/\/+$/, '');
}

/** Any HTTP answer means the server runs; a refused or silent port means it does not. */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1500), redirect: 'manual', cache: 'no-store' });
    return true;
  } catch {
    return false;
  }
}

/** Everything the dashboard shows at a glance: the IdP, each lab, its working copy and the last recorded result. */
export async function dashboardStatus(): Promise<DashboardStatus> {
  const labs = labSummaries();
  const info = await fetchIdpInfo().catch((error: unknown) => error as Error);
  const progress = readLabProgress();
  return {
    idp:
      info instanceof Error
        ? { up: false, baseUrl: idpBaseUrl(), message: info.message, fix: info instanceof IdpUnreachableError ? info.fix : 'Restart the lab with `npm start`.' }
        : { up: true, baseUrl: info.baseUrl },
    labs: await Promise.all(
      labs.map(async (lab) => {
        const links = lessonStepLinks(lab.id, [...new Set(lab.checks.map((c) => c.lessonStep))]);
        const dir = path.join(workRoot(), lab.id);
        const entry = progress.labs[lab.id];
        const url = lab.transport === 'http' ? serverUrl(dir) : undefined;
        return {
          ...lab,
          work: { exists: fs.existsSync(dir), path: dir },
          ...(url ? { server: { url, running: await answers(url) } } : {}),
          ...(entry ? { progress: entry } : {}),
          ...(links ? { page: links.page } : {}),
          steps: links?.steps ?? {},
        };
      }),
    ),
    ...(progress.error ? { progressError: progress.error } : {}),
  };
}
