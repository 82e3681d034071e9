import { afterEach, describe, expect, it } from 'vitest';
import { CheckCannotRun } from '../src/engine/check-outcomes.ts';
import { advanceClocks } from '../src/engine/server-probe-verbs.ts';
import { isLoopbackAddress } from '../src/process/server-probe.ts';
import { cleanupLaunched, launch } from './process-support.ts';

/**
 * The server probe end to end: a sandboxed server started with the preload
 * reports where it listens and runs on the clock the grader sets, without
 * any code of its own for either.
 */
afterEach(cleanupLaunched);

interface Now {
  now: number;
  constructed: number;
  called: string;
  named: string;
  isDate: boolean;
  hasChannel: boolean;
}

async function serverNow(port: number): Promise<Now> {
  return (await (await fetch(`http://127.0.0.1:${port}/now`)).json()) as Now;
}

describe('the server probe', () => {
  it('reports a loopback listen, with its port', async () => {
    const { proc, port } = await launch('probe-target', { probe: true, extra: { LISTEN_HOST: '127.0.0.1' } });
    await proc.waitForOutput(/listening on/, 10_000);
    const addresses = await proc.probe!.waitForListening();
    expect(addresses).toEqual([{ address: '127.0.0.1', family: 'IPv4', port }]);
    expect(addresses.every(isLoopbackAddress)).toBe(true);
    expect(proc.probe!.attached).toBe(true);
  });

  it('reports a listen on every interface, from inside the process (no packet to another address)', async () => {
    const { proc, port } = await launch('probe-target', { probe: true });
    await proc.waitForOutput(/listening on/, 10_000);
    const addresses = await proc.probe!.waitForListening();
    expect(addresses).toHaveLength(1);
    expect(['::', '0.0.0.0']).toContain(addresses[0]!.address);
    expect(addresses[0]!.port).toBe(port);
    expect(isLoopbackAddress(addresses[0]!)).toBe(false);
  });

  it("moves the server's wall clock when asked, and only its idea of now", async () => {
    const { proc, port } = await launch('probe-target', { probe: true, extra: { LISTEN_HOST: '127.0.0.1' } });
    await proc.waitForOutput(/listening on/, 10_000);
    const before = await serverNow(port);
    expect(Math.abs(before.now - Date.now())).toBeLessThan(5_000);

    const hour = 3_600_000;
    await proc.probe!.setClockOffset(hour);
    expect(proc.probe!.clockOffsetMs).toBe(hour);
    const after = await serverNow(port);
    for (const moved of [after.now, after.constructed, Date.parse(after.called)]) {
      expect(Math.abs(moved - (Date.now() + hour))).toBeLessThan(5_000);
    }
    // A Date for a given moment stays that moment, and a moved Date is still a Date.
    expect(after.named).toBe('1970-01-01T00:00:00.000Z');
    expect(after.isDate).toBe(true);

    await proc.probe!.setClockOffset(0);
    expect(Math.abs((await serverNow(port)).now - Date.now())).toBeLessThan(5_000);
  });

  it('never keeps a server alive that has nothing left to do', async () => {
    const { proc } = await launch('probe-idle', { probe: true });
    await proc.waitForOutput(/done/, 10_000);
    const exit = await Promise.race([proc.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 5_000))]);
    expect(exit).toEqual({ code: 0, signal: null });
  });

  it('is off unless asked for: no channel, nothing to report', async () => {
    const { proc, port } = await launch('probe-target', { extra: { LISTEN_HOST: '127.0.0.1' } });
    await proc.waitForOutput(/listening on/, 10_000);
    expect(proc.probe).toBeUndefined();
    expect((await serverNow(port)).hasChannel).toBe(false);
  });
});

describe('isLoopbackAddress', () => {
  it.each([
    ['127.0.0.1', 'IPv4', true],
    ['127.8.9.10', 'IPv4', true],
    ['::1', 'IPv6', true],
    ['::ffff:127.0.0.1', 'IPv6', true],
    ['/tmp/server.sock', 'pipe', true],
    ['0.0.0.0', 'IPv4', false],
    ['::', 'IPv6', false],
    ['192.168.1.20', 'IPv4', false],
    ['fe80::1', 'IPv6', false],
    ['not an address', 'IPv4', false],
  ])('%s (%s): %s', (address, family, loopback) => {
    expect(isLoopbackAddress({ address, family })).toBe(loopback);
  });
});

describe('advanceClocks (ctx.advanceServerClock)', () => {
  it('moves every server of the check, each by the same amount', async () => {
    const moved: number[] = [];
    const server = { advanceClock: (seconds: number) => Promise.resolve(void moved.push(seconds)) };
    await advanceClocks([server, server], 3_660);
    expect(moved).toEqual([3_660, 3_660]);
  });

  it('cannot run without a server, backwards, or for a server without the probe', async () => {
    await expect(advanceClocks([], 60)).rejects.toBeInstanceOf(CheckCannotRun);
    await expect(advanceClocks([{ advanceClock: () => Promise.resolve() }], -1)).rejects.toThrow(/only moves forward/);
    await expect(advanceClocks([{}], 60)).rejects.toThrow(/without the probe/);
  });
});
