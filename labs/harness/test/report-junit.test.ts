import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { HIDDEN_CHECK_FAILED } from '../src/report/audience.ts';
import { toJunit } from '../src/report/junit.ts';
import { HIDDEN_SECRETS, LAB, check, leakedSecrets, mixedResult, result } from './report-fixtures.ts';

/*
 * JUnit XML has no single official spec; CI systems read the Ant/Surefire
 * de-facto schema (e.g. https://github.com/testmoapp/junitxml):
 * <testsuites> › <testsuite name tests failures errors skipped time timestamp>
 * › <testcase name classname time> with <failure message type>,
 * <error message type>, <system-out>.
 */

interface Node {
  [key: string]: unknown;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Keep text exactly as written so escaping can be checked to round-trip.
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  // Decode numeric character references (&#10;) as any XML parser does.
  htmlEntities: true,
  isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
});

function parse(xml: string): { suites: Node; suite: Node; cases: Node[] } {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml) as { testsuites: Node };
  const suites = doc.testsuites;
  const suite = (suites.testsuite as Node[])[0]!;
  return { suites, suite, cases: suite.testcase as Node[] };
}

function text(node: unknown): string {
  if (typeof node === 'string') return node;
  return (node as Node)['#text'] as string;
}

describe('toJunit', () => {
  it('writes one suite per lab with the right counts and attributes', () => {
    const { suites, suite, cases } = parse(toJunit(mixedResult(), { audience: 'instructor' }));
    for (const node of [suites, suite]) {
      expect(node['@tests']).toBe('4');
      expect(node['@failures']).toBe('2');
      expect(node['@errors']).toBe('1');
      expect(node['@skipped']).toBe('0');
      expect(node['@time']).toBe('5.432');
    }
    expect(suite['@name']).toBe(LAB);
    // The Ant schema's timestamp has no time zone.
    expect(suite['@timestamp']).toBe('2025-03-04T05:06:07');
    expect(cases).toHaveLength(4);
    expect(cases.map((c) => c['@classname'])).toEqual([LAB, LAB, LAB, LAB]);
    expect(cases[0]!['@name']).toBe('profile-returned: Title of profile-returned');
    expect(cases[0]!['@time']).toBe('1.234');
    const properties = Object.fromEntries(((suite.properties as Node).property as Node[]).map((p) => [String(p['@name']), p['@value']] as const));
    expect(properties).toMatchObject({ score: '2', maxScore: '9', status: 'fail', audience: 'instructor' });
  });

  it('tells a failed check (<failure>) from one that could not run (<error>) and keeps captured output', () => {
    const { cases } = parse(toJunit(mixedResult(), { audience: 'instructor' }));
    expect(cases[0]!.failure).toBeUndefined();
    expect(cases[0]!.error).toBeUndefined();
    const failure = cases[1]!.failure as Node;
    expect(failure['@message']).toBe('The second call opened a browser.');
    expect(failure['@type']).toBe('CheckFailed');
    expect(text(failure)).toContain('Hint: Hint for silent-second-call');
    expect(text(failure)).toContain(`Reread: labs/${LAB}/README.md#step-silent-second-call`);
    expect(cases[1]!['system-out']).toBe('server: signing in\n');
    const error = cases[2]!.error as Node;
    expect(error['@type']).toBe('CheckError');
    expect(error['@message']).toBe('The server did not start within 20 s.');
    expect(cases[2]!.failure).toBeUndefined();
  });

  it('shows instructors hidden checks in full (JUnit has no place for test code)', () => {
    const xml = toJunit(mixedResult(), { audience: 'instructor' });
    const { testCode: _notInJunit, ...shown } = HIDDEN_SECRETS;
    expect(leakedSecrets(xml).sort()).toEqual(Object.values(shown).sort());
  });

  it('anonymises hidden checks for learners (e.g. JUnit in a learner’s own CI)', () => {
    const xml = toJunit(mixedResult(), { audience: 'learner' });
    expect(leakedSecrets(xml)).toEqual([]);
    const { suite, cases } = parse(xml);
    expect(cases[3]!['@name']).toBe(HIDDEN_CHECK_FAILED);
    expect((cases[3]!.failure as Node)['@message']).toBe(HIDDEN_CHECK_FAILED);
    expect(suite['@tests']).toBe('4');
  });

  it('escapes markup and round-trips it, and replaces characters XML 1.0 forbids', () => {
    const nasty = `a<b>&c"d'e]]> \u0000nul \u0008bs \u001b[31mred\u001b[0m \uFFFF \uD800 tab\tline\nCR\r\nemoji 😀 end`;
    const r = result([check({ id: 'nasty', title: nasty, status: 'fail', points: 0, message: nasty, output: nasty })]);
    const xml = toJunit(r, { audience: 'instructor' });
    // Not one character XML 1.0 forbids survives, not even as a character reference.
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(xml).not.toMatch(/&#(0|x0*[0-8bcef]|x1[0-9a-f]);/i);
    const { cases } = parse(xml);
    const expected = `a<b>&c"d'e]]> \uFFFDnul \uFFFDbs red \uFFFD \uFFFD tab\tline\nCR\r\nemoji 😀 end`;
    expect(cases[0]!['@name']).toBe(`nasty: ${expected}`);
    expect((cases[0]!.failure as Node)['@message']).toBe(expected.split('\n')[0]);
    expect(text(cases[0]!.failure)).toContain(expected);
    expect(cases[0]!['system-out']).toBe(expected);
  });

  it('turns CI red when the lab could not run and reports no checks', () => {
    const r = result([], { status: 'error', message: 'npm start exited with code 1' });
    const { suite, cases } = parse(toJunit(r, { audience: 'learner' }));
    expect(suite['@tests']).toBe('1');
    expect(suite['@errors']).toBe('1');
    expect((cases[0]!.error as Node)['@message']).toBe('npm start exited with code 1');
  });
});
