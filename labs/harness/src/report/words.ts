import type { CheckLang } from '../check-language.ts';

/**
 * Every fixed word a learner reads around the checks, in each language the
 * checks speak: the text report, the CLI's live lines and `hint`, and the
 * per-test text of the JUnit, Exercism and Gradescope files a learner asks
 * for. The checks' own titles and hints come localized with the manifest
 * (check-language.ts); these are the words around them. One table per
 * language, the same keys in each (the type says so), so a label cannot be
 * added in one language only.
 *
 * Two words are the same in both: "Score" and "Hint". Dutch uses both as
 * loanwords, and the Dutch course site labels a check's hint "Hint" too
 * (apps/course/src/components/dashboard-text.ts), so the terminal says what
 * the dashboard says.
 *
 * Not here: the JSON format's `message` of a hidden failure, which is a
 * fixed value of its schema (docs/results-format.md), and the instructor's
 * files (`grade`: report.html, gradebook.csv), which are written for the
 * instructor, in English.
 */
const EN = {
  couldNotBeChecked: (lab: string) => `${lab} could not be checked`,
  couldNotRun: 'The checks could not run.',
  counts: (passed: number, total: number) => `(${passed} of ${total} checks pass)`,
  hiddenSummary: (passed: number, total: number) => `Hidden checks: ${passed} of ${total} pass (graders see which; you see only how many).`,
  score: 'Score',
  firstFailure: 'First failure',
  firstError: 'First error',
  hiddenAdvice: (readme: string) => `Hidden checks test the same steps with other inputs. Reread ${readme} and try the cases the visible checks do not cover.`,
  hint: 'Hint:',
  reread: 'Reread:',
  troubleshooting: 'Troubleshooting:',
  serverOutput: 'Server output (last lines):',
  couldNotRunReason: (message: string) => `could not run: ${message}`,
  next: 'Next:',
  again: (command: string) => `then run \`${command}\` again`,
  fixSetup: (again: string) => `fix the problem above (\`npm run lab -- doctor\` checks your setup), ${again}.`,
  nextLab: (lab: string) => `next lab: ${lab} (\`npm run lab -- start ${lab}\`)`,
  lastLab: 'that was the last lab',
  allPass: (next: string) => `all checks pass — ${next}`,
  hiddenWhat: 'what the hidden check tests',
  fix: (what: string, again: string) => `fix ${what}, ${again}.`,
  /** The only words a learner reads about a failed hidden check (audience.ts says why). */
  hiddenCheckFailed: 'a hidden check failed',
  hiddenCheckFailedOf: (ordinal: number, of: number) => `a hidden check failed (${ordinal} of ${of})`,
  hiddenChecksFailed: (count: number) => `${count} hidden checks failed.`,
  hiddenTestCode: '(hidden check: its code is not shown)',
  // The CLI while the checks run (stderr).
  checking: (lab: string, dir: string) => `Checking ${lab} in ${dir} …`,
  watching: (dir: string, keys: boolean) => `Watching ${dir}. Save a file to re-run the checks${keys ? '; r runs them now, q quits' : '; Ctrl-C quits'}.`,
  // One block of text per failed check (JUnit, Exercism, Gradescope).
  checkFailed: 'The check failed.',
  checkCouldNotRun: 'The check could not run.',
  couldNotRunPrefix: 'Could not run: ',
  serverOutputFull: 'Server output:',
  labCouldNotBeChecked: 'The lab could not be checked.',
  labCouldNotBeCheckedBecause: (why: string) => `The lab could not be checked: ${why}`,
  unknownReason: 'unknown reason',
  labScore: (lab: string, score: number, max: number) => `${lab}: score ${score}/${max}`,
  checksPass: (passed: number, total: number) => `${passed} of ${total} checks pass.`,
  // GitHub Classroom's test list (classroom.ts).
  hiddenCheckNumber: (lab: string, n: number) => `${lab} · hidden check ${n}`,
  notHandedIn: (folder: string) => `not handed in: there is no ${folder} in this commit`,
  // `mcp-lab hint` (lower case, like `key: value` lines).
  hintLine: 'hint:',
  rereadLine: 'reread:',
  nothingLeft: (lab: string, at: string) => `All visible checks of ${lab} pass (last run ${at}): no hint is left.`,
  hiddenLeft: (count: number, readme: string) =>
    `But ${count} hidden check(s) failed: they test the same steps with other inputs. Reread ${readme} and try the cases the visible checks do not cover.`,
  nextLabLine: (lab: string) => `Next: lab ${lab} — \`npm run lab -- start ${lab}\`.`,
  lastLabLine: 'That was the last lab: well done.',
  envNote: 'Note: the checks give your server settings of their own; the server you run yourself reads your .env, which they do not look at. `npm run lab -- doctor` checks it.',
};

