import type { LabIdp } from './lab-idp.ts';

/**
 * Device codes of the run's app announce a 1-second polling interval
 * instead of Entra's 5 for the length of the run: MSAL polls exactly as
 * told, so a device-code sign-in the harness completes at once takes about
 * a second instead of five. What the checks prove is unchanged; only the
 * waiting goes. Returns how to switch it off again.
 */
export async function fastDeviceCodePolling(idp: LabIdp, clientId: string): Promise<() => Promise<void>> {
  const fault = await idp.admin<{ id: string }>('POST', '/faults', { fault: { kind: 'device-code-interval', seconds: 1 }, scope: { clientId } });
  return async () => {
    await idp.admin('DELETE', `/faults/${fault.id}`).catch(() => undefined);
  };
}
