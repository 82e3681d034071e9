import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckFailure, checkSubmission, defineLab, loadLab, startLabIdp, type CheckContext, type LabIdp, type LabDefinition, type LabResult } from '../src/index.ts';
import { liveSubmissionCount } from '../src/process/index.ts';

const LAB_DIR = path.join(import.meta.dirname, 'fixtures', 'labs', '90-echo');
const submission = (name: string) => path.join(LAB_DIR, 'submissions', name);

let idp: LabIdp;
let lab: LabDefinition;
beforeAll(async () => {
  idp = await startLabIdp({ certDir: process.env.MCP_LAB_TEST_CERT_DIR! });
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

describe('what a check can look at after stopping a server', () => {
  it('keeps a stopped server’s home until the check ends, and finds there a copy of a cache file (leaksOutside)', async () => {
    let home: string | undefined;
    let found: unknown;
    let homeAfterStop = false;
    const def = defineLab({
      ...lab.manifest,
      id: '92-home',
      checks: [
        {
          id: 'home',
          title: 'home',
          points: 1,
          hint: 'h',
          lessonStep: '#s',
          testCode: 't',
          run: async (ctx) => {
            const server = await ctx.startServer();
            home = server.home;
            await server.stop();
            homeAfterStop = Boolean(home && fs.existsSync(home));
            // What a server could have left behind: its cache key, copied into its temp folder.
            const cacheDir = path.join(ctx.dir, '.lab-cache', 'home-test');
            fs.mkdirSync(cacheDir, { recursive: true });
            fs.writeFileSync(path.join(cacheDir, 'cache.key'), 'c0ffee'.repeat(11));
            fs.copyFileSync(path.join(cacheDir, 'cache.key'), path.join(home!, 'tmp', 'key-backup'));
            found = await ctx.leaksOutside(['.lab-cache/home-test']);
          },
        },
      ],
    });
    const result = await checkSubmission(def, submission('passes'), { idp });
    expect(result.checks.map((c) => c.status)).toEqual(['pass']);
    expect(homeAfterStop).toBe(true);
    expect(found).toEqual([{ where: '~/tmp/key-backup', what: 'a copy of cache.key' }]);
    // Gone once the check ended.
    expect(fs.existsSync(home!)).toBe(false);
  });
});

describe('a server started without the lab CA', () => {
  it('cannot verify the IdP: ctx.startServer(env, { trustIdp: false }) withholds NODE_EXTRA_CA_CERTS', async () => {
    const outputs: Record<string, string> = {};
    const def = defineLab({
      ...lab.manifest,
      id: '93-untrusted',
      checks: [
        {
          id: 'ca',
          title: 'ca',
          points: 1,
          hint: 'h',
          lessonStep: '#s',
          testCode: 't',
          run: async (ctx) => {
            // The fixture reads the IdP's discovery document as it starts.
            const trusting = await ctx.startServer();
            await trusting.waitForOutput(/discovery: \d+/, 10_000);
            outputs.trusting = trusting.output();
            const untrusting = await ctx.startServer({}, { trustIdp: false });
            await untrusting.exited;
            outputs.untrusting = untrusting.output();
          },
        },
      ],
    });
    const result = await checkSubmission(def, submission('passes'), { idp });
    expect(result.checks.map((c) => c.status)).toEqual(['pass']);
    expect(outputs.trusting).toContain('discovery: 200');
    expect(outputs.untrusting).not.toContain('discovery:');
    expect(outputs.untrusting).toMatch(/certificate/i);
  });
});

describe('checks that run at once (parallelChecks)', () => {
  /**
   * Two checks that each wait until the other has begun: they pass only when
   * the engine really runs them side by side. Each remembers the app it got.
   */
  function rendezvousLab(parallelChecks: number): { def: LabDefinition; seen: Map<string, string> } {
    const seen = new Map<string, string>();
    let arrived = 0;
    let release: () => void = () => undefined;
    const bothHere = new Promise<void>((resolve) => (release = resolve));
    const meet = (id: string) => async (ctx: CheckContext) => {
      seen.set(id, ctx.env.CLIENT_ID ?? '');
      if (++arrived === 2) release();
      const alone = new Promise<never>((_resolve, reject) => setTimeout(() => reject(new CheckFailure('the other check never began while this one ran')), 3_000));
      await Promise.race([bothHere, alone]);
    };
    const check = (id: string) => ({ id, title: id, points: 1, hint: 'h', lessonStep: '#s', testCode: 't', run: meet(id) });
    const def = defineLab({ ...lab.manifest, id: '91-lanes', parallelChecks, checks: [check('first'), check('second')] });
    return { def, seen };
  }

  it('runs them side by side, each lane with an app of its own that is removed afterwards, results in manifest order', async () => {
    const { def, seen } = rendezvousLab(2);
    const result = await checkSubmission(def, submission('passes'), { idp, isolateApp: { label: 'lanes test' } });
    expect(result.checks.map((c) => [c.id, c.status])).toEqual([
      ['first', 'pass'],
      ['second', 'pass'],
    ]);
    const [a, b] = [seen.get('first'), seen.get('second')];
    expect(a && b && a !== b).toBe(true);
    const apps = (await idp.info()).apps.map((app) => app.clientId);
    expect(apps).not.toContain(a);
    expect(apps).not.toContain(b);
  });

  it('runs them one after another when the lab allows one at a time (the first then waits in vain)', async () => {
    const { def } = rendezvousLab(1);
    const result = await checkSubmission(def, submission('passes'), { idp });
    expect(result.checks.map((c) => c.status)).toEqual(['fail', 'pass']);
    expect(result.checks[0]!.message).toContain('never began');
  });

  it('refuses parallel checks in an HTTP lab, whose checks share one recording proxy', () => {
    expect(() => defineLab({ ...lab.manifest, transport: 'http', parallelChecks: 2, checks: [{ id: 'x', title: 'x', points: 1, hint: 'h', lessonStep: '#s', testCode: 't', run: () => Promise.resolve() }] })).toThrow(/only stdio labs/);
  });
});
