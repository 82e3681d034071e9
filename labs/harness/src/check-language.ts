import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { LabDefinition } from './define-lab.ts';
import { LabDefinitionError } from './define-lab.ts';
import type { CheckMeta, LabManifest } from './model.ts';

/**
 * The languages a lab's checks speak. English lives in `checks.ts`; every
 * other language lives beside it in `checks.<lang>.json`, one entry per check
 * id (`{ "<check id>": { "title": "…", "hint": "…" } }`), merged into the
 * manifest when the lab is loaded (loadLab).
 */
export const CHECK_LANGUAGES = ['en', 'nl'] as const;
export type CheckLang = (typeof CHECK_LANGUAGES)[number];

export const CheckTranslation = z.strictObject({ title: z.string().min(1), hint: z.string().min(1) });
export type CheckTranslation = z.infer<typeof CheckTranslation>;
export const CheckTranslations = z.record(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'check ids are kebab-case'), CheckTranslation);

/** The file that holds a lab's checks in `lang` (for a lang other than English). */
export function translationFile(labDir: string, lang: Exclude<CheckLang, 'en'>): string {
  return path.join(labDir, `checks.${lang}.json`);
}

/**
 * Reads `checks.nl.json` (when there is one) and puts each entry on its check
 * as `nl`. A malformed file or an entry for a check the lab does not have is
 * an error in the lab, reported like an invalid manifest; a check without an
 * entry keeps only its English (a test holds the repo's labs to having all).
 */
export function withTranslations(def: LabDefinition, labDir: string): LabDefinition {
  const file = translationFile(labDir, 'nl');
  if (!fs.existsSync(file)) return def;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new LabDefinitionError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = CheckTranslations.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
    throw new LabDefinitionError(`${file} is invalid: ${issues}`);
  }
  const ids = new Set(def.manifest.checks.map((c) => c.id));
  const unknown = Object.keys(parsed.data).filter((id) => !ids.has(id));
  if (unknown.length) throw new LabDefinitionError(`${file} names checks ${def.manifest.id} does not have: ${unknown.join(', ')}.`);
  const checks = def.manifest.checks.map((c): CheckMeta => {
    const nl = parsed.data[c.id];
    return nl ? { ...c, nl } : c;
  });
  return { ...def, manifest: { ...def.manifest, checks } };
}

/** A check's title and hint in `lang` (English when it has none in that language). */
export function checkText(check: CheckMeta, lang: CheckLang): CheckTranslation {
  const own = lang === 'nl' ? check.nl : undefined;
  return own ?? { title: check.title, hint: check.hint };
}

/** The lab with its checks' titles and hints in `lang`: what the checks then report, in every format. */
export function inLanguage(def: LabDefinition, lang: CheckLang): LabDefinition {
  if (lang === 'en') return def;
  const manifest: LabManifest = { ...def.manifest, checks: def.manifest.checks.map((c) => ({ ...c, ...checkText(c, lang) })) };
  return { ...def, manifest };
}

/**
 * The language a learner asked for: `--lang` when given, else the locale
 * (LC_ALL, then LC_MESSAGES, then LANG, as POSIX orders them): `nl`,
 * `nl_NL.UTF-8` and `nl-BE` are Dutch; anything else is English.
 */
export function checkLanguage(option: string | undefined, env: NodeJS.ProcessEnv = process.env): CheckLang {
  const wanted = option ?? (env.LC_ALL || env.LC_MESSAGES || env.LANG || '');
  return /^nl([_.@-]|$)/i.test(wanted.trim()) ? 'nl' : 'en';
}

export function isCheckLang(value: string): value is CheckLang {
  return (CHECK_LANGUAGES as readonly string[]).includes(value);
}
