import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { LabManifest } from './model.ts';

/**
 * A lab's manifest is data: `labs/<folder>/lab.json`, validated by the
 * LabManifest schema (docs/design.md §5). Reading it needs no TypeScript and
 * imports no check code, so `mcp-lab list` and the course's dashboard read
 * titles without loading a lab's `checks.ts`. This module imports nothing but
 * the schema: the course site bundles it.
 */

export const LAB_FILE = 'lab.json';
export const CHECKS_FILE = 'checks.ts';

const LAB_FOLDER = /^(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)$/;

export interface LabFolder {
  /** `02-public-client` — canonical in every output. */
  id: string;
  number: number;
  slug: string;
  dir: string;
}

/**
 * Every lab folder under `root`, in number order: an `NN-name` folder with a
 * `lab.json` or a `checks.ts` (one without the other is a lab that fails to
 * load, loudly, rather than one nobody sees).
 */
export function labFolders(root: string): LabFolder[] {
  if (!fs.existsSync(root)) return [];
  const isLab = (name: string) => [LAB_FILE, CHECKS_FILE].some((file) => fs.existsSync(path.join(root, name, file)));
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && LAB_FOLDER.test(e.name) && isLab(e.name))
    .map((e) => {
      const [, number, slug] = LAB_FOLDER.exec(e.name)!;
      return { id: e.name, number: Number(number), slug: slug!, dir: path.join(root, e.name) };
    })
    .sort((a, b) => a.number - b.number);
}

export type LabDefinitionCode =
  /** The folder has no lab.json. */
  | 'LAB_MANIFEST_MISSING'
  /** lab.json is not JSON, or not what the schema allows. */
  | 'LAB_MANIFEST_INVALID'
  /** checks.ts does not default-export defineChecks({...}). */
  | 'LAB_CHECKS_INVALID'
  /** lab.json and checks.ts name different checks. */
  | 'LAB_CHECKS_MISMATCH'
  /** An instructor's check pack reuses a check id of the lab. */
  | 'LAB_CHECK_PACK_CLASH';

/** A lab that cannot be loaded as written: what is wrong (`message`) and what to change (`fix`). */
export class LabDefinitionError extends Error {
  readonly code: LabDefinitionCode;
  readonly fix: string;
  constructor(code: LabDefinitionCode, message: string, fix: string) {
    super(message);
    this.name = 'LabDefinitionError';
    this.code = code;
    this.fix = fix;
  }
}

const FORMAT = 'docs/design.md §5 describes lab.json field by field';

function issuesOf(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(lab)'}: ${i.message}`).join('; ');
}

/** Validates a manifest given as data (a parsed lab.json, or an object in a test); `where` names it in the error. */
export function parseLabManifest(raw: unknown, where: string): LabManifest {
  const parsed = LabManifest.safeParse(raw);
  if (!parsed.success) throw new LabDefinitionError('LAB_MANIFEST_INVALID', `The lab manifest ${where} is invalid: ${issuesOf(parsed.error)}.`, `Correct those fields (${FORMAT}).`);
  return parsed.data;
}

/**
 * Reads and validates `<dir>/lab.json`. A lab of the repository has every
 * check's title and hint in English and Dutch (`nl`): a check without Dutch
 * is an invalid manifest here, though a manifest built in code may leave it out.
 */
export function readLabManifest(folder: LabFolder | string): LabManifest {
  const dir = typeof folder === 'string' ? folder : folder.dir;
  const file = path.join(dir, LAB_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new LabDefinitionError('LAB_MANIFEST_MISSING', `${file} does not exist: every lab keeps its manifest there.`, `Write the lab's manifest as ${LAB_FILE} beside its checks.ts (${FORMAT}).`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new LabDefinitionError('LAB_MANIFEST_INVALID', `${file} is not valid JSON: ${(error as Error).message}.`, 'Correct the JSON syntax (an editor with JSON support shows where).');
  }
  const manifest = parseLabManifest(raw, file);
  const untranslated = manifest.checks.filter((c) => !c.nl).map((c) => c.id);
  if (untranslated.length) {
    throw new LabDefinitionError('LAB_MANIFEST_INVALID', `${file}: checks without a Dutch title and hint: ${untranslated.join(', ')}.`, 'Give each of those checks "nl": { "title": "…", "hint": "…" }.');
  }
  return manifest;
}
