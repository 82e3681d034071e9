import type { LabResult } from '../model.ts';
import type { RosterEntry } from './roster.ts';

/** What `mcp-lab grade` hands the class outputs. */

/** A lab being graded: its folder name and the points it is out of (its checks plus any private pack's). */
export interface GradeLab {
  id: string;
  maxScore: number;
}

export interface ClassResults {
  /** The parsed roster, or undefined when `grade` ran without `--roster`. */
  roster: readonly RosterEntry[] | undefined;
  /** Learner folder name → lab folder name → result, for every learner folder found. */
  results: ReadonlyMap<string, Readonly<Partial<Record<string, LabResult>>>>;
  /** The labs graded, in order. */
  labs: readonly GradeLab[];
}

/** One learner as the gradebook and the report show them. */
export interface LearnerRow {
  username: string;
  name: string;
  email: string;
  section: string;
  /** Found in the class folder but not on the roster (never, without a roster). */
  extra: boolean;
  /** Whether a learner folder was found. */
  submitted: boolean;
  /** Lab id → result; absent when the lab was not submitted. */
  labs: ReadonlyMap<string, LabResult>;
  total: number;
  max: number;
  /** `missing submission`, `not in roster`, `missing <lab>`, `error in <lab>`. */
  notes: string[];
}

/**
 * Everyone to list, once: rostered learners in roster order (the instructor's
 * order, often by section), then learners found but not on the roster, by
 * username. Nobody is dropped (issue 5: missing and extra learners are listed).
 */
export function learnerRows(input: ClassResults): LearnerRow[] {
  const rostered = new Set(input.roster?.map((e) => e.username));
  const extras = [...input.results.keys()].filter((u) => !rostered.has(u)).sort(compareText);
  const people = [
    ...(input.roster ?? []).map((e) => ({ username: e.username, name: e.name, email: e.email, section: e.section, extra: false })),
    ...extras.map((username) => ({ username, name: '', email: '', section: '', extra: input.roster !== undefined })),
  ];
  const max = input.labs.reduce((sum, lab) => sum + lab.maxScore, 0);

  return people.map((person) => {
    const found = input.results.get(person.username);
    const labs = new Map<string, LabResult>();
    const notes: string[] = [];
    if (person.extra) notes.push('not in roster');
    if (!found) notes.push('missing submission');
    for (const lab of input.labs) {
      const result = found?.[lab.id];
      if (result) labs.set(lab.id, result);
      else if (found) notes.push(`missing ${lab.id}`);
      if (result?.status === 'error') notes.push(`error in ${lab.id}`);
    }
    const total = [...labs.values()].reduce((sum, r) => sum + r.score, 0);
    return {
      username: person.username,
      name: person.name,
      email: person.email,
      section: person.section,
      extra: person.extra,
      submitted: found !== undefined,
      labs,
      total,
      max,
      notes,
    };
  });
}

/** Code-unit order: the same on every machine and locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
