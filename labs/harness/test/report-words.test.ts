import { describe, expect, it } from 'vitest';
import { hiddenSummary } from '../src/report/text.ts';
import { reportWords, type ReportWords } from '../src/report/words.ts';
import { toClassroomResult, toExercism, toGradescope, toJunit, toText, type LabResult } from '../src/index.ts';
import { check, hiddenCheck, LAB, manifest, mixedResult, result } from './report-fixtures.ts';

/**
 * A Dutch learner reads no English fixed word around the checks. The English
 * words are taken from the English table itself (each entry evaluated with
 * marker arguments and cut at them), so a label added later is covered
 * without touching this test; words both languages share (Score, Hint) are
 * left out, as are fragments shorter than four letters.
 */
const MARK = '\u0001';

function fragments(words: ReportWords): Set<string> {
  const out = new Set<string>();
  for (const value of Object.values(words) as unknown[]) {
    const text = typeof value === 'function' ? String((value as (...a: unknown[]) => unknown)(MARK, MARK, MARK)) : String(value);
    for (const part of text.split(MARK)) {
      const trimmed = part.trim().replace(/^[(),.;:—-]+|[(),.;:—-]+$/g, '').trim();
      if ((trimmed.match(/[a-z]/gi) ?? []).length >= 4) out.add(trimmed);
    }
  }
  return out;
}

const dutch = fragments(reportWords('nl'));
const englishOnly = [...fragments(reportWords('en'))].filter((f) => !dutch.has(f) && ![...dutch].some((d) => d.includes(f)));

function englishIn(text: string): string[] {
  return englishOnly.filter((f) => text.includes(f));
}

/** A lab that did not run (with a message), so the error wording shows too. */
function erroredResult(): LabResult {
  return result([], { status: 'error', message: 'The server did not start within 20 s.' });
}

/** Two hidden failures, so the numbered name ("… (1 of 2)") shows. */
function twoHidden(): LabResult {
  return result([check({ id: 'profile-returned' }), check({ id: 'silent-second-call', status: 'fail', points: 0, message: 'm', output: 'o\n' }), hiddenCheck('fail'), { ...hiddenCheck('error'), id: 'secret-two' }]);
}

function everyLearnerOutput(lang: 'en' | 'nl'): string {
  const outputs: string[] = [];
  for (const r of [mixedResult(), erroredResult(), twoHidden(), result([check({ id: 'profile-returned' })])]) {
    outputs.push(toText(r, { color: false, audience: 'learner', lang, nextLab: '03-confidential-client' }));
    outputs.push(toText(r, { color: false, audience: 'learner', lang }));
    outputs.push(toJunit(r, { audience: 'learner', lang }));
    outputs.push(toExercism(r, { lang }));
    outputs.push(toGradescope(r, { audience: 'learner', lang }));
    outputs.push(hiddenSummary(r.checks, reportWords(lang)) ?? '');
  }
  // GitHub Classroom's list: a hidden check, a failure with its hint, a lab that did not run, a lab not handed in.
  const meta = manifest(['profile-returned', 'silent-second-call']).checks;
  const labs = [
    { id: LAB, checks: [...meta, { ...meta[0]!, id: 'secret-pangolin', visibility: 'hidden' as const }], folder: `work/${LAB}` },
    { id: '03-confidential-client', checks: meta, folder: 'work/03-confidential-client' },
  ];
  outputs.push(JSON.stringify(toClassroomResult(labs, { [LAB]: twoHidden() }, lang)));
  outputs.push(JSON.stringify(toClassroomResult(labs.slice(0, 1), { [LAB]: { ...erroredResult(), lab: LAB } }, lang)));
  return outputs.join('\n');
}

describe('the fixed words around the checks follow the learner’s language', () => {
  it('the two tables have the same entries', () => {
    expect(Object.keys(reportWords('nl')).sort()).toEqual(Object.keys(reportWords('en')).sort());
  });

  it('the list of English-only words is not empty, and the English outputs use them (the test can fail)', () => {
    expect(englishOnly.length).toBeGreaterThan(20);
    const english = everyLearnerOutput('en');
    for (const label of ['First failure', 'Reread', 'a hidden check failed', 'could not be checked', 'checks pass', 'Next', 'hidden check 3', 'not handed in']) expect(english).toContain(label);
  });

  it('text, JUnit, Exercism, Gradescope and Classroom in Dutch: Dutch labels, no English one', () => {
    const text = everyLearnerOutput('nl');
    expect(englishIn(text)).toEqual([]);
    for (const label of ['Eerste fout', 'Lees opnieuw:', 'een verborgen controle is mislukt (1 van 2)', 'kon niet worden gecontroleerd', 'controles geslaagd', 'Volgende stap:', 'volgend lab: 03-confidential-client', 'Uitvoer van de server', 'verborgen controle 3', 'niet ingeleverd'])
      expect(text).toContain(label);
  });

  it('the CLI’s own lines (watch, live, hint, nothing left) have Dutch counterparts with no English in them', () => {
    const nl = reportWords('nl');
    const lines = [
      nl.checking('02-public-client', 'work/02-public-client'),
      nl.watching('work/02-public-client', true),
      nl.watching('work/02-public-client', false),
      `${nl.hintLine} x\n${nl.rereadLine} y`,
      nl.nothingLeft('02-public-client', '2026-12-06 01:00'),
      nl.hiddenLeft(2, 'labs/02-public-client/README.md'),
      nl.nextLabLine('03-confidential-client'),
      nl.lastLabLine,
      nl.envNote,
    ].join('\n');
    expect(englishIn(lines)).toEqual([]);
  });
});
