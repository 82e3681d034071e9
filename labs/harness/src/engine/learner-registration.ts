import fs from 'node:fs';
import path from 'node:path';
import { SEED, type AppRegistration } from '@mcp-lab/mock-idp';
import { AdminRequestError } from './admin-client.ts';
import type { LabIdp } from './lab-idp.ts';

/**
 * The app registration a learner handed in for lab 01 (its `app-manifest.json`),
 * used by the later labs of a grading run instead of the lab's seeded app.
 *
 * An app ID is unique in an IdP, and two learners may hand in the same one
 * (a copied manifest). So a run holds its registration's app ID for itself:
 * runs with the same app ID wait for each other (in this process), each
 * imports the manifest it was given, and removes what it imported when it
 * ends. Nobody is ever graded on another learner's registration.
 */

export interface HeldRegistration {
  appId: string;
  /** Set when the app is in the IdP for this run (imported by it). */
  imported: boolean;
  /** Why the manifest could not be used (then `imported` is false). */
  problem?: string;
  /** Removes what this run imported (when asked to) and lets the next run with this app ID go; never throws. */
  release(options?: { removeIfNew?: boolean }): Promise<void>;
}

const held = new Map<string, Promise<void>>();

/** Waits until no other run of this process holds `appId`, then holds it. */
async function hold(appId: string): Promise<() => void> {
  const key = appId.toLowerCase();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  for (;;) {
    const other = held.get(key);
    if (!other) break;
    await other;
  }
  held.set(key, mine);
  return () => {
    if (held.get(key) === mine) held.delete(key);
    release();
  };
}

function appIdOf(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text.replace(/^\uFEFF/, '')) as { appId?: unknown };
    return typeof parsed.appId === 'string' && /^[0-9a-f-]{36}$/i.test(parsed.appId) ? parsed.appId : undefined;
  } catch {
    return undefined;
  }
}

async function exists(idp: LabIdp, appId: string): Promise<boolean> {
  const { value } = await idp.admin<{ value: AppRegistration[] }>('GET', '/apps');
  return value.some((a) => a.appId.toLowerCase() === appId.toLowerCase());
}

/**
 * Holds the app ID of the manifest in `file` for one run and, with `importIt`,
 * imports the manifest into the (ephemeral) IdP. Without `importIt` (lab 01,
 * whose own check imports it) the run only holds the app ID, and `release`
 * removes the app if the run left one behind that was not there before.
 * Undefined when the file has no usable app ID (the lab 01 checks say why).
 */
export async function holdRegistration(idp: LabIdp, file: string, options: { importIt: boolean }): Promise<HeldRegistration | undefined> {
  if (!idp.ephemeral || !fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  const appId = appIdOf(text);
  if (!appId) return undefined;
  if (Object.values(SEED.apps).some((a) => a.appId.toLowerCase() === appId.toLowerCase())) {
    return { appId, imported: false, problem: `the lab 01 manifest names the lab's ready-made app ${appId}, not a registration of the learner's own`, release: () => Promise.resolve() };
  }
  const unhold = await hold(appId);
  let there: boolean;
  try {
    there = await exists(idp, appId);
  } catch (error) {
    unhold();
    throw error;
  }
  let imported = false;
  let problem: string | undefined;
  if (options.importIt && !there) {
    try {
      await idp.admin('POST', '/apps/import', JSON.parse(text.replace(/^\uFEFF/, '')));
      imported = true;
    } catch (error) {
      const said = error instanceof AdminRequestError ? `${error.code}: ${error.message}` : (error as Error).message;
      problem = `the IdP refused the lab 01 manifest (${said.slice(0, 300)})`;
    }
  } else if (options.importIt) {
    // Left by a run outside this process (an IdP shared with another grader): not ours to use or remove.
    problem = `the app ${appId} is already in the IdP, registered by someone else`;
  }
  return {
    appId,
    imported,
    ...(problem ? { problem } : {}),
    release: async ({ removeIfNew = true } = {}) => {
      try {
        if (removeIfNew && !there && (await exists(idp, appId))) await idp.admin('DELETE', `/apps/${appId}`);
      } catch {
        // The IdP is going away with the run; nothing to keep consistent.
      } finally {
        unhold();
      }
    },
  };
}

/** The lab whose hand-in is the learner's app registration (its app-manifest.json), used by the later labs. */
const REGISTRATION_LAB = '01-register-app';

/**
 * The registration for a lab folder that sits in a work tree (beside
 * `01-register-app/`), as `check`, `grade` and the site use it: lab 01 itself
 * only holds its own manifest's app ID; the later labs import it.
 */
export function registrationBeside(labDir: string, labId: string): { file: string; importIt: boolean } {
  if (labId === REGISTRATION_LAB) return { file: path.join(labDir, 'app-manifest.json'), importIt: false };
  return { file: path.join(path.dirname(labDir), REGISTRATION_LAB, 'app-manifest.json'), importIt: true };
}
