import type { PendingDeviceCode } from '../../src/index.ts';
import type { TestIdp } from './test-idp.ts';

/** Waits until the IdP lists a pending device code for the client, as a grader would find it. */
export async function waitForDeviceCode(idp: TestIdp, clientId: string, timeoutMs = 10_000): Promise<PendingDeviceCode> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${idp.baseUrl}/_lab/admin/device-codes?client=${clientId}`, { headers: { authorization: `Bearer ${idp.adminToken}` } });
    const { value } = (await response.json()) as { value: PendingDeviceCode[] };
    if (value[0]) return value[0];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no pending device code for ${clientId} within ${timeoutMs} ms`);
}
