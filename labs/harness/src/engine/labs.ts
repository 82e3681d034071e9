import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isLabChecks, joinLab, LabDefinitionError, type LabDefinition } from '../define-lab.ts';
import { REPO_ROOT } from '../process/repo-root.ts';
import { CHECKS_FILE, labFolders, readLabManifest, type LabFolder } from '../lab-manifest.ts';

export type { LabFolder } from '../lab-manifest.ts';

/** The labs; `MCP_LAB_LABS_DIR` points elsewhere (the engine's own tests use fixture labs). */
export const LABS_ROOT = process.env.MCP_LAB_LABS_DIR ? path.resolve(process.env.MCP_LAB_LABS_DIR) : path.join(REPO_ROOT, 'labs');
/** The learner's working copies; `MCP_LAB_WORK_DIR` points elsewhere (tests). */
export const WORK_ROOT = process.env.MCP_LAB_WORK_DIR ? path.resolve(process.env.MCP_LAB_WORK_DIR) : path.join(REPO_ROOT, 'work');

export class UnknownLabError extends Error {
  readonly code = 'UNKNOWN_LAB';
  readonly fix: string;
  constructor(name: string, known: LabFolder[]) {
    super(`There is no lab '${name}'.`);
    this.fix = known.length ? `Use one of: ${known.map((l) => `${l.id} (or ${l.number}, ${l.slug})`).join(', ')}.` : 'This checkout has no labs yet.';
  }
}

/** Every lab folder under `root` (default: this repository's labs), in number order (lab-manifest.ts). */
export function listLabs(root = LABS_ROOT): LabFolder[] {
  return labFolders(root);
}

/** A lab named as docs/design.md §2 allows: `02`, `2`, `02-public-client` or `public-client`. */
export function findLab(name: string, root = LABS_ROOT): LabFolder {
  const labs = listLabs(root);
  const wanted = name.trim().toLowerCase();
  const lab = labs.find((l) => l.id === wanted || l.slug === wanted || (/^\d+$/.test(wanted) && l.number === Number(wanted)));
  if (!lab) throw new UnknownLabError(name, labs);
  return lab;
}

/**
 * Loads a lab: its manifest (lab.json) joined with its checks' code
 * (checks.ts, whose default export is `defineChecks({...})`). Throws a
 * LabDefinitionError (code, message, fix) when either is missing or invalid,
 * or when they name different checks.
 */
export async function loadLab(folder: LabFolder | string): Promise<LabDefinition> {
  const dir = typeof folder === 'string' ? folder : folder.dir;
  const manifest = readLabManifest(dir);
  const file = path.join(dir, CHECKS_FILE);
  if (!fs.existsSync(file)) throw new LabDefinitionError('LAB_CHECKS_INVALID', `${file} does not exist.`, `Write the code of ${manifest.id}'s checks there: \`export default defineChecks({ '<check id>': async (ctx) => {…} })\`.`);
  const exported = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
  if (!isLabChecks(exported)) {
    const inline = typeof exported === 'object' && exported !== null && 'manifest' in exported;
    throw new LabDefinitionError(
      'LAB_CHECKS_INVALID',
      `${file} must default-export defineChecks({...})${inline ? ', not defineLab({...}): the manifest lives in lab.json now' : ''}.`,
      inline
        ? 'Move everything but the run functions into lab.json (docs/design.md §5, Dutch titles and hints as each check\'s "nl"), and export default defineChecks({ \'<check id>\': run, … }).'
        : "End checks.ts with `export default defineChecks({ '<check id>': async (ctx) => {…}, … })`, one run per check in lab.json.",
    );
  }
  return joinLab(manifest, exported, manifest.id);
}
