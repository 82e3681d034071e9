import { describe, expect, it } from 'vitest';
import type { LabResult } from '../src/model.ts';
import type { ClassResults } from '../src/report/class-results.ts';
import { checkStats } from '../src/report/check-stats.ts';
import { parseCsv } from '../src/report/csv.ts';
import { toGradebookCsv } from '../src/report/gradebook.ts';
import { toReportHtml } from '../src/report/report-html.ts';
import { parseRoster } from '../src/report/roster.ts';
import { check, hiddenCheck, result } from './report-fixtures.ts';

const LAB1 = '01-register-app';
const LAB2 = '02-public-client';

function lab1(status: 'pass' | 'fail'): LabResult {
  return result([check({ id: 'single-tenant' }), check({ id: 'no-secret-committed', status, points: status === 'pass' ? 2 : 0 })], { lab: LAB1 });
}
function lab2(passing: boolean): LabResult {
  return result(
    [check({ id: 'profile-returned', status: passing ? 'pass' : 'fail', points: passing ? 2 : 0 }), check({ id: 'silent-second-call' }), hiddenCheck(passing ? 'pass' : 'fail')],
    { lab: LAB2 },
  );
}

const roster = parseRoster(
  [
    'username,name,email,section',
    'alice,"Smith, Alice",alice@school.test,A',
    'bob,=HYPERLINK("http://evil.test"),bob@school.test,B',
    'carol,Carol,carol@school.test,A',
  ].join('\r\n'),
);

function classResults(): ClassResults {
  return {
    roster,
    labs: [
      { id: LAB1, maxScore: 4 },
      { id: LAB2, maxScore: 7 },
    ],
    results: new Map<string, Partial<Record<string, LabResult>>>([
      ['alice', { [LAB1]: lab1('pass'), [LAB2]: lab2(true) }],
      ['bob', { [LAB1]: lab1('fail') }],
      ['<script>alert(1)</script>', { [LAB1]: lab1('fail'), [LAB2]: { ...lab2(false), status: 'error', message: 'hung' } }],
      ['dave', { [LAB1]: lab1('pass'), [LAB2]: lab2(false) }],
    ]),
  };
}

describe('toGradebookCsv', () => {
  const rows = parseCsv(toGradebookCsv(classResults())).map((r) => r.fields);

  it('has the contract columns: username,name,email,section,<labs>,total,max,status', () => {
    expect(rows[0]).toEqual(['username', 'name', 'email', 'section', LAB1, LAB2, 'total', 'max', 'status']);
  });

  it('lists rostered learners in roster order, then learners not in the roster', () => {
    expect(rows.slice(1).map((r) => r[0])).toEqual(['alice', 'bob', 'carol', '<script>alert(1)</script>', 'dave']);
    expect(rows).toHaveLength(6);
  });

  it('gives each lab’s score, empty when missing, the total, the max and a status', () => {
    const byUser = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(byUser.get('alice')).toEqual(['alice', 'Smith, Alice', 'alice@school.test', 'A', '4', '7', '11', '11', 'ok']);
    expect(byUser.get('bob')?.slice(4)).toEqual(['2', '', '2', '11', `missing ${LAB2}`]);
    expect(byUser.get('carol')?.slice(4)).toEqual(['', '', '0', '11', 'missing submission']);
    expect(byUser.get('dave')?.slice(4)).toEqual(['4', '2', '6', '11', 'not in roster']);
    expect(byUser.get('<script>alert(1)</script>')?.at(-1)).toBe(`not in roster; error in ${LAB2}`);
  });

  it('defuses a formula in an untrusted cell', () => {
    expect(rows[2]![1]).toBe(`'=HYPERLINK("http://evil.test")`);
  });

  it('works without a roster: everyone found, nobody flagged', () => {
    const csv = parseCsv(toGradebookCsv({ ...classResults(), roster: undefined })).map((r) => r.fields);
    expect(csv.slice(1).map((r) => r[0])).toEqual(['<script>alert(1)</script>', 'alice', 'bob', 'dave']);
    expect(csv.find((r) => r[0] === 'dave')?.at(-1)).toBe('ok');
  });
});

describe('checkStats', () => {
  it('ranks the checks most learners fail first: lowest pass rate, then most failing, then lab and check order', () => {
    const stats = checkStats(classResults());
    expect(stats.map((s) => `${s.lab}/${s.id} ${s.passed}/${s.attempted}`)).toEqual([
      `${LAB2}/profile-returned 1/3`,
      `${LAB2}/secret-pangolin 1/3`,
      `${LAB1}/no-secret-committed 2/4`,
      `${LAB1}/single-tenant 4/4`,
      `${LAB2}/silent-second-call 3/3`,
    ]);
    expect(stats[2]).toMatchObject({ failed: 2, errored: 0, passRate: 0.5 });
  });

  it('puts the check more learners fail first when pass rates tie', () => {
    const failing = (id: string) => check({ id, status: 'fail', points: 0 });
    const input: ClassResults = {
      roster: undefined,
      labs: [{ id: LAB1, maxScore: 4 }],
      results: new Map([
        ['a', { [LAB1]: result([check({ id: 'few' }), check({ id: 'many' })], { lab: LAB1 }) }],
        ['b', { [LAB1]: result([failing('few'), check({ id: 'many' })], { lab: LAB1 }) }],
        ['c', { [LAB1]: result([failing('many')], { lab: LAB1 }) }],
        ['d', { [LAB1]: result([failing('many')], { lab: LAB1 }) }],
      ]),
    };
    expect(checkStats(input).map((s) => `${s.id} ${s.passed}/${s.attempted}`)).toEqual(['many 2/4', 'few 1/2']);
  });
});

describe('toReportHtml', () => {
  const html = toReportHtml(classResults(), { generatedAt: '2025-03-04T05:06:07Z' });

  it('is a self-contained, accessible page', () => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
    expect(html).toContain('<caption id="scores-caption">');
    expect(html).toContain('<th scope="col">Learner</th>');
    expect(html).toContain('<th scope="row">');
  });

  it('escapes untrusted names', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('=HYPERLINK(&quot;http://evil.test&quot;)');
  });

  it('writes each result as a word, not colour alone', () => {
    expect(html).toContain('<td class="s-pass num">✔ pass 4/4</td>');
    expect(html).toContain('<td class="s-fail num">✘ fail 2/4</td>');
    expect(html).toContain('<td class="s-error num">! error 2/7</td>');
    expect(html).toContain('<td class="s-missing">– missing</td>');
  });

  it('ranks the checks most learners fail at the top', () => {
    const section = html.slice(html.indexOf('id="checks"'), html.indexOf('id="roster"'));
    const order = ['profile-returned', 'secret-pangolin', 'no-secret-committed', 'single-tenant', 'silent-second-call'].map((id) => section.indexOf(`<code>${id}</code>`));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(section).toContain('50%');
  });

  it('lists learners missing from the roster and rostered learners without a submission', () => {
    const section = html.slice(html.indexOf('id="roster"'));
    expect(section).toContain('Learner folders not in the roster (2)');
    expect(section).toContain('<li><span class="user">dave</span></li>');
    expect(section).toContain('Rostered learners without a submission (1)');
    expect(section).toContain('<li><span class="user">carol</span> — Carol</li>');
  });
});
