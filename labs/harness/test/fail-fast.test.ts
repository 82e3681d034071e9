import fs from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSubmission, loadLab, startLabIdp, type CheckMeta, type LabIdp, type LabDefinition, type LabResult } from '../src/index.ts';
import { LabResultJson, toExercismDocument, toGradescopeDocument, toJson, toJunit, toText } from '../src/report/index.ts';
import { liveSubmissionCount, REPO_ROOT } from '../src/process/index.ts';

/**
 * Fail fast: a server that cannot start (exits, hangs before MCP, never says
 * it is ready) or dies every time it starts costs one start budget, not one per
 * check. The bound is proven by what was started, never by a clock: the checks
 * after the first that found out are never started (onCheckStart), and
 * every result format says what happened.
 */

const ECHO = path.join(import.meta.dirname, 'fixtures', 'labs', '90-echo');
const LAB_03 = path.join(REPO_ROOT, 'labs', '03-confidential-client');

let idp: LabIdp;
let echo: LabDefinition;
let lab03: LabDefinition;
// Inside the repository, so a staged copy resolves the repository's node_modules like a real one.
fs.mkdirSync(path.join(REPO_ROOT, '.lab'), { recursive: true });
const scratch = fs.mkdtempSync(path.join(REPO_ROOT, '.lab', 'fail-fast-'));
beforeAll(async () => {
  idp = await startLabIdp({ certDir: process.env.MCP_LAB_TEST_CERT_DIR! });
  echo = await loadLab(ECHO);
  lab03 = await loadLab(LAB_03);
});
afterAll(async () => {
  await idp.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Checks the run, recording which were started. */
async function run(lab: LabDefinition, dir: string): Promise<{ result: LabResult; started: string[] }> {
  const started: string[] = [];
  const result = await checkSubmission(lab, dir, { idp, onCheckStart: (meta: CheckMeta) => started.push(meta.id) });
  return { result, started };
}

/** Lab 03's solution with its server.ts replaced: a submission whose server misbehaves at start. */
function lab03With(name: string, serverTs: string): string {
  const dir = path.join(scratch, name);
  fs.cpSync(path.join(LAB_03, 'solution'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'src', 'server.ts'), serverTs);
  return dir;
}

/** Every format says the lab could not be checked and why, and stays valid. */
function expectEveryFormatSaysSo(lab: LabDefinition, result: LabResult, cause: RegExp): void {
  const manifest = lab.manifest;
  expect(result.status).toBe('error');
  expect(result.message).toMatch(cause);

  const json = JSON.parse(toJson(result, { audience: 'instructor', manifest })) as unknown;
  expect(LabResultJson.safeParse(json).success).toBe(true);

  const xml = toJunit(result, { audience: 'instructor', manifest });
  expect(XMLValidator.validate(xml)).toBe(true);
  const suite = (new XMLParser({ ignoreAttributes: false }).parse(xml) as { testsuites: { testsuite: { '@_errors': string; testcase: { error?: unknown; failure?: unknown }[] } } }).testsuites.testsuite;
  // Every check not run is a JUnit <error>; none passes.
  expect(Number(suite['@_errors'])).toBe(result.checks.filter((c) => c.status === 'error').length);
  expect(suite.testcase.every((c) => c.error !== undefined || c.failure !== undefined)).toBe(true);

  const exercism = toExercismDocument(result, { manifest });
  expect(exercism.status).toBe('error');
  expect(exercism.message).toMatch(cause);
  expect(exercism.tests.every((t) => t.status !== 'pass')).toBe(true);

  const gradescope = toGradescopeDocument(result, { audience: 'instructor', manifest });
  expect(gradescope.score).toBe(0);
  expect(gradescope.output).toMatch(cause);

  expect(toText(result, { audience: 'learner', manifest, color: false })).toMatch(/could not be checked/);
}

/** The first check holds the server's own output; every other one only points at it. */
function expectOutputOnce(result: LabResult, firstId: string, telltale: string): void {
  const [first, ...rest] = result.checks;
  expect(first!.id).toBe(firstId);
  expect(`${first!.message ?? ''}\n${first!.output ?? ''}`).toContain(telltale);
  for (const check of rest) {
    expect(check).toMatchObject({ status: 'error', points: 0, durationMs: 0 });
    expect(check.message).toContain(`not run: the server cannot start`);
    expect(check.message).toContain(`check '${firstId}'`);
    expect(check.output).toBeUndefined();
  }
}

describe('a stdio server that cannot start', () => {
  it('exits at start: only the first check starts it; the others are errors at once that name the cause', async () => {
    const { result, started } = await run(echo, path.join(ECHO, 'submissions', 'exits-at-start'));
    expect(started).toEqual(['lists-echo']);
    expectOutputOnce(result, 'lists-echo', 'CLIENT_ID is not set');
    expectEveryFormatSaysSo(echo, result, /exited \(code 1\) before it answered the MCP handshake/);
    expect(liveSubmissionCount()).toBe(0);
  });

  it('hangs before MCP: the first check’s time limit, then the others at once', async () => {
    const { result, started } = await run(echo, path.join(ECHO, 'submissions', 'hangs-at-start'));
    expect(started).toEqual(['lists-echo']);
    expectOutputOnce(result, 'lists-echo', 'did not finish within 8 s');
    expectEveryFormatSaysSo(echo, result, /never answered the MCP handshake/);
    expect(liveSubmissionCount()).toBe(0);
  });

  it('a crash loop (answers the handshake, then dies, every start) stops after two starts', async () => {
    const { result, started } = await run(echo, path.join(ECHO, 'submissions', 'crash-loop'));
    expect(started).toEqual(['lists-echo', 'echo-returns-text']);
    expect(result.checks.map((c) => c.status)).toEqual(['error', 'error', 'error']);
    expect(result.checks[2]!.message).toMatch(/ended on its own while the check used it, in 2 checks in a row: a crash loop/);
    expect(result.checks[0]!.output).toContain('fixture: crash loop');
    expectEveryFormatSaysSo(echo, result, /crash loop/);
  });

  it('a server that works is never cut short, whatever its checks say', async () => {
    const { result, started } = await run(echo, path.join(ECHO, 'submissions', 'wrong-echo'));
    expect(started).toEqual(['lists-echo', 'echo-returns-text', 'reads-discovery']);
    expect(result.status).toBe('fail');
  });
});

describe('an HTTP server (lab 03) that cannot start', { timeout: 120_000 }, () => {
  it('never listens: one start budget for the first check, then every other check at once', async () => {
    const dir = lab03With('never-listens', "console.error('connecting to the database… (fixture: never listens)');\nsetInterval(() => {}, 1000);\n");
    const { result, started } = await run(lab03, dir);
    expect(started).toEqual([lab03.manifest.checks[0]!.id]);
    expectOutputOnce(result, lab03.manifest.checks[0]!.id, 'fixture: never listens');
    expectEveryFormatSaysSo(lab03, result, /did not say it was ready \(listening on\) within 15 s/);
    expect(liveSubmissionCount()).toBe(0);
  });

  it('a crash loop (says it listens, then dies, every start) stops within two checks', async () => {
    const dir = lab03With('crash-loop', "console.log('listening on http://localhost (fixture: crash loop)');\nthrow new Error('fixture: crash loop');\n");
    const { result, started } = await run(lab03, dir);
    
    expect(started.length).toBeLessThanOrEqual(2);
    expect(result.checks.slice(started.length).every((c) => c.status === 'error' && c.durationMs === 0)).toBe(true);
    expect(result.checks.length).toBe(lab03.manifest.checks.length);
    expect(result.checks.at(-1)!.message).toMatch(/crash loop|did not say it was ready/);
    expectEveryFormatSaysSo(lab03, result, /crash loop|did not say it was ready/);
    expect(liveSubmissionCount()).toBe(0);
  });
});
