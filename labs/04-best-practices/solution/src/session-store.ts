import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
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
    let text: string;
    try {
      text = fs.readFileSync(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new ConfigError('STORE_UNREADABLE', `${this.#file} could not be read (${(error as Error).message}). Check its permissions.`);
    }
    try {
      const sealed = JSON.parse(text) as SealedFile;
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(AAD);
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as Sessions;
    } catch {
      throw new ConfigError(
        'STORE_KEY_WRONG',
        `${this.#file} cannot be opened with this TOKEN_STORE_KEY (a different key, or a damaged file). Nothing was changed. Start with the key it was written with; to sign everyone out instead, move the file away.`,
      );
    }
  }

  save(sessions: Sessions): void {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(AAD);
    const data = Buffer.concat([cipher.update(JSON.stringify(sessions), 'utf8'), cipher.final()]);
    const sealed: SealedFile = { version: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    fs.mkdirSync(path.dirname(this.#file), { recursive: true, mode: 0o700 });
    const temp = `${this.#file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(sealed), { mode: 0o600 });
    fs.renameSync(temp, this.#file);
  }
}
