import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { liveSubmissionCount, startSubmission, submissionEnv, tempHome } from '../src/process/index.ts';
import { cleanupLaunched, expectGone, isGone, launch, rejection } from './process-support.ts';

/**
 * Each fixture submission end to end: the right outcome, a message a learner
 * can act on, within its timeout, and afterwards none of its processes alive.
 */
afterEach(cleanupLaunched);

describe('a well-behaved server', () => {
  it('passes: ready line, port open, HTTP answered, .env read, clean stop', async () => {
    const { proc, port } = await launch('passes', {
      beforeStart: (staged) => fs.writeFileSync(path.join(staged.dir, '.env'), 'GREETING=hello from .env\n'),
    });
    const ready = await proc.waitForOutput(/listening on (\d+)/, 10_000);
    expect(ready[1]).toBe(String(port));
    await proc.waitForPort(port, '127.0.0.1', 5_000);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('hello from .env');
    await proc.stop();
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(proc.diagnosis()).toBeUndefined();
    await expectGone([proc.pid]);
  });

  it('finds a ready line printed before waitForOutput was called', async () => {
    const { proc, port } = await launch('passes');
    await proc.waitForPort(port, '127.0.0.1', 10_000);
    await expect(proc.waitForOutput(/listening on \d+/, 100)).resolves.toBeTruthy();
  });
});

describe('a stdio server (protocol: stdio)', () => {
  it('hands the driver stdin/stdout for JSON-RPC and keeps a capped copy of what it said', async () => {
    const { proc } = await launch('serves-stdio', { protocol: 'stdio', entry: 'server.ts' });
    await proc.waitForOutput(/fixture-stdio ready/, 10_000);
    const lines = readLines(proc.stdout);
    const send = (message: object) => proc.stdin.write(`${JSON.stringify(message)}\n`);
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } } });
    const init = JSON.parse(await lines.next()) as { id: number; result: { serverInfo: { name: string } } };
    expect(init.id).toBe(1);
    expect(init.result.serverInfo.name).toBe('fixture-stdio');
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ping', arguments: {} } });
    expect(JSON.parse(await lines.next())).toEqual({ jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: 'pong' }] } });
    // The runner's copy has both the log line and the protocol.
    expect(proc.output()).toContain('fixture-stdio ready');
    expect(proc.output()).toContain('"serverInfo":{"name":"fixture-stdio"');
    await proc.stop();
    await expectGone([proc.pid]);
  });
});

