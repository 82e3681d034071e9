import { DEFAULT_PORT, type LabInfo } from '@mcp-lab/mock-idp';
import { CliError } from './cli-error.ts';
import { trustLabCa } from './trust-lab-ca.ts';

/** Where the CLI looks for a running IdP: `--idp`, then MCP_LAB_IDP, then the default port. */
export function idpUrl(explicit?: string): string {
  // An empty MCP_LAB_IDP (e.g. `MCP_LAB_IDP= cmd`) means unset, not "no URL".
  return (explicit || process.env.MCP_LAB_IDP || `https://localhost:${DEFAULT_PORT}`).replace(/\/+$/, '');
}

function isCertificateError(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code);
}

/**
 * Reads `/_lab/info` from a running IdP and makes this process trust its CA.
 * The first request may not trust the CA yet, so on a certificate error it
 * retries once after trusting the CA at the lab's default location.
 */
export async function connectToIdp(baseUrl: string, defaultCaPath: string): Promise<LabInfo> {
  trustLabCa(defaultCaPath);
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/_lab/info`);
  } catch (error) {
    if (isCertificateError(error)) {
      throw new CliError(
        'IDP_UNTRUSTED',
        `The IdP at ${baseUrl} answered with a certificate this process does not trust.`,
        `Run with NODE_EXTRA_CA_CERTS=${defaultCaPath} (or the caCertPath of that IdP), or use Node ≥ 22.19, which lets mcp-lab trust the lab CA itself.`,
      );
    }
    throw new CliError('IDP_NOT_RUNNING', `No mock IdP answers at ${baseUrl}.`, 'Start it with `npm start` (or `npm run lab -- idp`) in another terminal, or point --idp at the one you run.');
  }
  if (!response.ok) throw new CliError('IDP_NOT_LAB', `${baseUrl}/_lab/info answered ${response.status}: that is not the lab's mock IdP.`, 'Check --idp / MCP_LAB_IDP.');
  const info = (await response.json()) as LabInfo;
  trustLabCa(info.caCertPath);
  return info;
}
