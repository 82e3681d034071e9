import { startRecordingProxy, type ProxyTls, type RecordingProxy } from '../mcp/recording-proxy.ts';
import type { LabIdp } from './lab-idp.ts';

/**
 * What an HTTP lab's run puts in front of the learner's servers: the
 * recording proxy every client and browser goes through. The servers'
 * PUBLIC_URL is the proxy's origin, so their metadata, redirects and
 * callback all lead through the proxy and every exchange is on record.
 * Each server gets a port of its own (warm-launcher.ts points the proxy at
 * it).
 */
export interface HttpFront {
  proxy: RecordingProxy;
  publicUrl: string;
  redirectUri: string;
  close(): Promise<void>;
}

export async function startHttpFront(options: { tls?: ProxyTls } = {}): Promise<HttpFront> {
  const proxy = await startRecordingProxy(undefined, options.tls ? { tls: options.tls } : {});
  const publicUrl = proxy.url.origin;
  return { proxy, publicUrl, redirectUri: `${publicUrl}/auth/callback`, close: () => proxy.close() };
}

/**
 * Registers the run's callback (the proxy's port changes each run) on the
 * app the server signs in with, as a Web redirect URI, for the length of the
 * run; returns how to take it away again. On the learner's own IdP the
 * registration is theirs: only what this adds is removed.
 */
export async function allowRedirectUri(idp: LabIdp, clientId: string, uri: string): Promise<() => Promise<void>> {
  const current = await idp.admin<Record<string, { redirectUris: string[] }>>('GET', `/apps/${clientId}/redirect-uris`);
  if (Object.values(current).some((p) => p.redirectUris.includes(uri))) return () => Promise.resolve();
  await idp.admin('POST', `/apps/${clientId}/redirect-uris`, { platform: 'web', uri });
  return async () => {
    await idp.admin('DELETE', `/apps/${clientId}/redirect-uris`, { platform: 'web', uri }).catch(() => undefined);
  };
}
