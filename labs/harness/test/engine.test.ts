import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSubmission, loadLab, startGradingIdp, type GradingIdp, type LabDefinition, type LabResult } from '../src/index.ts';
import { liveSubmissionCount } from '../src/process/index.ts';

const LAB_DIR = path.join(import.meta.dirname, 'fixtures', 'labs', '90-echo');
const submission = (name: string) => path.join(LAB_DIR, 'submissions', name);

let idp: GradingIdp;
let lab: LabDefinition;
beforeAll(async () => {
  idp = await startGradingIdp({ certDir: process.env.MCP_LAB_TEST_CERT_DIR! });
  lab = await loadLab(LAB_DIR);
});
afterAll(async () => {
  await idp.close();
});

function statuses(result: LabResult): Record<string, string> {
  return Object.fromEntries(result.checks.map((c) => [c.id, c.status]));
}

describe('the check engine against fixture submissions', () => {
  it('passes a correct submission, with every point, in manifest order', async () => {
    const result = await checkSubmission(lab, submission('passes'), { idp });
    expect(result.message).toBeUndefined();
    expect(statuses(result)).toEqual({ 'lists-echo': 'pass', 'echo-returns-text': 'pass', 'reads-discovery': 'pass' });
    expect(result).toMatchObject({ lab: '90-echo', status: 'pass', score: 4, maxScore: 4 });
    expect(liveSubmissionCount()).toBe(0);
  });

  it('fails exactly the checks a wrong submission breaks, with the assertion’s message', async () => {
    const result = await checkSubmission(lab, submission('wrong-echo'), { idp });
    expect(statuses(result)).toEqual({ 'lists-echo': 'pass', 'echo-returns-text': 'fail', 'reads-discovery': 'fail' });
    const echo = result.checks.find((c) => c.id === 'echo-returns-text')!;
    expect(echo.message).toContain('echo must return exactly the text it got');
    // The output shown with the failure is the server's logs, not the MCP traffic on its stdout.
    expect(echo.output ?? '').not.toContain('"jsonrpc"');
    expect(echo.output).toMatch(/MCP message lines? left out/);
    expect(result).toMatchObject({ status: 'fail', score: 1 });
  });

  it('turns a server that never speaks MCP into errors within the check time limit, and leaves no process', async () => {
    const started = Date.now();
    const result = await checkSubmission(lab, submission('hangs-at-start'), { idp, only: ['lists-echo'] });
    expect(Date.now() - started).toBeLessThan(lab.manifest.timeouts.checkMs + 5_000);
    expect(statuses(result)).toEqual({ 'lists-echo': 'error' });
    expect(result.checks[0]!.message).toMatch(/did not finish within 8 s/);
    expect(liveSubmissionCount()).toBe(0);
  });

  it('catches a server that writes to stdout, which corrupts the stdio protocol', async () => {
    const result = await checkSubmission(lab, submission('writes-to-stdout'), { idp, only: ['lists-echo'] });
    expect(statuses(result)).toEqual({ 'lists-echo': 'fail' });
    expect(result.checks[0]!.message).toContain('log to stderr');
  });

  it('reports a missing submission folder as a lab error that says how to create it', async () => {
    const result = await checkSubmission(lab, submission('does-not-exist'), { idp });
    expect(result.status).toBe('error');
    expect(result.message).toContain('npm run lab -- start 90-echo');
  });
});
