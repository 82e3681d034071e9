import { Client } from '@microsoft/microsoft-graph-client';

/** The Graph SDK sends the token only to Graph's own hosts, or to customHosts. */
export async function listUserNames(graphBaseUrl: string, accessToken: string): Promise<string[]> {
  const graph = Client.init({
    authProvider: (done) => done(null, accessToken),
    baseUrl: graphBaseUrl.replace(/v1\.0\/?$/, ''),
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(graphBaseUrl).hostname]),
  });
  const users = (await graph.api('/users').select(['userPrincipalName']).get()) as { value: { userPrincipalName: string }[] };
  return users.value.map((u) => u.userPrincipalName);
}
