import type { ClassResults } from './class-results.ts';

/** How one check fared across the class. */
export interface CheckStat {
  lab: string;
  id: string;
  title: string;
  visibility: 'visible' | 'hidden';
  passed: number;
  failed: number;
  /** Could not run: counted apart, since it may be the grader's problem rather than the learner's. */
  errored: number;
  /** Learners who submitted the lab. */
  attempted: number;
  /** passed / attempted, 0…1. */
  passRate: number;
}

/**
 * Every check of every graded lab with its class-wide pass rate, sorted so the
 * checks most learners fail come first: lowest pass rate, then most learners
 * not passing, then lab and check order.
 */
export function checkStats(input: ClassResults): CheckStat[] {
  const stats: (CheckStat & { labIndex: number; checkIndex: number })[] = [];
  for (const [labIndex, lab] of input.labs.entries()) {
    const byId = new Map<string, (typeof stats)[number]>();
    for (const learner of input.results.values()) {
      const result = learner[lab.id];
      if (!result) continue;
      for (const check of result.checks) {
        let stat = byId.get(check.id);
        if (!stat) {
          stat = {
            lab: lab.id,
            id: check.id,
            title: check.title,
            visibility: check.visibility,
            passed: 0,
            failed: 0,
            errored: 0,
            attempted: 0,
            passRate: 0,
            labIndex,
            checkIndex: byId.size,
          };
          byId.set(check.id, stat);
          stats.push(stat);
        }
        stat.attempted++;
        if (check.status === 'pass') stat.passed++;
        else if (check.status === 'fail') stat.failed++;
        else stat.errored++;
      }
    }
  }
  for (const stat of stats) stat.passRate = stat.attempted === 0 ? 0 : stat.passed / stat.attempted;
  stats.sort(
    (a, b) =>
      a.passRate - b.passRate ||
      b.attempted - b.passed - (a.attempted - a.passed) ||
      a.labIndex - b.labIndex ||
      a.checkIndex - b.checkIndex,
  );
  return stats.map(({ labIndex: _l, checkIndex: _c, ...stat }) => stat);
}
