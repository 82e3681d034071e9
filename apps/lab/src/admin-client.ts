import fs from 'node:fs';
import path from 'node:path';
import { labHome } from '@mcp-lab/mock-idp';
import { CliError, EXIT } from './cli-error.ts';
import { connectToIdp, idpUrl } from './lab-idp.ts';

export interface AdminTarget {
  idp?: string;
  data?: string;
}

/** The admin API of a running IdP, with the token read from its data folder (or MCP_LAB_ADMIN_TOKEN). */
export class AdminClient {
  readonly baseUrl: string;
  readonly #token: string;

  private constructor(baseUrl: string, token: string) {
    this.baseUrl = baseUrl;
    this.#token = token;
  }

  static async connect(target: AdminTarget): Promise<AdminClient> {
    const info = await connectToIdp(idpUrl(target.idp), path.join(labHome(), 'certs', 'ca.pem'));
    const tokenPath = path.join(path.resolve(target.data ?? path.join(labHome(), 'idp')), 'admin-token');
    const token = process.env.MCP_LAB_ADMIN_TOKEN ?? readToken(tokenPath);
    return new AdminClient(info.baseUrl, token);
  }

  async call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/_lab/admin${route}`, {
      method,
      headers: { authorization: `Bearer ${this.#token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const payload = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string; fix?: string } | string; error_description?: string };
    if (!response.ok) {
      const problem = typeof payload.error === 'object' ? payload.error : undefined;
      const exit = response.status === 400 || response.status === 404 || response.status === 409 ? EXIT.usage : EXIT.couldNotRun;
      throw new CliError(
        problem?.code ?? `HTTP_${response.status}`,
        problem?.message ?? payload.error_description ?? `The admin API answered ${response.status}.`,
        problem?.fix ?? 'Check the IdP’s console.',
        exit,
      );
    }
    return payload as T;
  }
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
