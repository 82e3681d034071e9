import { DEFAULT_PORT, type LabInfo } from '@mcp-lab/mock-idp';
import { CliError } from './cli-error.ts';
import { explainNetworkError } from './network-error.ts';
import { trustLabCa } from './trust-lab-ca.ts';

/** Where the CLI looks for a running IdP: `--idp`, then MCP_LAB_IDP, then the default port. */
export function idpUrl(explicit?: string): string {
  // An empty MCP_LAB_IDP (e.g. `MCP_LAB_IDP= cmd`) means unset, not "no URL".
  return (explicit || process.env.MCP_LAB_IDP || `https://localhost:${DEFAULT_PORT}`).replace(/\/+$/, '');
}

/**
 * Reads `/_lab/info` from a running IdP, this process trusting the lab CA
 * first (and then the CA the IdP names, should it differ).
 */
export async function connectToIdp(baseUrl: string, defaultCaPath: string): Promise<LabInfo> {
  trustLabCa(defaultCaPath);
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/_lab/info`);
  } catch (error) {
    const explained = explainNetworkError(`${baseUrl}/_lab/info`, error, defaultCaPath);
    if (explained?.code === 'IDP_NOT_RUNNING' || !explained) {
      throw new CliError('IDP_NOT_RUNNING', `No mock IdP answers at ${baseUrl}.`, 'Start it with `npm start` (or `npm run lab -- idp`) in another terminal, or point --idp at the one you run.');
    }
    throw explained;
  }
  if (!response.ok) throw new CliError('IDP_NOT_LAB', `${baseUrl}/_lab/info answered ${response.status}: that is not the lab's mock IdP.`, 'Check --idp / MCP_LAB_IDP.');
  const info = (await response.json()) as LabInfo;
  trustLabCa(info.caCertPath);
  return info;
}
