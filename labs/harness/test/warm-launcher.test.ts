import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { RecordingProxy } from '../src/mcp/recording-proxy.ts';
import type { LabEnv } from '../src/model.ts';
import type { ServerLauncher, ServerProcess } from '../src/engine/check-context.ts';
import { warmLauncher } from '../src/engine/warm-launcher.ts';

/** A launcher that records what it was asked to start and stop, without processes. */
function fakeLauncher(fail: (n: number) => boolean = () => false) {
  const started: LabEnv[] = [];
  const stopped: string[] = [];
  const trusting: boolean[] = [];
  /** Ends a server as if it had crashed (by its PORT). */
  const crash = new Map<string, () => void>();
  const launcher: ServerLauncher = {
    start(env, options) {
      started.push(env);
      trusting.push(options?.trustIdp !== false);
      if (fail(started.length)) return Promise.reject(new Error(`start ${started.length} failed`));
      const server: ServerProcess = {
        stdin: new PassThrough(),
        stdout: new PassThrough(),
        output: () => `server on ${env.PORT ?? '?'}`,
        waitForOutput: () => Promise.resolve(),
        exited: new Promise((resolve) => crash.set(env.PORT ?? '?', () => resolve({ code: 1, signal: null }))),
        stop: () => {
          stopped.push(env.PORT ?? '?');
          return Promise.resolve();
        },
      };
      return Promise.resolve(server);
    },
  };
  return { launcher, started, stopped, trusting, crash };
}

function fakeProxy() {
  const targets: string[] = [];
  const proxy = { url: new URL('http://localhost:1'), exchanges: [], retarget: (t: URL) => targets.push(t.port), close: () => Promise.resolve() } as RecordingProxy;
  return { proxy, targets };
}

const ENV: LabEnv = { CLIENT_ID: 'app', PUBLIC_URL: 'http://localhost:1', PORT: '1111' };

describe('warmLauncher (the next check’s server starts while this one runs)', () => {
  it('hands each check the spare started during the one before, each on a port of its own, and points the proxy at it', async () => {
    const { launcher, started } = fakeLauncher();
    const { proxy, targets } = fakeProxy();
    const warm = warmLauncher(launcher, proxy);
    const first = await warm.start(ENV);
    await vi.waitFor(() => expect(started).toHaveLength(2)); // the first check's server and the spare
    const second = await warm.start(ENV);
    await vi.waitFor(() => expect(started).toHaveLength(3)); // the spare was taken, a new one started
    expect(second).not.toBe(first);
    expect(second.output()).toBe(`server on ${started[1]!.PORT}`);
    expect(new Set(started.map((e) => e.PORT)).size).toBe(3);
    expect(targets).toEqual([started[0]!.PORT, started[1]!.PORT]);
    expect(started.every((e) => e.CLIENT_ID === 'app' && e.PUBLIC_URL === 'http://localhost:1')).toBe(true);
    await warm.close();
  });

  it('stops the spare when a check wants another environment, and when the run ends', async () => {
    const { launcher, started, stopped } = fakeLauncher();
    const warm = warmLauncher(launcher, fakeProxy().proxy);
    await warm.start(ENV);
    await vi.waitFor(() => expect(started).toHaveLength(2));
    await warm.start({ ...ENV, LAB_CACHE_DIR: 'other' });
    expect(stopped).toEqual([started[1]!.PORT]);
    expect(started[2]!.LAB_CACHE_DIR).toBe('other');
    await vi.waitFor(() => expect(started).toHaveLength(4));
    await warm.close();
    expect(stopped).toEqual([started[1]!.PORT, started[3]!.PORT]);
  });

  it('never hands a spare that trusts the IdP to a check that wants a server without the lab CA', async () => {
    const { launcher, started, stopped, trusting } = fakeLauncher();
    const warm = warmLauncher(launcher, fakeProxy().proxy);
    await warm.start(ENV);
    await vi.waitFor(() => expect(started).toHaveLength(2));
    await warm.start(ENV, { trustIdp: false });
    expect(stopped).toEqual([started[1]!.PORT]);
    expect(trusting.slice(0, 3)).toEqual([true, true, false]);
    await warm.close();
  });

  it('a spare that failed to start fails the check that takes it, as a fresh start would', async () => {
    const { launcher } = fakeLauncher((n) => n === 2);
    const warm = warmLauncher(launcher, fakeProxy().proxy);
    await warm.start(ENV);
    await expect(warm.start(ENV)).rejects.toThrow('start 2 failed');
    // The next check starts afresh.
    await expect(warm.start(ENV)).resolves.toBeDefined();
    await warm.close();
  });
});

