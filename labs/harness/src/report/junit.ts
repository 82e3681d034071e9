import type { CheckResult, LabManifest, LabResult } from '../model.ts';
import { hiddenFailureName, shownChecks } from './audience.ts';
import type { Audience } from './audience.ts';
import { failureDetails, firstLine } from './details.ts';
import { orderedChecks } from './order.ts';
import { seconds } from './wording.ts';
import { openTag, xmlText } from './xml.ts';
import { reportWords, type ReportWords } from './words.ts';
import type { CheckLang } from '../check-language.ts';

/**
 * JUnit XML as CI systems read it (the Ant/Surefire de-facto schema: Jenkins,
 * GitLab, GitHub test reporters): `<testsuites>` › one `<testsuite>` per lab ›
 * one `<testcase>` per check. A failed check is a `<failure>`, a check that
 * could not run an `<error>` — CI shows them apart, and so should an
 * instructor. Captured server output goes to the test case's `<system-out>`.
 */

export interface JunitOptions {
  /** Instructor: every check in full. Learner (e.g. JUnit in a learner's own CI): hidden checks anonymised. */
  audience: Audience;
  manifest?: LabManifest;
  /** The language of the fixed words around the checks (default English; the checks' titles and hints come with the manifest). */
  lang?: CheckLang;
}

interface Case {
  name: string;
  time: number;
  outcome?: { kind: 'failure' | 'error'; message: string; body: string };
  output?: string;
}

export function toJunit(result: LabResult, options: JunitOptions): string {
  const cases = testCases(result, options);
  const failures = cases.filter((c) => c.outcome?.kind === 'failure').length;
  const errors = cases.filter((c) => c.outcome?.kind === 'error').length;
  const totals = { tests: cases.length, failures, errors, skipped: 0, time: seconds(result.durationMs).toFixed(3) };
  const timestamp = junitTimestamp(result.startedAt);

  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(openTag('testsuites', { name: 'mcp-lab', ...totals }));
  lines.push(`  ${openTag('testsuite', { name: result.lab, ...totals, timestamp })}`);
  lines.push('    <properties>');
  const properties: [string, string][] = [
    ['status', result.status],
    ['score', String(result.score)],
    ['maxScore', String(result.maxScore)],
    ['audience', options.audience],
    ['submission', result.submission],
    ['harness', result.environment.harness],
    ['node', result.environment.node],
    ['platform', result.environment.platform],
  ];
  if (result.message !== undefined) properties.push(['message', result.message]);
  for (const [name, value] of properties) lines.push(`      ${openTag('property', { name, value }, true)}`);
  lines.push('    </properties>');
  for (const c of cases) {
    const open = openTag('testcase', { classname: result.lab, name: c.name, time: c.time.toFixed(3) }, !c.outcome && !c.output);
    lines.push(`    ${open}`);
    if (!c.outcome && !c.output) continue;
    if (c.outcome) {
      const tag = c.outcome.kind;
      const type = tag === 'failure' ? 'CheckFailed' : 'CheckError';
      lines.push(`      ${openTag(tag, { message: c.outcome.message, type })}${xmlText(c.outcome.body)}</${tag}>`);
    }
    if (c.output) lines.push(`      <system-out>${xmlText(c.output)}</system-out>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>');
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function testCases(result: LabResult, options: JunitOptions): Case[] {
  const checks = orderedChecks(result, options.manifest);
  const words = reportWords(options.lang);
  const cases = shownChecks(checks, options.audience).map((shown): Case => {
    if (shown.kind === 'hidden-failure')
      return { name: hiddenFailureName(shown, words), time: 0, outcome: { kind: 'failure', message: words.hiddenCheckFailed, body: words.hiddenCheckFailed } };
    return checkCase(result.lab, shown.check, words);
  });
  // A lab that could not run and reports no checks still has to turn CI red.
  if (cases.length === 0 && result.status === 'error') {
    const message = result.message ?? words.labCouldNotBeChecked;
    cases.push({ name: words.couldNotBeChecked('lab'), time: seconds(result.durationMs), outcome: { kind: 'error', message: firstLine(message), body: message } });
  }
  return cases;
}

function checkCase(lab: string, check: CheckResult, words: ReportWords): Case {
  const name = `${check.id}: ${check.title}${check.visibility === 'hidden' ? ' [hidden]' : ''}`;
  const kase: Case = { name, time: seconds(check.durationMs) };
  if (check.status !== 'pass') {
    const body = failureDetails(lab, check, words);
    kase.outcome = { kind: check.status === 'fail' ? 'failure' : 'error', message: firstLine(check.message ?? body), body };
  }
  if (check.output) kase.output = check.output;
  return kase;
}

/** The Ant schema's timestamp: ISO 8601 without a time zone (we write UTC); left out when unparseable. */
function junitTimestamp(iso: string): string | undefined {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 19);
}
