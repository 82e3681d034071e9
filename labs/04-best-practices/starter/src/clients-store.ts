import fs from 'node:fs/promises';
import path from 'node:path';
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import { InvalidClientMetadataError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthClientInformationFull } from '@modelcontextprotocol/sdk/shared/auth.js';
import { PRE_REGISTERED_CLIENTS } from './pre-registered-clients.ts';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why a redirect URI cannot be registered, or undefined when it can. */
export function redirectUriProblem(uri: string): string | undefined {
  if (!URL.canParse(uri)) return `"${uri}" is not an absolute URL`;
  const url = new URL(uri);
  if (url.hash) return `"${uri}" has a fragment; redirect URIs must not`;
  if (url.protocol === 'https:') return undefined;
  // An authorization code sent over plain http to another machine can be read on the way.
  if (url.protocol === 'http:') return LOOPBACK.has(url.hostname) ? undefined : `"${uri}" uses plain http on a host other than localhost`;
  // Custom schemes (vscode://…, cursor://…) are how desktop apps receive redirects.
  return ['javascript:', 'data:', 'file:', 'blob:', 'vbscript:'].includes(url.protocol) ? `"${uri}" uses a forbidden scheme` : undefined;
}

/**
 * The MCP clients this server knows: a few pre-registered ones, and those
 * that registered themselves (RFC 7591 dynamic client registration), kept
 * in a file under LAB_CACHE_DIR so a restart does not forget them.
 *
 * Registered clients are public clients (`token_endpoint_auth_method:
 * none`) — MCP clients run on users' machines and cannot keep a secret, and
 * PKCE protects their codes. Accepting client secrets here would mean
 * storing them in a form the SDK can compare, i.e. in plain text.
 */
export class ClientsStore implements OAuthRegisteredClientsStore {
  readonly #file: string;
  readonly #registered: Map<string, OAuthClientInformationFull>;
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: string, registered: Map<string, OAuthClientInformationFull>) {
    this.#file = file;
    this.#registered = registered;
  }

  static async open(cacheDir: string): Promise<ClientsStore> {
    const file = path.join(cacheDir, 'mcp-clients.json');
    let saved: OAuthClientInformationFull[] = [];
    try {
      saved = JSON.parse(await fs.readFile(file, 'utf8')) as OAuthClientInformationFull[];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${file} could not be read (${(error as Error).message}); delete it to start with no registered clients.`, { cause: error });
    }
    return new ClientsStore(file, new Map(saved.map((c) => [c.client_id, c])));
  }

  getClient(clientId: string): OAuthClientInformationFull | undefined {
    return PRE_REGISTERED_CLIENTS.get(clientId) ?? this.#registered.get(clientId);
  }

  isPreRegistered(clientId: string): boolean {
    return PRE_REGISTERED_CLIENTS.has(clientId);
  }

  async registerClient(client: Omit<OAuthClientInformationFull, 'client_id' | 'client_id_issued_at'> & Partial<OAuthClientInformationFull>): Promise<OAuthClientInformationFull> {
    if (client.token_endpoint_auth_method !== 'none') {
      throw new InvalidClientMetadataError('this server registers public clients only: send token_endpoint_auth_method "none" (PKCE protects your authorization codes)');
    }
    if (client.redirect_uris.length === 0) throw new InvalidClientMetadataError('at least one redirect_uri is required');
    for (const uri of client.redirect_uris) {
      const problem = redirectUriProblem(uri);
      if (problem) throw new InvalidClientMetadataError(problem);
    }
    if (!client.client_id) throw new InvalidClientMetadataError('the server did not assign a client_id');
    const { client_secret: _secret, client_secret_expires_at: _expiry, ...stored } = client;
    const registered = stored as OAuthClientInformationFull;
    this.#registered.set(registered.client_id, registered);
    await this.#save();
    return registered;
  }

  /** Writes the whole list to a temporary file and renames it into place: a crash never leaves half a file. */
  #save(): Promise<void> {
    const text = JSON.stringify([...this.#registered.values()], null, 2);
    this.#writing = this.#writing.then(async () => {
      await fs.mkdir(path.dirname(this.#file), { recursive: true });
      const temp = `${this.#file}.${process.pid}.tmp`;
      await fs.writeFile(temp, text, { mode: 0o600 });
      await fs.rename(temp, this.#file);
    });
    return this.#writing;
  }
}
