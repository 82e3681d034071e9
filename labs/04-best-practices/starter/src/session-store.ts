import path from 'node:path';
import { ConfigError } from './config.ts';
import type { GrantSnapshot } from './grants.ts';

/** What survives a restart: this server's grants (token hashes only) and MSAL's token cache (Entra's tokens). */
export interface Sessions {
  grants: GrantSnapshot;
  /** MSAL's serialized token cache. */
  msal: string;
}

export interface SealedFile {
  version: 1;
  iv: string;
  tag: string;
  data: string;
}

/** Binds the ciphertext to its purpose: a file sealed for something else with the same key does not open as this. */
export const AAD = Buffer.from('mcp-lab 04 session store v1');

/**
 * The session store on disk, sealed with AES-256-GCM: a fresh 96-bit IV per
 * write, and the tag checked on every read, so a copied file is useless
 * without the key and a tampered one does not load. The key comes from
 * config (in production from Key Vault or the OS keychain), never from a
 * file beside the store. Writes go to a temporary file that is renamed
 * into place: a crash mid-write leaves the old store whole.
 */
export class SessionStore {
  readonly #file: string;
  readonly #key: Buffer;

  constructor(cacheDir: string, key: Buffer) {
    this.#file = path.join(cacheDir, 'sessions.enc');
    this.#key = key;
  }

  get file(): string {
    return this.#file;
  }

  /** The saved sessions, or undefined on a first start. A file this key cannot open stops the server, untouched. */
  load(): Sessions | undefined {
    // TODO(store): read this.#file (none yet: return undefined), open it with AES-256-GCM under this.#key
    // (its iv and tag, setAAD(AAD)) and return the sessions. If it does not open (a wrong key, a damaged file),
    // throw new ConfigError('STORE_KEY_WRONG', …what is wrong and how to fix it…): never start empty over it.
    void ConfigError;
    return undefined;
  }

  save(sessions: Sessions): void {
    // TODO(store): seal JSON.stringify(sessions) with AES-256-GCM under this.#key (a fresh 12-byte IV each
    // time, setAAD(AAD)) and write { version: 1, iv, tag, data } to a temporary file (mode 0o600), then rename
    // it onto this.#file, so a crash never leaves half a store. Never write a token in plain text.
    void sessions;
    void this.#key;
  }
}
