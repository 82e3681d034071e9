import type { ClassResults } from './class-results.ts';
import { learnerRows } from './class-results.ts';
import { formatCsv } from './csv.ts';

/**
 * `gradebook.csv`: one row per learner (rostered and extra), columns
 * `username,name,email,section,<lab…>,total,max,status`. A lab cell is the
 * score, empty when the lab was not submitted; `status` is `ok` or the notes
 * joined with "; ". Names and usernames are untrusted: every cell goes through
 * csvCell (quoting and the formula-injection guard).
 */
export function toGradebookCsv(input: ClassResults): string {
  const header = ['username', 'name', 'email', 'section', ...input.labs.map((l) => l.id), 'total', 'max', 'status'];
  const rows = learnerRows(input).map((row) => [
    row.username,
    row.name,
    row.email,
    row.section,
    ...input.labs.map((lab) => {
      const result = row.labs.get(lab.id);
      return result ? result.score : '';
    }),
    row.total,
    row.max,
    row.notes.length > 0 ? row.notes.join('; ') : 'ok',
  ]);
  return formatCsv([header, ...rows]);
}
