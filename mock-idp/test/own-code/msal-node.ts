import { ConfidentialClientApplication } from '@azure/msal-node';

/** MSAL Node, a confidential client: an app-only token for Microsoft Graph. */
export async function msalNodeToken(authorityHost: string, tenantId: string, clientId: string, clientSecret: string): Promise<string> {
  const app = new ConfidentialClientApplication({
    auth: {
      clientId,
      clientSecret,
      authority: `${authorityHost}/${tenantId}`,
      // Trust this host as an authority without asking login.microsoftonline.com (instance discovery).
      knownAuthorities: [new URL(authorityHost).host],
    },
  });
  const result = await app.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
  if (!result) throw new Error('no token');
  return result.accessToken;
}
