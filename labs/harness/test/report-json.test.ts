import { describe, expect, it } from 'vitest';
import { HIDDEN_CHECK_FAILED } from '../src/report/audience.ts';
import { LabResultJson, toJson } from '../src/report/json.ts';
import { HIDDEN_SECRETS, LAB, check, hiddenCheck, leakedSecrets, manifest, mixedResult, result } from './report-fixtures.ts';

describe('toJson (the project format, docs/results-format.md)', () => {
  it('writes a document the zod schema accepts, for both audiences', () => {
    for (const audience of ['learner', 'instructor'] as const) {
      const doc: unknown = JSON.parse(toJson(mixedResult(), { audience }));
      const parsed = LabResultJson.parse(doc);
      expect(parsed.schemaVersion).toBe(1);
      expect(parsed.audience).toBe(audience);
      expect(parsed.lab).toBe(LAB);
      expect(parsed.score).toBe(2);
      expect(parsed.maxScore).toBe(9);
    }
  });

  it('shows instructors every check in full, hidden ones marked hidden', () => {
    const doc = LabResultJson.parse(JSON.parse(toJson(mixedResult(), { audience: 'instructor' })));
    expect(doc.checks).toHaveLength(4);
    expect(doc.checks[3]).toMatchObject({ id: HIDDEN_SECRETS.id, visibility: 'hidden', message: HIDDEN_SECRETS.message, testCode: HIDDEN_SECRETS.testCode });
    expect(doc.checks[1]).toMatchObject({ id: 'silent-second-call', status: 'fail', taskId: 2, output: 'server: signing in\n' });
  });

  it('shows learners only that a hidden check failed', () => {
    const text = toJson(mixedResult(), { audience: 'learner' });
    expect(leakedSecrets(text)).toEqual([]);
    const doc = LabResultJson.parse(JSON.parse(text));
    expect(doc.checks).toHaveLength(4);
    expect(doc.checks[3]).toEqual({ hidden: true, status: 'fail', message: HIDDEN_CHECK_FAILED });
  });

  it('does not list a hidden check that passed to learners (its points stay in the score)', () => {
    const doc = LabResultJson.parse(JSON.parse(toJson(result([check({ id: 'a' }), hiddenCheck('pass')]), { audience: 'learner' })));
    expect(doc.checks).toHaveLength(1);
    expect(doc.score).toBe(5);
  });

  it('anonymises a hidden check that could not run as failed, so error-vs-fail cannot be probed', () => {
    const text = toJson(result([hiddenCheck('error')]), { audience: 'learner' });
    expect(leakedSecrets(text)).toEqual([]);
    expect(LabResultJson.parse(JSON.parse(text)).checks).toEqual([{ hidden: true, status: 'fail', message: HIDDEN_CHECK_FAILED }]);
  });

  it('orders checks as the manifest declares them and lists checks that never ran as errors', () => {
    const r = result([check({ id: 'b' }), check({ id: 'a' }), check({ id: 'pack-extra' })], { status: 'error', message: 'the server crashed' });
    const doc = LabResultJson.parse(JSON.parse(toJson(r, { audience: 'instructor', manifest: manifest(['a', 'b', 'c']) })));
    const ids = doc.checks.map((c) => ('id' in c ? c.id : 'hidden'));
    expect(ids).toEqual(['a', 'b', 'c', 'pack-extra']);
    expect(doc.checks[2]).toMatchObject({ status: 'error', message: 'did not run: the server crashed', points: 0, maxPoints: 2 });
  });

  it('refuses a manifest of another lab', () => {
    expect(() => toJson(mixedResult(), { audience: 'learner', manifest: manifest(['a'], { id: '03-confidential-client' }) })).toThrow(/manifest is for lab/);
  });

  it('has a schema that rejects a learner document naming a hidden check', () => {
    const doc = JSON.parse(toJson(mixedResult(), { audience: 'instructor' })) as Record<string, unknown>;
    expect(LabResultJson.safeParse({ ...doc, audience: 'learner' }).success).toBe(false);
    expect(LabResultJson.safeParse({ ...doc, schemaVersion: 2 }).success).toBe(false);
    expect(LabResultJson.safeParse({ ...doc, surprise: true }).success).toBe(false);
  });
});
