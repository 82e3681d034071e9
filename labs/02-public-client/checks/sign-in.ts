import assert from 'node:assert/strict';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CheckFailure, type CheckContext, type LabEnv } from '@mcp-lab/harness';
import { playDeviceCode, type PendingDeviceCode } from '@mcp-lab/mock-idp';

/**
 * How the checks play the user of a stdio server: call get_user_details,
 * find the device code the server asked for through the IdP's admin API
 * (never by reading the server's output), and play the user at the IdP's
 * pages — or, on purpose, never finish the sign-in.
 */

export const ALICE = { username: 'alice@contoso.test', password: 'alice-lab-2026', displayName: 'Alice Jansen' };

export interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
}

/** Each check (and each server of a check that needs several) gets a token cache of its own, so no check signs in for another. */
export function cacheEnv(ctx: CheckContext, name: string): LabEnv {
  return { LAB_CACHE_DIR: path.join(ctx.env.LAB_CACHE_DIR ?? '.lab-cache', name) };
}

/** Device codes of this check's app (its own CLIENT_ID) waiting for a person. */
export async function pendingCodes(ctx: CheckContext): Promise<PendingDeviceCode[]> {
  const { value } = await ctx.idp.admin<{ value: PendingDeviceCode[] }>('GET', `/device-codes?client=${encodeURIComponent(ctx.env.CLIENT_ID ?? '')}`);
  return value;
}

export function textOf(result: ToolResult): string {
  return result.content.map((c) => c.text ?? '').join('\n');
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
  const before = new Set((await pendingCodes(ctx)).map((c) => c.userCode));
  let done = false;
  const call = client.callTool({ name: 'get_user_details', arguments: {} }, undefined, { timeout: 60_000 }).finally(() => {
    done = true;
  }) as Promise<ToolResult>;
  const watch = (async (): Promise<void> => {
    while (!done && !ctx.signal.aborted) {
      const code = (await pendingCodes(ctx)).find((c) => !before.has(c.userCode));
      if (code) {
        if (user === 'silent') throw new CheckFailure(notSilent);
        await playDeviceCode(`${ctx.env.AUTHORITY_HOST}/${ctx.env.TENANT_ID}/devicelogin`, {
          username: ALICE.username,
          password: ALICE.password,
          userCode: code.userCode,
          ...(user === 'cancel' ? { consent: 'cancel' as const } : {}),
        });
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
  const before = new Set((await pendingCodes(ctx)).map((c) => c.userCode));
  let settled = false;
  const call = client
    .callTool({ name: 'get_user_details', arguments: {} }, undefined, { timeout: 60_000 })
    .then(
      (result) => {
        const r = result as ToolResult;
        return { signedIn: !r.isError && textOf(r).includes(ALICE.displayName), text: textOf(r) };
      },
      (error: unknown) => ({ signedIn: false, text: (error as Error).message }),
    )
    .finally(() => {
      settled = true;
    });
  const asked = (async () => {
    while (!settled && !ctx.signal.aborted) {
      if ((await pendingCodes(ctx)).some((c) => !before.has(c.userCode))) return { signedIn: false, text: 'the server asked for a sign-in' };
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

export function assertProfile(result: ToolResult, context = ''): void {
  const text = textOf(result);
  assert.ok(!result.isError, `${context}get_user_details answered with an error: ${text.slice(0, 300)}`);
  assert.ok(text.includes(ALICE.displayName), `${context}the result should hold the signed-in user's Graph profile (displayName "${ALICE.displayName}"), but was: ${text.slice(0, 300)}`);
}
