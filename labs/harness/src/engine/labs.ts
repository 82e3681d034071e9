import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LabDefinition } from '../define-lab.ts';
import { withTranslations } from '../check-language.ts';
import { REPO_ROOT } from '../process/repo-root.ts';

/** The labs; `MCP_LAB_LABS_DIR` points elsewhere (the engine's own tests use fixture labs). */
export const LABS_ROOT = process.env.MCP_LAB_LABS_DIR ? path.resolve(process.env.MCP_LAB_LABS_DIR) : path.join(REPO_ROOT, 'labs');
/** The learner's working copies; `MCP_LAB_WORK_DIR` points elsewhere (tests). */
export const WORK_ROOT = process.env.MCP_LAB_WORK_DIR ? path.resolve(process.env.MCP_LAB_WORK_DIR) : path.join(REPO_ROOT, 'work');

const LAB_FOLDER = /^(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)$/;

export interface LabFolder {
  /** `02-public-client` — canonical in every output. */
  id: string;
  number: number;
  slug: string;
  dir: string;
}

export class UnknownLabError extends Error {
  readonly code = 'UNKNOWN_LAB';
  readonly fix: string;
  constructor(name: string, known: LabFolder[]) {
    super(`There is no lab '${name}'.`);
    this.fix = known.length ? `Use one of: ${known.map((l) => `${l.id} (or ${l.number}, ${l.slug})`).join(', ')}.` : 'This checkout has no labs yet.';
  }
}

/** Every lab folder under `root` that has a `checks.ts`, in number order. */
export function listLabs(root = LABS_ROOT): LabFolder[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && LAB_FOLDER.test(e.name) && fs.existsSync(path.join(root, e.name, 'checks.ts')))
    .map((e) => {
      const [, number, slug] = LAB_FOLDER.exec(e.name)!;
      return { id: e.name, number: Number(number), slug: slug!, dir: path.join(root, e.name) };
    })
    .sort((a, b) => a.number - b.number);
}

/** A lab named as docs/design.md §2 allows: `02`, `2`, `02-public-client` or `public-client`. */
export function findLab(name: string, root = LABS_ROOT): LabFolder {
  const labs = listLabs(root);
  const wanted = name.trim().toLowerCase();
  const lab = labs.find((l) => l.id === wanted || l.slug === wanted || (/^\d+$/.test(wanted) && l.number === Number(wanted)));
  if (!lab) throw new UnknownLabError(name, labs);
  return lab;
}

/** Loads a lab's `checks.ts` (its default export is a `defineLab(...)` result), with its checks' Dutch from `checks.nl.json`. */
export async function loadLab(folder: LabFolder | string): Promise<LabDefinition> {
  const dir = typeof folder === 'string' ? folder : folder.dir;
  const module = (await import(pathToFileURL(path.join(dir, 'checks.ts')).href)) as { default?: LabDefinition };
  if (!module.default?.manifest) throw new Error(`${path.join(dir, 'checks.ts')} must default-export defineLab({...}).`);
  return withTranslations(module.default, dir);
}
