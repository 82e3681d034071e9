import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CheckContext, type ServerLauncher, type ServerProcess } from '../src/engine/check-context.ts';
import { CheckCannotRun } from '../src/engine/check-outcomes.ts';
import type { LabIdp } from '../src/engine/lab-idp.ts';
import type { LabInfo } from '@mcp-lab/mock-idp';
import type { LabManifest } from '../src/model.ts';

/** ctx.sharedServer('g'): the check uses the launcher's shared server and leaves its stopping to the launcher. */

function fakeServer(name: string, stopped: string[]): ServerProcess {
  return {
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    output: () => `${name} says hello`,
    waitForOutput: () => Promise.resolve(),
    exited: new Promise(() => undefined),
    stop: () => Promise.resolve(void stopped.push(name)),
    advanceClock: () => Promise.resolve(),
  };
}

function contextWith(launcher: ServerLauncher): CheckContext {
  return new CheckContext({
    lab: { id: '90-fake' } as LabManifest,
    dir: '.',
    env: {},
    idp: {} as LabIdp,
    info: {} as LabInfo,
    signal: new AbortController().signal,
    launcher,
    startEventId: 0,
  });
}

describe('ctx.sharedServer(group)', () => {
  it("uses the launcher's shared server, shows its output, and does not stop it when the check ends", async () => {
    const stopped: string[] = [];
    const ctx = contextWith({ start: () => Promise.resolve(fakeServer('own', stopped)), startShared: () => Promise.resolve(fakeServer('shared', stopped)) });
    await ctx.sharedServer('g');
    await ctx.startServer();
    expect(ctx.output()).toContain('shared says hello');
    await ctx.dispose();
    expect(stopped).toEqual(['own']);
  });

  it("refuses to move a shared server's clock: the checks after it would see the moved time", async () => {
    const ctx = contextWith({ start: () => Promise.reject(new Error('unused')), startShared: () => Promise.resolve(fakeServer('shared', [])) });
    await ctx.sharedServer('g');
    await expect(ctx.advanceServerClock(60)).rejects.toBeInstanceOf(CheckCannotRun);
    await ctx.dispose();
  });

  it('gives the check a server of its own where the launcher cannot share', async () => {
    const stopped: string[] = [];
    const ctx = contextWith({ start: () => Promise.resolve(fakeServer('own', stopped)) });
    await ctx.sharedServer('g');
    await expect(ctx.advanceServerClock(60)).resolves.toBeUndefined();
    await ctx.dispose();
    expect(stopped).toEqual(['own']);
  });
});
