import fs from 'node:fs';
import path from 'node:path';
import { checkLanguage, checkSubmission, inLanguage, listLabs, loadLab, type CheckLang, recordLabResult, reportWords, type ReportWords, toExercism, toGradescope, toJson, toJunit, toText, withExtraChecks, type CheckResult, type LabDefinition, type LabResult } from '@mcp-lab/harness';
import { CliError, EXIT } from '../cli-error.ts';
import { idpForRun } from '../lab-run.ts';
import { registrationBeside } from './learner-folders.ts';
import { envNote, progressFile, resolveLab, workDir } from './labs.ts';

export const FORMATS = ['text', 'json', 'junit', 'exercism', 'gradescope'] as const;
export type Format = (typeof FORMATS)[number];

export interface CheckOptions {
  dir?: string;
  format: Format;
  out?: string;
  checks?: string;
  /** `en` or `nl`: the language of the checks' titles and hints (default: from LC_ALL / LC_MESSAGES / LANG). */
  lang?: string;
}

/** The lab, with an instructor's check pack, its checks' titles and hints in the language asked for. */
export async function labFor(name: string, o: { checks?: string; lang?: string }): Promise<LabDefinition> {
  return inLanguage(await withCheckPack(await loadLab(resolveLab(name)), o.checks), checkLanguage(o.lang));
}

/** An instructor's private check pack for this lab: `<DIR>/<lab folder>/checks.ts`. */
export async function withCheckPack(def: LabDefinition, packDir: string | undefined): Promise<LabDefinition> {
  if (!packDir) return def;
  const file = path.join(path.resolve(packDir), def.manifest.id, 'checks.ts');
  if (!fs.existsSync(file)) return def;
  return withExtraChecks(def, await loadLab(path.dirname(file)));
}

export function render(result: LabResult, def: LabDefinition, format: Format, nextLab: string | undefined, lang: CheckLang = 'en'): string {
  const manifest = def.manifest;
  switch (format) {
    case 'json':
      return toJson(result, { audience: 'learner', manifest });
    case 'junit':
      return toJunit(result, { audience: 'learner', manifest, lang });
    case 'exercism':
      return toExercism(result, { manifest, lang });
    case 'gradescope':
      return toGradescope(result, { audience: 'learner', manifest, lang });
    default:
      return toText(result, { color: process.stdout.isTTY && !process.env.NO_COLOR, audience: 'learner', manifest, lang, ...(nextLab ? { nextLab } : {}) });
  }
}

/** One line on stderr as each check ends, in the learner's language (the title comes localized with the manifest). */
export function liveLine(result: CheckResult, words: ReportWords = reportWords()): string {
  if (result.visibility === 'hidden') return result.status === 'pass' ? '' : `  ✘ ${words.hiddenCheckFailed}\n`;
  const mark = result.status === 'pass' ? '✔' : result.status === 'fail' ? '✘' : '!';
  return `  ${mark} ${result.title} (${(result.durationMs / 1000).toFixed(1)} s)\n`;
}

/** Exit codes (docs/design.md §3): 0 every visible check passes, 1 a check failed, 2 could not run. */
export function exitCodeOf(result: LabResult): number {
  // A lab that ran but whose server could not start is the learner's failure (1), not the tool's (2).
  if (result.status === 'error' && result.checks.length === 0) return EXIT.couldNotRun;
  if (result.status === 'error') return EXIT.failed;
  return result.checks.some((c) => c.visibility === 'visible' && c.status !== 'pass') ? EXIT.failed : EXIT.ok;
}

export async function checkOnce(name: string, o: CheckOptions, live: boolean): Promise<LabResult> {
  const lab = resolveLab(name);
  const def = await labFor(name, o);
  const dir = path.resolve(o.dir ?? workDir(lab));
  const words = reportWords(checkLanguage(o.lang));
  const idp = await idpForRun();
  try {
    if (live) process.stderr.write(`${words.checking(lab.id, path.relative(process.cwd(), dir) || dir)}\n`);
    const registration = registrationBeside(dir, lab.id);
    return await checkSubmission(def, dir, { idp, ...(registration ? { registration } : {}), ...(live ? { onCheckEnd: (r: CheckResult) => process.stderr.write(liveLine(r, words)) } : {}) });
  } finally {
    await idp.close();
  }
}

/** `mcp-lab check <lab>`: run the checks, print the result in a format, record progress. */
export async function runCheck(name: string, o: CheckOptions): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(o.format)) throw new CliError('UNKNOWN_FORMAT', `No format '${o.format}'.`, `Use one of: ${FORMATS.join(', ')}.`, EXIT.usage);
  const lab = resolveLab(name);
  const def = await labFor(name, o);
  const result = await checkOnce(name, o, o.format === 'text');
  if (!o.dir) recordLabResult(progressFile(), result);
  const next = listLabs().find((l) => l.number > lab.number)?.id;
  const lang = checkLanguage(o.lang);
  const note = o.format === 'text' && exitCodeOf(result) === EXIT.ok ? envNote(def, lang) : undefined;
  const text = `${render(result, def, o.format, next, lang).trimEnd()}\n${note ? `${note}\n` : ''}`;
  if (o.out) {
    fs.mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
    fs.writeFileSync(o.out, text);
    process.stderr.write(`Wrote ${o.out}\n`);
  } else {
    process.stdout.write(text);
  }
  return exitCodeOf(result);
}
