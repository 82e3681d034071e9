import { z } from 'zod';
import type { CheckMeta, LabManifest } from './model.ts';

/**
 * The languages a lab's checks speak: each check in lab.json has its title
 * and hint in English, and in Dutch as its `nl` (docs/design.md §5).
 */
export const CHECK_LANGUAGES = ['en', 'nl'] as const;
export type CheckLang = (typeof CHECK_LANGUAGES)[number];

export const CheckTranslation = z.strictObject({ title: z.string().min(1), hint: z.string().min(1) });
export type CheckTranslation = z.infer<typeof CheckTranslation>;

/** A check's title and hint in `lang` (English when it has none in that language). */
export function checkText(check: CheckMeta, lang: CheckLang): CheckTranslation {
  const own = lang === 'nl' ? check.nl : undefined;
  return own ?? { title: check.title, hint: check.hint };
}

/** The lab (or its manifest alone) with its checks' titles and hints in `lang`: what the checks then report, in every format. */
export function inLanguage<T extends { manifest: LabManifest }>(def: T, lang: CheckLang): T {
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