describe('hostile and broken submissions', () => {
  it('hangs-at-start: READY_TIMEOUT on time, then SIGTERM is ignored and SIGKILL ends it', async () => {
    const { proc } = await launch('hangs-at-start', { stopGraceMs: 300 });
    const { error, ms } = await rejection(() => proc.waitForOutput(/listening on/, 1_000));
    expect(error.code).toBe('READY_TIMEOUT');
    expect(error.message).toMatch(/did not print a line matching \/listening on\/ within 1 s \(it is still running\)/);
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(2_000);
    const stopping = Date.now();
    await proc.stop();
    expect(Date.now() - stopping).toBeLessThan(3_000);
    expect((await proc.exited).signal).toBe('SIGKILL');
    expect(proc.output()).toContain('ignoring SIGTERM');
    await expectGone([proc.pid]);
  });

  it('crashes-mid-run: EXITED, naming the error it died of', async () => {
    const { proc, port } = await launch('crashes-mid-run');
    await proc.waitForOutput(/listening on/, 10_000);
    expect(await proc.exited).toEqual({ code: 1, signal: null });
    const { error, ms } = await rejection(() => proc.waitForPort(port, '127.0.0.1', 5_000));
    expect(error.code).toBe('EXITED');
    expect(error.message).toBe(
      `the server exited with code 1 before anything listened on 127.0.0.1:${port}; its last output: Error: lost the connection to the token cache`,
    );
    expect(ms).toBeLessThan(2_000);
    await proc.stop();
    await expectGone([proc.pid]);
  });

  it('never-opens-port: PORT_TIMEOUT, pointing at process.env.PORT', async () => {
    const { proc, port } = await launch('never-opens-port');
    await proc.waitForOutput(/listening on/, 10_000);
    const { error, ms } = await rejection(() => proc.waitForPort(port, '127.0.0.1', 1_000));
    expect(error.code).toBe('PORT_TIMEOUT');
    expect(error.message).toBe(
      `nothing accepted connections on 127.0.0.1:${port} within 1 s, although the server is running. Does it listen on the port in process.env.PORT (${port})?`,
    );
    expect(ms).toBeLessThan(2_500);
    await proc.stop();
    await expectGone([proc.pid]);
  });

  it('floods-stdout: stopped at the flood limit, output kept within its cap with a cut marker', async () => {
    const { proc } = await launch('floods-stdout', { outputLimitBytes: 16 * 1024, floodLimitBytes: 4 * 1024 * 1024 });
    const { error, ms } = await rejection(() => proc.waitForOutput(/listening on/, 20_000));
    expect(error.code).toBe('OUTPUT_FLOOD');
    expect(error.message).toBe(
      'the server wrote more than 4 MB of output and was stopped: print less (no logging inside loops, no dumping of whole responses or tokens).',
    );
    expect(ms).toBeLessThan(5_000);
    await proc.exited;
    await proc.stop();
    const output = proc.output();
    expect(output.length).toBeLessThan(16 * 1024 + 100);
    expect(output).toMatch(/^x+\n[\s\S]*\n… \[[\d,]+ KB cut\] …\n[\s\S]*x\n?$/);
    expect(proc.diagnosis()).toBe(error.message);
    await expectGone([proc.pid]);
  });

  it('floods-stdout under the default limit (16 MB) ends just as well', async () => {
    const { proc } = await launch('floods-stdout');
    const { error, ms } = await rejection(() => proc.waitForOutput(/listening on/, 20_000));
    expect(error.code).toBe('OUTPUT_FLOOD');
    expect(error.message).toContain('more than 16 MB of output');
    expect(ms).toBeLessThan(10_000);
    await proc.stop();
    expect(proc.output().length).toBeLessThan(64 * 1024 + 100);
    await expectGone([proc.pid]);
  });

  it('squats-port: a port taken before the start is reported as a collision, and the server is not started', async () => {
    const squatter = await launch('squats-port', { entry: 'squatter.mjs' });
    await squatter.proc.waitForOutput(/squatting/, 10_000);
    const { error } = await rejection(() => launch('passes', { port: squatter.port, ports: [squatter.port] }));
    expect(error.code).toBe('PORT_IN_USE');
    expect(error.message).toBe(
      `port ${squatter.port} is already in use by another process, so the server was not started on it. ` +
        `Stop the program that listens on ${squatter.port} (another copy of your server in a terminal?) and run again; when grading, run the job again — it gets a new port.`,
    );
    await squatter.proc.stop();
    await expectGone([squatter.proc.pid]);
  });

  it('squats-port: a port taken after the check surfaces as EADDRINUSE, explained', async () => {
    const squatter = await launch('squats-port', { entry: 'squatter.mjs' });
    await squatter.proc.waitForOutput(/squatting/, 10_000);
    // No `ports`: the collision happens inside the learner's server.
    const { proc } = await launch('passes', { port: squatter.port });
    const { error } = await rejection(() => proc.waitForOutput(/listening on/, 10_000));
    expect(error.code).toBe('EXITED');
    expect(error.message).toBe(
      `the server exited with code 1 before printing a line matching /listening on/: your server could not listen on port ${squatter.port}: another process already uses it (EADDRINUSE). Stop the other program (another copy of your server?) or, when grading, run the job again.`,
    );
    await squatter.proc.stop();
    await expectGone([proc.pid, squatter.proc.pid]);
  });

  it('prints-token: the token is captured in the output, for the token scan', async () => {
    const { proc } = await launch('prints-token');
    const match = await proc.waitForOutput(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/, 10_000);
    expect(proc.output()).toContain(match[0]);
    expect(JSON.parse(Buffer.from(match[0].split('.')[1] ?? '', 'base64url').toString())).toEqual({ aud: 'fixture', scp: 'User.Read' });
    await proc.stop();
    await expectGone([proc.pid]);
  });

  it('forks-child, sandboxed: spawn is denied, with the reason', async () => {
    const { proc, home } = await launch('forks-child');
    const { error } = await rejection(() => proc.waitForOutput(/forked/, 10_000));
    expect(error.code).toBe('EXITED');
    expect(error.message).toBe(
      `the server exited with code 1 before printing a line matching /forked/: your server tried to start another process (${process.execPath}): graded submissions may not start processes — do the work in the server itself (to show a sign-in URL, print it).`,
    );
    expect(fs.existsSync(path.join(home.dir, 'children.json'))).toBe(false);
    await proc.stop();
    await expectGone([proc.pid]);
  });

  it('forks-child, unsandboxed: stop() ends the server and both children (one in its own session)', async () => {
    const { proc } = await launch('forks-child', { sandbox: false });
    const forked = await proc.waitForOutput(/forked (\d+) (\d+)/, 10_000);
    const children = [Number(forked[1]), Number(forked[2])];
    expect(children.every((pid) => !isGone(pid))).toBe(true);
    await proc.stop();
    await expectGone([proc.pid, ...children]);
  });

  it('forks-child, unsandboxed, exiting at once: the orphans it leaves are ended too', async () => {
    const { proc, home } = await launch('forks-child', { sandbox: false, extra: { FORK_THEN_EXIT: '1' } });
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    const children = JSON.parse(fs.readFileSync(path.join(home.dir, 'children.json'), 'utf8')) as number[];
    expect(children).toHaveLength(2);
    // Nobody calls stop() here first: the runner ends the orphans when the server exits.
    await expectGone([proc.pid, ...children]);
    await proc.stop();
  });

  it('reads-outside: reading /etc/hostname is denied, with the reason', async () => {
    const { proc } = await launch('reads-outside');
    const { error } = await rejection(() => proc.waitForOutput(/^read \d+/m, 10_000));
    expect(error.code).toBe('EXITED');
    expect(error.message).toBe(
      'the server exited with code 1 before printing a line matching /^read \\d+/m: your server tried to read /etc/hostname, outside its folder: submissions may only read their own folder and the lab\'s dependencies.',
    );
    await proc.stop();
    await expectGone([proc.pid]);
  });

  it('reads-env-var: no admin token, no NODE_OPTIONS, its own HOME — even when the grader has them', async () => {
    const saved = { token: process.env.MCP_LAB_ADMIN_TOKEN, options: process.env.NODE_OPTIONS };
    process.env.MCP_LAB_ADMIN_TOKEN = 'grader-admin-token-value';
    process.env.NODE_OPTIONS = '--no-warnings';
    try {
      const { proc, home } = await launch('reads-env-var');
      await proc.waitForOutput(/HOME=/, 10_000);
      await proc.exited;
      expect(proc.output()).toBe(`MCP_LAB_ADMIN_TOKEN is unset\nadmin-token variables: 0\nNODE_OPTIONS is unset\nHOME=${home.dir}\n`);
    } finally {
      restore('MCP_LAB_ADMIN_TOKEN', saved.token);
      restore('NODE_OPTIONS', saved.options);
    }
  });

  it('refuses to start a server whose environment names an admin token', async () => {
    const home = await tempHome();
    try {
      const env = { ...submissionEnv({}, { home }), MCP_LAB_ADMIN_TOKEN: 'x' };
      const { error } = await rejection(() => startSubmission({ command: ['node', '-e', '0'], cwd: home.dir, env, protocol: 'http', sandbox: false }));
      expect(error.code).toBe('UNSAFE_REQUEST');
      expect(error.message).toContain('MCP_LAB_ADMIN_TOKEN');
    } finally {
      await home.cleanup();
    }
  });

  it('a command that does not exist: START_FAILED naming it', async () => {
    const home = await tempHome();
    try {
      const env = submissionEnv({}, { home });
      const { error } = await rejection(() =>
        startSubmission({ command: ['definitely-not-a-command-mcp-lab'], cwd: home.dir, env, protocol: 'http', sandbox: false }),
      );
      expect(error.code).toBe('START_FAILED');
      expect(error.message).toMatch(/^could not start `definitely-not-a-command-mcp-lab` in .*ENOENT/);
    } finally {
      await home.cleanup();
    }
    expect(liveSubmissionCount()).toBe(0);
  });
});

/** Newline-delimited messages from a stream, one at a time. */
function readLines(stream: NodeJS.ReadableStream): { next(): Promise<string> } {
  let buffer = '';
  const waiting: ((line: string) => void)[] = [];
  const ready: string[] = [];
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      const take = waiting.shift();
      if (take) take(line);
      else ready.push(line);
    }
  });
  return { next: () => new Promise((resolve) => (ready.length > 0 ? resolve(ready.shift() ?? '') : waiting.push(resolve))) };
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