describe('warmLauncher before the last check', () => {
  it('starts no spare once told the coming check is the last', async () => {
    const { launcher, started, stopped } = fakeLauncher();
    const warm = warmLauncher(launcher, fakeProxy().proxy);
    warm.noMoreSpares();
    await warm.start(ENV);
    // close() waits for a spare that is still starting and stops it: with none, nothing is stopped.
    await warm.close();
    expect(stopped).toEqual([]);
    expect(started).toHaveLength(1);
  });
});

describe('warmLauncher with checks that share a server', () => {
  it('hands consecutive sharing checks the same server, pointing the proxy back at it, and starts no spare for them', async () => {
    const { launcher, started, stopped } = fakeLauncher();
    const { proxy, targets } = fakeProxy();
    const warm = warmLauncher(launcher, proxy);
    const first = await warm.startShared(ENV, 'g');
    await vi.waitFor(() => expect(started).toHaveLength(2)); // the shared server and the spare for the next check of its own
    expect(await warm.startShared(ENV, 'g')).toBe(first);
    expect(await warm.startShared(ENV, 'g')).toBe(first);
    expect(started).toHaveLength(2);
    expect(targets).toEqual([started[0]!.PORT, started[0]!.PORT, started[0]!.PORT]);
    expect(stopped).toEqual([]);
    await warm.close();
    expect(stopped.sort()).toEqual([started[0]!.PORT, started[1]!.PORT].sort());
  });

  it('stops the shared server once a check wants a server of its own, which gets the spare', async () => {
    const { launcher, started, stopped } = fakeLauncher();
    const { proxy, targets } = fakeProxy();
    const warm = warmLauncher(launcher, proxy);
    const shared = await warm.startShared(ENV, 'g');
    await vi.waitFor(() => expect(started).toHaveLength(2));
    const own = await warm.start(ENV);
    expect(own).not.toBe(shared);
    expect(own.output()).toBe(`server on ${started[1]!.PORT}`);
    await vi.waitFor(() => expect(stopped).toEqual([started[0]!.PORT]));
    expect(targets.at(-1)).toBe(started[1]!.PORT);
    // A later sharing check starts a new shared server: the old one is gone.
    const again = await warm.startShared(ENV, 'g');
    expect(again).not.toBe(shared);
    await warm.close();
  });

  it('does not hand on a shared server that has ended (a crash in the check before)', async () => {
    const { launcher, started, crash } = fakeLauncher();
    const warm = warmLauncher(launcher, fakeProxy().proxy);
    const first = await warm.startShared(ENV, 'g');
    crash.get(started[0]!.PORT!)!();
    await new Promise((resolve) => setImmediate(resolve));
    const next = await warm.startShared(ENV, 'g');
    expect(next).not.toBe(first);
    expect(next.output()).toBe(`server on ${started[1]!.PORT}`); // the spare
    await warm.close();
  });

  it('shares only between checks of the same group with the same environment', async () => {
    const { launcher } = fakeLauncher();
    const warm = warmLauncher(launcher, fakeProxy().proxy);
    const first = await warm.startShared(ENV, 'g');
    const otherEnv = await warm.startShared({ ...ENV, LAB_CACHE_DIR: 'other' }, 'g');
    expect(otherEnv).not.toBe(first);
    const otherGroup = await warm.startShared({ ...ENV, LAB_CACHE_DIR: 'other' }, 'h');
    expect(otherGroup).not.toBe(otherEnv);
    expect(await warm.startShared({ ...ENV, LAB_CACHE_DIR: 'other' }, 'h')).toBe(otherGroup);
    await warm.close();
  });
});
