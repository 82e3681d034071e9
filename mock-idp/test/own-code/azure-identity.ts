import { ClientSecretCredential, EnvironmentCredential } from '@azure/identity';

/**
 * @azure/identity: every credential needs the lab's host and no instance
 * discovery, else it fails with endpoints_resolution_error.
 */
export async function azureIdentityToken(authorityHost: string, tenantId: string, clientId: string, clientSecret: string): Promise<string> {
  const options = { authorityHost, disableInstanceDiscovery: true };
  const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, options);
  return (await credential.getToken('https://graph.microsoft.com/.default')).token;
}

/**
 * EnvironmentCredential (and DefaultAzureCredential) read AZURE_TENANT_ID,
 * AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and AZURE_AUTHORITY_HOST, but no
 * variable turns instance discovery off: pass that option in code.
 */
export async function environmentToken(): Promise<string> {
  const credential = new EnvironmentCredential({ disableInstanceDiscovery: true });
  return (await credential.getToken('https://graph.microsoft.com/.default')).token;
}
