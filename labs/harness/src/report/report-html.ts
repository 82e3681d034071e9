import type { LabResult } from '../model.ts';
import type { ClassResults, LearnerRow } from './class-results.ts';
import { learnerRows } from './class-results.ts';
import type { CheckStat } from './check-stats.ts';
import { checkStats } from './check-stats.ts';
import { escapeHtml as h } from '@mcp-lab/mock-idp';
import { failedFlowsSection } from './flow-section.ts';

/**
 * `report.html`: the class at a glance for an instructor — who passed what,
 * which checks most learners fail, who is missing, and each failed check's
 * flow as a sequence diagram (inline SVG). One self-contained file:
 * inline CSS, no scripts, no external assets, and a Content-Security-Policy
 * that forbids loading or running anything, so even a mistake in escaping
 * untrusted names cannot run code. Status is always written as a word; colour
 * only repeats it.
 */

export interface ReportOptions {
  /** Shown in the header; pass it for a reproducible file (default: now). */
  generatedAt?: string;
}

const STATUS_WORD = { pass: 'pass', fail: 'fail', error: 'error', missing: 'missing' } as const;
const STATUS_MARK = { pass: '✔', fail: '✘', error: '!', missing: '–' } as const;

export function toReportHtml(input: ClassResults, options: ReportOptions = {}): string {
  const rows = learnerRows(input);
  const stats = checkStats(input);
  const generatedAt = options.generatedAt ?? new Date().toISOString();
  const labNames = input.labs.map((l) => l.id).join(', ');
  const submitted = rows.filter((r) => r.submitted).length;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>Class report — ${h(labNames)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>Class report</h1>
<p class="summary">Labs: <strong>${h(labNames)}</strong> · ${rows.length} learners · ${submitted} with a submission · generated ${h(generatedAt)}</p>
<nav aria-label="Sections"><ul>
<li><a href="#scores">Scores</a></li>
<li><a href="#checks">Checks most learners fail</a></li>
<li><a href="#roster">Roster differences</a></li>
<li><a href="#flows">Failed flows</a></li>
</ul></nav>
${scoresSection(input, rows)}
${checksSection(stats)}
${rosterSection(input, rows)}
${failedFlowsSection(input)}
</main>
</body>
</html>
`;
}

function scoresSection(input: ClassResults, rows: readonly LearnerRow[]): string {
  const head = input.labs.map((lab) => `<th scope="col">${h(lab.id)} <span class="muted">/ ${lab.maxScore}</span></th>`).join('');
  const body = rows
    .map((row) => {
      const name = row.name ? `<span class="name">${h(row.name)}</span>` : '';
      const cells = input.labs.map((lab) => labCell(row.labs.get(lab.id))).join('');
      const notes = row.notes.length > 0 ? h(row.notes.join('; ')) : 'ok';
      return `<tr><th scope="row"><span class="user">${h(row.username)}</span>${name}</th><td>${h(row.section)}</td>${cells}<td class="num">${row.total} / ${row.max}</td><td>${notes}</td></tr>`;
    })
    .join('\n');
  const averages = input.labs
    .map((lab) => {
      const results = rows.flatMap((r) => {
        const result = r.labs.get(lab.id);
        return result ? [result] : [];
      });
      if (results.length === 0) return '<td>no submissions</td>';
      const mean = results.reduce((s, r) => s + r.score, 0) / results.length;
      const passed = results.filter((r) => r.status === 'pass').length;
      return `<td class="num">${round(mean)} avg · ${passed} of ${results.length} pass</td>`;
    })
    .join('');
  return `<section id="scores" aria-labelledby="scores-title">
<h2 id="scores-title">Scores</h2>
<p class="legend">Each cell gives the lab's result and its points: <span class="s-pass">${STATUS_MARK.pass} pass</span> every check passed, <span class="s-fail">${STATUS_MARK.fail} fail</span> a check failed, <span class="s-error">${STATUS_MARK.error} error</span> the checks could not run, <span class="s-missing">${STATUS_MARK.missing} missing</span> nothing submitted.</p>
<div class="scroll" role="region" aria-labelledby="scores-caption" tabindex="0">
<table>
<caption id="scores-caption">Score of every learner in every lab</caption>
<thead><tr><th scope="col">Learner</th><th scope="col">Section</th>${head}<th scope="col">Total</th><th scope="col">Notes</th></tr></thead>
<tbody>
${body}
</tbody>
<tfoot><tr><th scope="row">Class</th><td></td>${averages}<td></td><td></td></tr></tfoot>
</table>
</div>
</section>`;
}

function labCell(result: LabResult | undefined): string {
  if (!result) return `<td class="s-missing">${STATUS_MARK.missing} ${STATUS_WORD.missing}</td>`;
  const status = result.status;
  return `<td class="s-${status} num">${STATUS_MARK[status]} ${STATUS_WORD[status]} ${result.score}/${result.maxScore}</td>`;
}

function checksSection(stats: readonly CheckStat[]): string {
  const body = stats
    .map((s, i) => {
      const percent = Math.round(s.passRate * 100);
      const hidden = s.visibility === 'hidden' ? ' <span class="tag">hidden</span>' : '';
      return `<tr><td class="num">${i + 1}</td><th scope="row"><code>${h(s.id)}</code> ${h(s.title)}${hidden}</th><td class="nowrap">${h(s.lab)}</td><td class="num"><span class="bar" aria-hidden="true"><span style="width:${percent}%"></span></span> ${percent}%</td><td class="num">${s.passed}</td><td class="num">${s.failed}</td><td class="num">${s.errored}</td><td class="num">${s.attempted}</td></tr>`;
    })
    .join('\n');
  const table =
    stats.length === 0
      ? '<p>No results yet.</p>'
      : `<div class="scroll" role="region" aria-labelledby="checks-caption" tabindex="0">
<table>
<caption id="checks-caption">Checks ranked by pass rate, lowest first</caption>
<thead><tr><th scope="col">Rank</th><th scope="col">Check</th><th scope="col">Lab</th><th scope="col">Pass rate</th><th scope="col">Passed</th><th scope="col">Failed</th><th scope="col">Could not run</th><th scope="col">Submitted</th></tr></thead>
<tbody>
${body}
</tbody>
</table>
</div>`;
  return `<section id="checks" aria-labelledby="checks-title">
<h2 id="checks-title">Checks most learners fail</h2>
<p>The checks at the top are the lesson steps to revisit with the class. "Could not run" usually points at the set-up (a server that never started) rather than the step itself.</p>
${table}
</section>`;
}

function rosterSection(input: ClassResults, rows: readonly LearnerRow[]): string {
  if (input.roster === undefined)
    return `<section id="roster" aria-labelledby="roster-title">
<h2 id="roster-title">Roster differences</h2>
<p>No roster was given, so every learner folder found is listed above.</p>
</section>`;
  const extra = rows.filter((r) => r.extra);
  const missing = rows.filter((r) => !r.extra && !r.submitted);
  const list = (people: readonly LearnerRow[]) =>
    people.length === 0
      ? '<p>None.</p>'
      : `<ul>${people.map((p) => `<li><span class="user">${h(p.username)}</span>${p.name ? ` — ${h(p.name)}` : ''}</li>`).join('')}</ul>`;
  return `<section id="roster" aria-labelledby="roster-title">
<h2 id="roster-title">Roster differences</h2>
<h3>Learner folders not in the roster (${extra.length})</h3>
${list(extra)}
<h3>Rostered learners without a submission (${missing.length})</h3>
${list(missing)}
</section>`;
}

function round(n: number): string {
  return String(Math.round(n * 10) / 10);
}

// Colours: dark text on light fills, every pair above WCAG AA's 4.5:1.
const CSS = `
:root{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;background:#fff;line-height:1.45}
main{max-width:80rem;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{margin:.5rem 0}h2{margin-top:2.5rem;border-bottom:1px solid #d1d5db;padding-bottom:.25rem}
nav ul{display:flex;gap:1.25rem;list-style:none;padding:0;margin:.5rem 0 0}
a{color:#1d4ed8}a:focus,.scroll:focus{outline:3px solid #1d4ed8;outline-offset:2px}
.summary,.muted{color:#374151}
.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:.75rem 0;min-width:40rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #d1d5db;padding:.35rem .6rem;text-align:left;vertical-align:top}
thead th{background:#f3f4f6}
tfoot th,tfoot td{background:#f9fafb;font-weight:600}
.num{font-variant-numeric:tabular-nums;white-space:nowrap}
.nowrap{white-space:nowrap}
.user{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.name{display:block;font-weight:400;color:#374151}
.s-pass{background:#dcfce7;color:#14532d}
.s-fail{background:#fee2e2;color:#7f1d1d}
.s-error{background:#fef3c7;color:#713f12}
.s-missing{background:#f3f4f6;color:#374151}
.legend span{padding:0 .3rem;border-radius:.2rem}
.tag{font-size:.8em;border:1px solid #6b7280;border-radius:.2rem;padding:0 .25rem;color:#374151}
.bar{display:inline-block;width:5rem;height:.6rem;background:#e5e7eb;border:1px solid #6b7280;vertical-align:middle}
.bar span{display:block;height:100%;background:#15803d}
.failed-flow{border-top:1px solid #d1d5db;margin-top:1.5rem}
.failed-flow h3{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:1rem}
.failed-flow figure{margin:.5rem 0}
.failed-flow figcaption{color:#374151;font-size:.9em}
.steps li .state{display:inline-block;min-width:6.5rem;font-weight:600}
.st-failed{color:#991b1b}.st-lit{color:#14532d}.st-idle,.st-skipped{color:#4b5563}.st-waiting{color:#78350f}
.exchange dt{font-weight:600;margin-top:.35rem}.exchange dd{margin-left:1rem}
.exchange pre{white-space:pre-wrap;word-break:break-all;background:#f9fafb;border:1px solid #e5e7eb;padding:.4rem;max-height:20rem;overflow:auto}
`;
