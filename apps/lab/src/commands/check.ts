import fs from 'node:fs';
import path from 'node:path';
import { checkLab, checkLanguage, listLabs, openLab, reportWords, type ReportWords, toExercism, toGradescope, toJson, toJunit, toText, type CheckedLab, type CheckLang, type CheckResult, type LabDefinition, type LabResult, type OpenLab } from '@mcp-lab/harness';
import { CliError, EXIT } from '../cli-error.ts';
import { idpForRun } from '../lab-run.ts';
import { envNote, progressFile, resolveLab } from './labs.ts';

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

/** The lab, loaded once for the verb, with an instructor's check pack, its checks' titles and hints in the language asked for. */
export function labFor(name: string, o: { checks?: string; lang?: string }): Promise<OpenLab> {
  return openLab(resolveLab(name), { ...(o.checks ? { checkPack: o.checks } : {}), lang: checkLanguage(o.lang) });
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

/**
 * One run of the checks, as `check` and `watch` do it (the harness's checkLab):
 * progress is recorded for the working copy, not for another folder (`--dir`).
 */
export async function checkOnce(lab: OpenLab, o: CheckOptions, live: boolean): Promise<CheckedLab> {
  const words = reportWords(checkLanguage(o.lang));
  const checked = await checkLab(lab, {
    ...(o.dir ? { dir: o.dir } : { progressFile: progressFile() }),
    idp: () => idpForRun(),
    ...(live
      ? {
          onStart: ({ dir }: { dir: string }) => {
            process.stderr.write(`${words.checking(lab.folder.id, path.relative(process.cwd(), dir) || dir)}\n`);
          },
          onCheckEnd: (r: CheckResult) => {
            process.stderr.write(liveLine(r, words));
          },
        }
      : {}),
  });
  const { recorded, notRecorded } = checked;
  if (recorded?.setAside) process.stderr.write(`note: ${progressFile()} could not be read; it is kept as ${recorded.setAside}, and a new one holds this result.\n`);
  if (notRecorded) process.stderr.write(`note ${notRecorded.code}: ${notRecorded.message} This result is not saved in your progress.\nfix: ${notRecorded.fix}\n`);
  return checked;
}

/** `mcp-lab check <lab>`: run the checks, print the result in a format, record progress. */
export async function runCheck(name: string, o: CheckOptions): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(o.format)) throw new CliError('UNKNOWN_FORMAT', `No format '${o.format}'.`, `Use one of: ${FORMATS.join(', ')}.`, EXIT.usage);
  const lab = await labFor(name, o);
  const { result } = await checkOnce(lab, o, o.format === 'text');
  const next = listLabs().find((l) => l.number > lab.folder.number)?.id;
  const lang = checkLanguage(o.lang);
  const note = o.format === 'text' && exitCodeOf(result) === EXIT.ok ? envNote(lab.definition, lang) : undefined;
  const text = `${render(result, lab.definition, o.format, next, lang).trimEnd()}\n${note ? `${note}\n` : ''}`;
  if (o.out) {
    fs.mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
    fs.writeFileSync(o.out, text);
    process.stderr.write(`Wrote ${o.out}\n`);
  } else {
    process.stdout.write(text);
  }
  return exitCodeOf(result);
}
