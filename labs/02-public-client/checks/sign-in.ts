import assert from 'node:assert/strict';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CheckFailure, toolText, type CheckContext, type LabEnv, type LabUser, type ToolResult } from '@mcp-lab/harness';

/**
 * How the checks play the user of a stdio server: call get_user_details,
 * find the device code the server asked for through the IdP's admin API
 * (never by reading the server's output), and play the user at the IdP's
 * pages — or, on purpose, never finish the sign-in. The user is Alice, as
 * the IdP's seed has her (ctx.user).
 */

/** The test user who signs in to the server. */
export const signInUser = (ctx: CheckContext): LabUser => ctx.user('alice');

/** Each check (and each server of a check that needs several) gets a token cache of its own, so no check signs in for another. */
export function cacheEnv(ctx: CheckContext, name: string): LabEnv {
  return { LAB_CACHE_DIR: path.join(ctx.env.LAB_CACHE_DIR ?? '.lab-cache', name) };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const NOT_SILENT = 'the server asked the user to sign in again (a new device code): it should have used the cached account with acquireTokenSilent first';

/**
 * Calls get_user_details. When the server asks for a device code meanwhile:
 * `sign-in` plays Alice and approves it, `cancel` plays Alice cancelling,
 * `silent` fails the check with `notSilent` (this call should not have
 * needed a sign-in).
 */
export async function callTool(ctx: CheckContext, client: Client, user: 'sign-in' | 'cancel' | 'silent', notSilent = NOT_SILENT): Promise<ToolResult> {
  // Codes pending before this call belong to someone else (an earlier check's abandoned sign-in).
  const before = new Set((await ctx.deviceCodes()).map((c) => c.userCode));
  let done = false;
  const call = client.callTool({ name: 'get_user_details', arguments: {} }, undefined, { timeout: 60_000 }).finally(() => {
    done = true;
  }) as Promise<ToolResult>;
  const watch = (async (): Promise<void> => {
    while (!done && !ctx.signal.aborted) {
      const code = (await ctx.deviceCodes()).find((c) => !before.has(c.userCode));
      if (code) {
        if (user === 'silent') throw new CheckFailure(notSilent);
        await ctx.completeDeviceCode(code, signInUser(ctx), user === 'cancel' ? { consent: 'cancel' } : {});
        return;
      }
      await sleep(200);
    }
  })();
  // A failing watcher ends the check at once; otherwise wait for the tool's answer.
  const [result] = await Promise.all([call, watch]);
  return result;
}

/**
 * Calls get_user_details and never lets anyone sign in: `signedIn` is true
 * when the tool returned the user's profile all the same (the server found
 * a usable token on its own), false as soon as it asks for a device code or
 * the call fails. The call may stay pending: the check stops the server.
 */
export async function signsInUnasked(ctx: CheckContext, client: Client): Promise<{ signedIn: boolean; text: string }> {
  const before = new Set((await ctx.deviceCodes()).map((c) => c.userCode));
  const { displayName } = signInUser(ctx);
  let settled = false;
  const call = client
    .callTool({ name: 'get_user_details', arguments: {} }, undefined, { timeout: 60_000 })
    .then(
      (result) => {
        const r = result as ToolResult;
        return { signedIn: !r.isError && toolText(r).includes(displayName), text: toolText(r) };
      },
      (error: unknown) => ({ signedIn: false, text: (error as Error).message }),
    )
    .finally(() => {
      settled = true;
    });
  const asked = (async () => {
    while (!settled && !ctx.signal.aborted) {
      if ((await ctx.deviceCodes()).some((c) => !before.has(c.userCode))) return { signedIn: false, text: 'the server asked for a sign-in' };
      await sleep(100);
    }
    return call;
  })();
  return Promise.race([call, asked]);
}

/** Sign-in requests (device code or browser) of this check's app since the check began. */
export async function signInCount(ctx: CheckContext): Promise<number> {
  return (await ctx.trace(ctx.env.CLIENT_ID)).filter((e) => e.type === 'devicecode' || e.type === 'authorize').length;
}

/** The tool's answer is the Graph profile of the user who signed in (signInUser). */
export function assertProfile(ctx: CheckContext, result: ToolResult, context = ''): void {
  const text = toolText(result);
  const { displayName } = signInUser(ctx);
  assert.ok(!result.isError, `${context}get_user_details answered with an error: ${text.slice(0, 300)}`);
  assert.ok(text.includes(displayName), `${context}the result should hold the signed-in user's Graph profile (displayName "${displayName}"), but was: ${text.slice(0, 300)}`);
}
