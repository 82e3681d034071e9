import fs from 'node:fs';
import path from 'node:path';
import { AdminClient } from '@mcp-lab/harness';
import { labHome } from '@mcp-lab/mock-idp';
import { CliError } from './cli-error.ts';
import { connectToIdp, idpUrl } from './lab-idp.ts';

export interface AdminTarget {
  idp?: string;
  data?: string;
}

/**
 * The admin API of the IdP a verb names (`--idp`, MCP_LAB_IDP, the default
 * port), with the token read from its data folder (`--data`) or
 * MCP_LAB_ADMIN_TOKEN. The client is the harness's: a refusal throws its
 * AdminRequestError, which reportError prints with its code and fix.
 */
export async function connectAdmin(target: AdminTarget): Promise<AdminClient> {
  const info = await connectToIdp(idpUrl(target.idp), path.join(labHome(), 'certs', 'ca.pem'));
  const tokenPath = path.join(path.resolve(target.data ?? path.join(labHome(), 'idp')), 'admin-token');
  const token = process.env.MCP_LAB_ADMIN_TOKEN ?? readToken(tokenPath);
  return new AdminClient(info.baseUrl, token);
}

function readToken(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    throw new CliError(
      'ADMIN_TOKEN_MISSING',
      `No admin token at ${file}.`,
      'Run the command on the machine where the IdP runs, pass --data with the IdP’s data folder, or set MCP_LAB_ADMIN_TOKEN.',
    );
  }
}