export type ReportWords = typeof EN;

const NL: ReportWords = {
  couldNotBeChecked: (lab) => `${lab} kon niet worden gecontroleerd`,
  couldNotRun: 'De controles konden niet draaien.',
  counts: (passed, total) => `(${passed} van ${total} controles geslaagd)`,
  hiddenSummary: (passed, total) => `Verborgen controles: ${passed} van ${total} geslaagd (docenten zien welke; jij ziet alleen hoeveel).`,
  score: 'Score',
  firstFailure: 'Eerste fout',
  firstError: 'Eerste probleem',
  hiddenAdvice: (readme) => `Verborgen controles testen dezelfde stappen met andere invoer. Lees ${readme} opnieuw en probeer de gevallen die de zichtbare controles niet dekken.`,
  hint: 'Hint:',
  reread: 'Lees opnieuw:',
  troubleshooting: 'Probleemoplossing:',
  serverOutput: 'Uitvoer van de server (laatste regels):',
  couldNotRunReason: (message) => `kon niet draaien: ${message}`,
  next: 'Volgende stap:',
  again: (command) => `voer daarna \`${command}\` opnieuw uit`,
  fixSetup: (again) => `los het probleem hierboven op (\`npm run lab -- doctor\` controleert je opstelling), ${again}.`,
  nextLab: (lab) => `volgend lab: ${lab} (\`npm run lab -- start ${lab}\`)`,
  lastLab: 'dat was het laatste lab',
  allPass: (next) => `alle controles geslaagd — ${next}`,
  hiddenWhat: 'wat de verborgen controle test',
  fix: (what, again) => `herstel ${what}, ${again}.`,
  hiddenCheckFailed: 'een verborgen controle is mislukt',
  hiddenCheckFailedOf: (ordinal, of) => `een verborgen controle is mislukt (${ordinal} van ${of})`,
  hiddenChecksFailed: (count) => `${count} verborgen controles zijn mislukt.`,
  hiddenTestCode: '(verborgen controle: de code wordt niet getoond)',
  checking: (lab, dir) => `${lab} controleren in ${dir} …`,
  watching: (dir, keys) => `${dir} wordt gevolgd. Sla een bestand op om de controles opnieuw te draaien${keys ? '; r draait ze nu, q stopt' : '; Ctrl-C stopt'}.`,
  checkFailed: 'De controle is mislukt.',
  checkCouldNotRun: 'De controle kon niet draaien.',
  couldNotRunPrefix: 'Kon niet draaien: ',
  serverOutputFull: 'Uitvoer van de server:',
  labCouldNotBeChecked: 'Het lab kon niet worden gecontroleerd.',
  labCouldNotBeCheckedBecause: (why) => `Het lab kon niet worden gecontroleerd: ${why}`,
  unknownReason: 'onbekende oorzaak',
  labScore: (lab, score, max) => `${lab}: score ${score}/${max}`,
  checksPass: (passed, total) => `${passed} van ${total} controles geslaagd.`,
  hiddenCheckNumber: (lab, n) => `${lab} · verborgen controle ${n}`,
  notHandedIn: (folder) => `niet ingeleverd: er is geen ${folder} in deze commit`,
  hintLine: 'hint:',
  rereadLine: 'lees opnieuw:',
  nothingLeft: (lab, at) => `Alle zichtbare controles van ${lab} zijn geslaagd (laatst gecontroleerd ${at}): er is geen hint meer over.`,
  hiddenLeft: (count, readme) =>
    `Maar ${count} verborgen controle(s) zijn mislukt: die testen dezelfde stappen met andere invoer. Lees ${readme} opnieuw en probeer de gevallen die de zichtbare controles niet dekken.`,
  nextLabLine: (lab) => `Volgende stap: lab ${lab} — \`npm run lab -- start ${lab}\`.`,
  lastLabLine: 'Dat was het laatste lab: goed gedaan.',
  envNote:
    'Let op: de controles geven je server eigen instellingen; de server die je zelf start leest je .env, en daar kijken de controles niet naar. `npm run lab -- doctor` controleert die.',
};

const WORDS: Record<CheckLang, ReportWords> = { en: EN, nl: NL };

/** The learner's fixed words in `lang` (English when none is given). */
export function reportWords(lang: CheckLang = 'en'): ReportWords {
  return WORDS[lang];
}
